package dev.weft.tls.internal.provider;

import java.security.AlgorithmParameterGenerator;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertStoreParameters;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import javax.crypto.Cipher;
import javax.crypto.ExemptionMechanism;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The crypto under BCJSSE: the JDK's installed providers first (AES-GCM and SHA with CPU intrinsics), Bouncy
 * Castle's JCA provider for any algorithm they do not offer under the name BCJSSE asks for.
 *
 * <p>Measured here: on the JDK's providers alone BCJSSE offers no RSA-PSS signature scheme (it asks for
 * {@code SHA256withRSAandMGF1}, which SunRsaSign names differently), so TLS 1.3 with an RSA certificate fails
 * with handshake_failure on both ends. Installing Bouncy Castle as a global JCA provider would fix that and
 * change every other library's crypto in the JVM; this helper keeps the fallback private to weft.
 */
final class BcCryptoHelper implements JcaJceHelper {
    private static final Provider BC = new BouncyCastleProvider();
    private final JcaJceHelper first = new DefaultJcaJceHelper();
    private final JcaJceHelper fallback = new ProviderJcaJceHelper(BC);

    /** A crypto provider for {@code BouncyCastleJsseProvider(false, ...)} that uses this helper. */
    static JcaTlsCryptoProvider cryptoProvider() {
        return new JcaTlsCryptoProvider() {
            @Override
            public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
                return new JcaTlsCrypto(new BcCryptoHelper(), keyRandom, nonceRandom) {
                };
            }

            @Override
            public JcaTlsCrypto create(SecureRandom random) {
                return create(random, random);
            }
        };
    }

    @FunctionalInterface
    private interface Lookup<T> {
        T from(JcaJceHelper helper) throws NoSuchAlgorithmException, NoSuchProviderException;
    }

    /**
     * X25519 and X448 key exchange: Bouncy Castle's own first. Measured here (JDK 25, one core): key generation
     * plus agreement takes 125 µs with Bouncy Castle and 229 µs with the JDK's XDH, and it is most of a TLS 1.3
     * server's handshake work; the JDK keeps everything it is faster at (AES-GCM, SHA-2, ECDSA P-256 signing).
     */
    private static boolean montgomery(String algorithm) {
        String a = algorithm.toUpperCase(java.util.Locale.ROOT);
        return a.startsWith("X25519") || a.startsWith("X448") || a.equals("XDH");
    }

    private <T> T bcFirst(Lookup<T> lookup) throws NoSuchAlgorithmException, NoSuchProviderException {
        try {
            return lookup.from(fallback);
        } catch (NoSuchAlgorithmException e) {
            return lookup.from(first);
        }
    }

    private <T> T either(Lookup<T> lookup) throws NoSuchAlgorithmException, NoSuchProviderException {
        try {
            return lookup.from(first);
        } catch (NoSuchAlgorithmException e) {
            return lookup.from(fallback);
        }
    }

    @Override
    public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException,
            NoSuchProviderException {
        try {
            return first.createCipher(algorithm);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            return fallback.createCipher(algorithm);
        }
    }

    @Override
    public Mac createMac(String algorithm) throws NoSuchAlgorithmException, NoSuchProviderException {
        return either(h -> h.createMac(algorithm));
    }

    @Override
    public KeyAgreement createKeyAgreement(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return montgomery(algorithm) ? bcFirst(h -> h.createKeyAgreement(algorithm))
                : either(h -> h.createKeyAgreement(algorithm));
    }

    @Override
    public AlgorithmParameterGenerator createAlgorithmParameterGenerator(String algorithm)
            throws NoSuchAlgorithmException, NoSuchProviderException {
        return either(h -> h.createAlgorithmParameterGenerator(algorithm));
    }

    @Override
    public AlgorithmParameters createAlgorithmParameters(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createAlgorithmParameters(algorithm));
    }

    @Override
    public KeyGenerator createKeyGenerator(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createKeyGenerator(algorithm));
    }

    @Override
    public KeyFactory createKeyFactory(String algorithm) throws NoSuchAlgorithmException, NoSuchProviderException {
        return montgomery(algorithm) ? bcFirst(h -> h.createKeyFactory(algorithm))
                : either(h -> h.createKeyFactory(algorithm));
    }

    @Override
    public SecretKeyFactory createSecretKeyFactory(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createSecretKeyFactory(algorithm));
    }

    @Override
    public KeyPairGenerator createKeyPairGenerator(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return montgomery(algorithm) ? bcFirst(h -> h.createKeyPairGenerator(algorithm))
                : either(h -> h.createKeyPairGenerator(algorithm));
    }

    @Override
    @SuppressWarnings("deprecation")
    public MessageDigest createDigest(String algorithm) throws NoSuchAlgorithmException, NoSuchProviderException {
        return either(h -> h.createDigest(algorithm));
    }

    @Override
    public MessageDigest createMessageDigest(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createMessageDigest(algorithm));
    }

    @Override
    public Signature createSignature(String algorithm) throws NoSuchAlgorithmException, NoSuchProviderException {
        return either(h -> h.createSignature(algorithm));
    }

    @Override
    public CertificateFactory createCertificateFactory(String algorithm) throws NoSuchProviderException,
            CertificateException {
        return first.createCertificateFactory(algorithm);
    }

    @Override
    public SecureRandom createSecureRandom(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createSecureRandom(algorithm));
    }

    @Override
    public CertPathBuilder createCertPathBuilder(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createCertPathBuilder(algorithm));
    }

    @Override
    public CertPathValidator createCertPathValidator(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createCertPathValidator(algorithm));
    }

    @Override
    public CertStore createCertStore(String type, CertStoreParameters params) throws NoSuchAlgorithmException,
            InvalidAlgorithmParameterException, NoSuchProviderException {
        try {
            return first.createCertStore(type, params);
        } catch (NoSuchAlgorithmException e) {
            return fallback.createCertStore(type, params);
        }
    }

    @Override
    public ExemptionMechanism createExemptionMechanism(String algorithm) throws NoSuchAlgorithmException,
            NoSuchProviderException {
        return either(h -> h.createExemptionMechanism(algorithm));
    }

    @Override
    public KeyStore createKeyStore(String type) throws KeyStoreException, NoSuchProviderException {
        return first.createKeyStore(type);
    }
}
