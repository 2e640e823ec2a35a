package dev.weft.cert;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.Objects;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * PEM writers for certificates, private keys and CRLs, in the forms OpenSSL 3 writes. Lines end with
 * {@code \n}. This class only writes; {@link dev.weft.tls.ContextOptions} reads PEM keys, certificates and
 * CRLs. Stateless and thread-safe.
 *
 * <p>Differences from Node: Node writes the same blocks with {@code keyObject.export({format: 'pem'})} and
 * {@code x509.toString()}; the encrypted key form is PBES2 with AES-256-CBC, as OpenSSL 3 writes it.
 */
public final class Pem {
    /** The JDK's providers name AES-CBC padding PKCS5Padding; Bouncy Castle's encryptor asks for PKCS7Padding. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private Pem() {
    }

    /**
     * {@code CERTIFICATE} blocks, in the order given.
     *
     * @param certificates the certificates, in order
     * @return the PEM text
     */
    public static String certificates(X509Certificate... certificates) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certificates) {
            b.append(write(Objects.requireNonNull(c, "certificate")));
        }
        return b.toString();
    }

    /**
     * {@return an unencrypted PKCS#8 {@code PRIVATE KEY} block (as {@code openssl genpkey} writes)}
     *
     * @param key the private key
     */
    public static String privateKey(PrivateKey key) {
        try {
            return write(new PKCS8Generator(openSslForm(key), null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode private key: " + e.getMessage(), e);
        }
    }

    /**
     * {@return an encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY} block: PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC
     * (OpenSSL 3's default for {@code openssl pkcs8 -topk8}); read with {@code openssl pkey -passin}}
     *
     * @param key the private key
     * @param passphrase the passphrase that encrypts the key
     */
    public static String encryptedPrivateKey(PrivateKey key, char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        try {
            OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(2048)
                    .setPassword(passphrase)
                    .setProvider(BC)
                    .build();
            return write(new PKCS8Generator(openSslForm(key), enc));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot encrypt private key: " + e.getMessage(), e);
        }
    }

    /**
     * {@code key} as PKCS#8, in the form OpenSSL writes. The JDK encodes an EC key's inner SEC1 structure without
     * its public key; OpenSSL always includes it, and GnuTLS 3.7 refuses a key without it ("ASN1 parser: Element
     * was not found"), so it is computed from the private scalar and added.
     */
    static PrivateKeyInfo openSslForm(PrivateKey key) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        if (!(key instanceof ECPrivateKey ec)) {
            return info;
        }
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                info.parsePrivateKey());
        if (sec1.getPublicKey() != null) {
            return info;
        }
        ECParameterSpec spec = EC5Util.convertSpec(ec.getParams());
        ECPoint q = spec.getG().multiply(ec.getS()).normalize();
        int bits = ec.getParams().getOrder().bitLength();
        return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), new org.bouncycastle.asn1.sec.ECPrivateKey(bits,
                ec.getS(), new DERBitString(q.getEncoded(false)), null));
    }

    /**
     * {@return an {@code X509 CRL} block}
     *
     * @param crl the CRL
     */
    public static String crl(X509CRL crl) {
        return write(crl);
    }

    /** A block of the given type ({@code CERTIFICATE REQUEST}, ...) around DER bytes. */
    static String block(String type, byte[] der) {
        return write(new PemObject(type, der));
    }

    private static String write(Object o) {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            if (o instanceof PemObjectGenerator g) {
                w.writeObject(g);
            } else {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM: " + e.getMessage(), e);
        }
        return s.toString().replace("\r\n", "\n");
    }
}
