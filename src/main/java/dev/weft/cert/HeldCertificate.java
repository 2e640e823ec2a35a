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
 *
 * <p>Differences from Node: Node has no such type; it takes the key and certificate as separate PEM strings,
 * which {@link #privateKeyPem()} and {@link #certificatePem()} give.
 */
public final class HeldCertificate {
    private final X509Certificate certificate;
    private final KeyPair keyPair;
    private final HeldCertificate issuer;
    private final boolean selfSigned;
    private final List<X509Certificate> chain;

    HeldCertificate(X509Certificate certificate, KeyPair keyPair, HeldCertificate issuer) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.issuer = issuer;
        this.selfSigned = issuer == null;
        List<X509Certificate> c = new ArrayList<>();
        c.add(certificate);
        if (issuer != null && !issuer.selfSigned()) {
            c.addAll(issuer.chain());
        }
        this.chain = List.copyOf(c);
    }

    private HeldCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
        this.certificate = chain.getFirst();
        this.keyPair = new KeyPair(certificate.getPublicKey(), privateKey);
        this.issuer = null;
        this.selfSigned = chain.size() == 1 && isSelfIssued(certificate);
        List<X509Certificate> c = new ArrayList<>(chain);
        if (c.size() > 1 && isSelfIssued(c.getLast())) {
            c.removeLast();
        }
        this.chain = List.copyOf(c);
    }

    /**
     * {@return a certificate and its private key made elsewhere — read from files such as a CA's {@code ca-key.pem} and
     * {@code ca-cert.pem}, or made by openssl — to sign with ({@link Certs.Builder#signedBy}, {@link Crls}) or
     * to export ({@link #pkcs12})}
     *
     * <p>{@code chain} is the certificate first, then the CA certificates above it, as a server presents them;
     * a self-signed root at its end is dropped from {@link #chain()}, as for certificates made by {@link Certs}.
     * {@link #issuer()} is null: the issuers' keys are not known. {@link #selfSigned()} is true only for a
     * chain of one certificate whose issuer is its subject.
     *
     * @param privateKey the private key of the chain's first certificate
     * @param chain the certificate first, then the certificates that issued it, in order
     * @throws IllegalArgumentException if {@code chain} is empty, or {@code privateKey} is not the private half
     *     of the first certificate's public key
     */
    public static HeldCertificate of(PrivateKey privateKey, List<X509Certificate> chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate given with the private key");
        }
        X509Certificate first = chain.getFirst();
        if (!CertificateRequests.matches(privateKey, first.getPublicKey())) {
            throw new IllegalArgumentException("private key does not match the certificate's public key (subject "
                    + first.getSubjectX500Principal().getName() + "); were key and certificate from different pairs?");
        }
        return new HeldCertificate(privateKey, chain);
    }

    private static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /** {@return the certificate} */
    public X509Certificate certificate() {
        return certificate;
    }

    /** {@return the key pair whose public half the certificate certifies} */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** {@return the private key} */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /**
     * {@return the certificate that signed this one, or null if this certificate is self-signed or was given to {@link
     * #of}}
     */
    public HeldCertificate issuer() {
        return issuer;
    }

    /** {@return the serial number} */
    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    /**
     * {@return true if the certificate is self-signed: made by {@link Certs} without {@link Certs.Builder#signedBy}, or
     * given to {@link #of} alone with its issuer equal to its subject}
     */
    public boolean selfSigned() {
        return selfSigned;
    }

    /**
     * {@return the chain a server or client presents: this certificate, then its issuers' certificates, up to but
     * excluding the self-signed root (peers are expected to have the root already)} A self-signed
     * certificate's chain is just itself.
     */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** {@return this certificate alone, as a PEM {@code CERTIFICATE} block} */
    public String certificatePem() {
        return Pem.certificates(certificate);
    }

    /** {@return the certificates of {@link #chain()} as concatenated PEM blocks, this certificate first} */
    public String chainPem() {
        return Pem.certificates(chain().toArray(X509Certificate[]::new));
    }

    /** {@return the private key as an unencrypted PKCS#8 {@code PRIVATE KEY} PEM block} */
    public String privateKeyPem() {
        return Pem.privateKey(privateKey());
    }

    /**
     * {@return the private key as an encrypted PKCS#8 {@code ENCRYPTED PRIVATE KEY} PEM block: PBES2 with
     * PBKDF2/HMAC-SHA256 and AES-256-CBC, as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes}
     *
     * @param passphrase the passphrase that encrypts the key
     */
    public String privateKeyPem(char[] passphrase) {
        return Pem.encryptedPrivateKey(privateKey(), passphrase);
    }

    /**
     * {@return a PKCS#12 file (Node's {@code pfx}) holding the private key and {@link #chain()}: keys and certificates
     * encrypted with PBES2 (PBKDF2/HMAC-SHA256, AES-256-CBC), integrity by an HMAC-SHA256 MAC} These are the
     * JDK's PKCS#12 defaults (JDK 12 and later); OpenSSL 3.0 reads them. The entry alias is {@code 1}.
     *
     * @param passphrase the passphrase that encrypts the key
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
