package dev.weft.cert;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * PEM writers for certificates, private keys and CRLs, in the forms OpenSSL 3 writes. Lines end with
 * {@code \n}. Reading PEM lives with the credentials reader in {@code dev.weft.tls.internal}; this class
 * only writes.
 */
public final class Pem {
    /** Bouncy Castle's JCA provider, never registered: the JDK has no {@code AES/CBC/PKCS7Padding} for PKCS#8. */
    private static final class Bc {
        static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    private Pem() {
    }

    /** {@code CERTIFICATE} blocks, in the order given. */
    public static String certificates(X509Certificate... certificates) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certificates) {
            b.append(write(Objects.requireNonNull(c, "certificate")));
        }
        return b.toString();
    }

    /** An unencrypted PKCS#8 {@code PRIVATE KEY} block (as {@code openssl genpkey} writes). */
    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode private key: " + e.getMessage(), e);
        }
    }

    /**
     * An encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY} block: PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC
     * (OpenSSL 3's default for {@code openssl pkcs8 -topk8}); read with {@code openssl pkey -passin}.
     */
    public static String encryptedPrivateKey(PrivateKey key, char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        try {
            OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(2048)
                    .setProvider(Bc.PROVIDER)
                    .setPassword(passphrase)
                    .build();
            return write(new JcaPKCS8Generator(key, enc));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot encrypt private key: " + e.getMessage(), e);
        }
    }

    /** An {@code X509 CRL} block. */
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
