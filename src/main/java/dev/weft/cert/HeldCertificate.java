package dev.weft.cert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A certificate together with its private key and the issuer that signed it: what a test server or client
 * needs to present, made in one line with {@link Certs}.
 *
 * <p>Immutable and thread-safe. The private key is held in memory only; it is written out only by the
 * {@code *Pem} and {@link #pkcs12} methods.
 */
public final class HeldCertificate {
    private final X509Certificate certificate;
    private final KeyPair keyPair;
    private final HeldCertificate issuer;

    HeldCertificate(X509Certificate certificate, KeyPair keyPair, HeldCertificate issuer) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.issuer = issuer;
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The key pair whose public half the certificate certifies. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** The private key. */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The certificate that signed this one, or null if this certificate is self-signed. */
    public HeldCertificate issuer() {
        return issuer;
    }

    /** The serial number. */
    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    /** True if the certificate is self-signed (it has no issuer here). */
    public boolean selfSigned() {
        return issuer == null;
    }

    /**
     * The chain a server or client presents: this certificate, then its issuers' certificates, up to but
     * excluding the self-signed root (peers are expected to have the root already). A self-signed
     * certificate's chain is just itself.
     */
    public List<X509Certificate> chain() {
        List<X509Certificate> out = new ArrayList<>();
        out.add(certificate);
        for (HeldCertificate i = issuer; i != null && !i.selfSigned(); i = i.issuer) {
            out.add(i.certificate);
        }
        return List.copyOf(out);
    }

    /** This certificate alone, as a PEM {@code CERTIFICATE} block. */
    public String certificatePem() {
        return Pem.certificates(certificate);
    }

    /** The certificates of {@link #chain()} as concatenated PEM blocks, this certificate first. */
    public String chainPem() {
        return Pem.certificates(chain().toArray(X509Certificate[]::new));
    }

    /** The private key as an unencrypted PKCS#8 {@code PRIVATE KEY} PEM block. */
    public String privateKeyPem() {
        return Pem.privateKey(privateKey());
    }

    /**
     * The private key as an encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY} PEM block: PBES2 with
     * PBKDF2/HMAC-SHA256 and AES-256-CBC, as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes.
     */
    public String privateKeyPem(char[] passphrase) {
        return Pem.encryptedPrivateKey(privateKey(), passphrase);
    }

    /**
     * A PKCS#12 file (Node's {@code pfx}) holding the private key and {@link #chain()}: keys and certificates
     * encrypted with PBES2 (PBKDF2/HMAC-SHA256, AES-256-CBC), integrity by an HMAC-SHA256 MAC. These are the
     * JDK's PKCS#12 defaults (JDK 12 and later); OpenSSL 3.0 reads them. The entry alias is {@code 1}.
     */
    public byte[] pkcs12(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setEntry("1", new KeyStore.PrivateKeyEntry(privateKey(), chain().toArray(Certificate[]::new)),
                    new KeyStore.PasswordProtection(passphrase, "PBEWithHmacSHA256AndAES_256", null));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, passphrase);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write PKCS#12: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "HeldCertificate[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + serial().toString(16) + "]";
    }
}
