package dev.weft.cert;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates in one line: a root CA, intermediates, servers and clients.
 *
 * <pre>{@code
 * var root  = Certs.ca("weft test root").build();
 * var inter = Certs.intermediate("weft inter").pathLength(0).signedBy(root).build();
 * var leaf  = Certs.server("localhost", "127.0.0.1", "::1").signedBy(inter).build();
 * var cli   = Certs.client("client1").signedBy(root).build();
 * var self  = Certs.selfSigned("localhost").build();
 * }</pre>
 *
 * <p>Every factory returns a fresh mutable {@link Builder}; {@link Builder#build()} makes an immutable
 * {@link HeldCertificate} and may be called again for another certificate with a new key. Defaults: an
 * ECDSA P-256 key, valid from one hour ago for 30 days, a random positive 16-byte serial, SHA-256
 * signatures, subject and authority key identifiers, and a key usage fitting the key and role. A builder is not
 * thread-safe; {@code build()} generates a key (unless given one), which takes milliseconds for EC keys and longer
 * for RSA.
 *
 * <p>Differences from Node: Node has no certificate builder; its own tests read fixtures made with
 * {@code openssl}.
 */
public final class Certs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certs() {
    }

    /**
     * A self-signed root CA with subject {@code CN=commonName}: basicConstraints critical CA:true, keyCertSign|cRLSign.
     *
     * @param commonName the subject's common name
     * @return a new builder; {@link Builder#build} makes the certificate
     */
    public static Builder ca(String commonName) {
        return new Builder(Role.CA, commonName);
    }

    /**
     * An intermediate CA with subject {@code CN=commonName}; give it an issuer with {@link Builder#signedBy}.
     *
     * @param commonName the subject's common name
     * @return a new builder; {@link Builder#build} makes the certificate
     */
    public static Builder intermediate(String commonName) {
        return new Builder(Role.INTERMEDIATE, commonName);
    }

    /**
     * A TLS server certificate: subject {@code CN=names[0]}, each name a subject alternative name (IP
     * literals become IP addresses, others DNS names), extended key usage serverAuth. Self-signed unless
     * {@link Builder#signedBy} is called.
     *
     * @param names DNS names or IP literals
     * @return a new builder; {@link Builder#build} makes the certificate
     */
    public static Builder server(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("server certificate needs at least one name");
        }
        return new Builder(Role.LEAF, names[0]).san(names).serverAuth();
    }

    /**
     * A TLS client certificate: subject {@code CN=commonName}, extended key usage clientAuth, no SAN.
     *
     * @param commonName the subject's common name
     * @return a new builder; {@link Builder#build} makes the certificate
     */
    public static Builder client(String commonName) {
        return new Builder(Role.LEAF, commonName).clientAuth();
    }

    /**
     * An end-entity certificate with subject {@code CN=commonName} and nothing else: no SAN, no EKU unless asked.
     *
     * @param commonName the subject's common name
     * @return a new builder; {@link Builder#build} makes the certificate
     */
    public static Builder leaf(String commonName) {
        return new Builder(Role.LEAF, commonName);
    }

    /**
     * A self-signed end-entity (not CA) certificate: subject {@code CN=name}, SAN {@code DNS:name} (or IP), serverAuth.
     *
     * @param name a DNS name or IP literal
     * @return a new builder; {@link Builder#build} makes the certificate
     */
    public static Builder selfSigned(String name) {
        return new Builder(Role.LEAF, name).san(name).serverAuth();
    }

    enum Role { CA, INTERMEDIATE, LEAF }

    /** Describes one certificate; see {@link Certs} for the defaults. Not thread-safe. */
    public static final class Builder {
        private final Role role;
        private String commonName;
        private X500Name subject;
        private final List<GeneralName> sans = new ArrayList<>();
        private KeyType keyType = KeyType.EC_P256;
        private KeyPair keyPair;
        private Instant notBefore;
        private Instant notAfter;
        private Duration validFor;
        private BigInteger serial;
        private HeldCertificate issuer;
        private Integer pathLength;
        private final List<KeyPurposeId> eku = new ArrayList<>();
        private final List<String> ocsp = new ArrayList<>();
        private final List<String> caIssuers = new ArrayList<>();

        Builder(Role role, String commonName) {
            this.role = role;
            this.commonName = Objects.requireNonNull(commonName, "commonName");
        }

        /**
         * The whole subject, replacing {@code CN=commonName}: OpenSSL's {@code /C=UK/O=node.js/CN=localhost}
         * (encoded in that order; repeated attributes kept in order) or RFC 4514 {@code CN=a,O=b}. Values are
         * UTF-8.
         *
         * @param subject the subject distinguished name
         * @return this builder
         */
        public Builder subject(String subject) {
            this.subject = Names.parseDn(subject);
            return this;
        }

        /**
         * The common name of the default subject {@code CN=name}. Ignored once {@link #subject} is set.
         *
         * @param name a DNS name or IP literal
         * @return this builder
         */
        public Builder commonName(String name) {
            this.commonName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Adds DNS subject alternative names.
         *
         * @param names DNS names or IP literals
         * @return this builder
         */
        public Builder dns(String... names) {
            for (String n : names) {
                sans.add(Names.dns(n));
            }
            return this;
        }

        /**
         * Adds IP address (IPv4 or IPv6 literal) subject alternative names.
         *
         * @param addresses IPv4 or IPv6 literals
         * @return this builder
         */
        public Builder ip(String... addresses) {
            for (String a : addresses) {
                sans.add(Names.ip(a));
            }
            return this;
        }

        /**
         * Adds email (rfc822Name) subject alternative names.
         *
         * @param addresses email addresses
         * @return this builder
         */
        public Builder email(String... addresses) {
            for (String a : addresses) {
                sans.add(Names.email(a));
            }
            return this;
        }

        /**
         * Adds URI subject alternative names.
         *
         * @param uris absolute URIs
         * @return this builder
         */
        public Builder uri(String... uris) {
            for (String u : uris) {
                sans.add(Names.uri(u));
            }
            return this;
        }

        /**
         * Adds subject alternative names, typed by an OpenSSL prefix ({@code DNS:}, {@code IP:}, {@code email:},
         * {@code URI:}) or detected: IP literal, then {@code ://} for a URI, {@code @} for email, else DNS.
         *
         * @param names DNS names or IP literals
         * @return this builder
         */
        public Builder san(String... names) {
            for (String n : names) {
                sans.add(Names.san(n));
            }
            return this;
        }

        /**
         * The key type to generate; default {@link KeyType#EC_P256}. Ignored when {@link #keyPair} is given.
         *
         * @param type the key type
         * @return this builder
         */
        public Builder keyType(KeyType type) {
            this.keyType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Uses this key pair instead of generating one.
         *
         * @param keyPair the key pair
         * @return this builder
         */
        public Builder keyPair(KeyPair keyPair) {
            this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
            return this;
        }

        /**
         * The validity window; default from one hour ago to 30 days from now.
         *
         * @param notBefore the first instant the certificate is valid
         * @param notAfter the last instant the certificate is valid
         * @return this builder
         */
        public Builder validity(Instant notBefore, Instant notAfter) {
            if (!notAfter.isAfter(notBefore)) {
                throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
            }
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            this.validFor = null;
            return this;
        }

        /**
         * Valid from one hour ago until {@code duration} from now.
         *
         * @param duration how long the certificate is valid, from now
         * @return this builder
         */
        public Builder validFor(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("validFor needs a positive duration, got " + duration);
            }
            this.validFor = duration;
            this.notBefore = null;
            this.notAfter = null;
            return this;
        }

        /**
         * Already expired: valid for 30 days ending 24 hours ago.
         *
         * @return this builder
         */
        public Builder expired() {
            Instant end = now().minus(Duration.ofDays(1));
            return validity(end.minus(Duration.ofDays(30)), end);
        }

        /**
         * Not yet valid: valid for 30 days starting 24 hours from now.
         *
         * @return this builder
         */
        public Builder notYetValid() {
            Instant start = now().plus(Duration.ofDays(1));
            return validity(start, start.plus(Duration.ofDays(30)));
        }

        /**
         * The serial number (positive); default a random positive 16-byte number.
         *
         * @param serial the serial number, positive
         * @return this builder
         */
        public Builder serial(BigInteger serial) {
            if (serial.signum() <= 0) {
                throw new IllegalArgumentException("serial must be positive, got " + serial);
            }
            this.serial = serial;
            return this;
        }

        /**
         * The issuer that signs this certificate; without it the certificate is self-signed.
         *
         * @param issuer the CA that signs the certificate, holding its private key
         * @return this builder
         */
        public Builder signedBy(HeldCertificate issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * The basicConstraints path length of a CA; default unlimited. Only for {@code ca} and {@code intermediate}.
         *
         * @param pathLength the most CA certificates that may follow this one in a chain
         * @return this builder
         */
        public Builder pathLength(int pathLength) {
            if (role == Role.LEAF) {
                throw new IllegalStateException("pathLength applies to CA certificates (Certs.ca or Certs.intermediate)");
            }
            if (pathLength < 0) {
                throw new IllegalArgumentException("pathLength must be >= 0, got " + pathLength);
            }
            this.pathLength = pathLength;
            return this;
        }

        /**
         * Adds extended key usage serverAuth (1.3.6.1.5.5.7.3.1).
         *
         * @return this builder
         */
        public Builder serverAuth() {
            if (!eku.contains(KeyPurposeId.id_kp_serverAuth)) {
                eku.add(KeyPurposeId.id_kp_serverAuth);
            }
            return this;
        }

        /**
         * Adds extended key usage clientAuth (1.3.6.1.5.5.7.3.2).
         *
         * @return this builder
         */
        public Builder clientAuth() {
            if (!eku.contains(KeyPurposeId.id_kp_clientAuth)) {
                eku.add(KeyPurposeId.id_kp_clientAuth);
            }
            return this;
        }

        /**
         * Adds an OCSP responder URI to the authority information access extension.
         *
         * @param uri the OCSP responder's URI
         * @return this builder
         */
        public Builder ocsp(String uri) {
            ocsp.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /**
         * Adds a CA Issuers URI to the authority information access extension.
         *
         * @param uri where the issuer's certificate can be fetched
         * @return this builder
         */
        public Builder caIssuers(String uri) {
            caIssuers.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /**
         * Makes the certificate (and a key pair unless one was given).
         *
         * @return the certificate with its private key
         */
        public HeldCertificate build() {
            if (role == Role.INTERMEDIATE && issuer == null) {
                throw new IllegalStateException("intermediate CA '" + commonName
                        + "' needs an issuer: call signedBy(root); for a root use Certs.ca");
            }
            KeyPair keys = keyPair != null ? keyPair : keyType.generate();
            X500Name subjectName = subject != null ? subject
                    : new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
            Instant start;
            Instant end;
            if (notBefore != null) {
                start = notBefore;
                end = notAfter;
            } else {
                Instant now = now();
                start = now.minus(Duration.ofHours(1));
                end = now.plus(validFor != null ? validFor : Duration.ofDays(30));
            }
            boolean ca = role != Role.LEAF;
            X500Name issuerName = issuer == null ? subjectName
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            PublicKey issuerPublic = issuer == null ? keys.getPublic() : issuer.keyPair().getPublic();
            PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.privateKey();
            try {
                JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                        serial != null ? serial : randomSerial(), Date.from(start), Date.from(end),
                        subjectName, keys.getPublic());
                if (ca) {
                    b.addExtension(Extension.basicConstraints, true,
                            pathLength != null ? new BasicConstraints(pathLength) : new BasicConstraints(true));
                } else {
                    b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
                }
                b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage(ca, issuer == null, keys)));
                if (!eku.isEmpty()) {
                    b.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(eku.toArray(KeyPurposeId[]::new)));
                }
                if (!sans.isEmpty()) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)));
                }
                b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublic));
                if (!ocsp.isEmpty() || !caIssuers.isEmpty()) {
                    List<ASN1Encodable> ads = new ArrayList<>();
                    for (String u : ocsp) {
                        ads.add(new AccessDescription(AccessDescription.id_ad_ocsp, Names.uri(u)));
                    }
                    for (String u : caIssuers) {
                        ads.add(new AccessDescription(AccessDescription.id_ad_caIssuers, Names.uri(u)));
                    }
                    b.addExtension(Extension.authorityInfoAccess, false, new DERSequence(ads.toArray(ASN1Encodable[]::new)));
                }
                X509Certificate cert = new JcaX509CertificateConverter()
                        .getCertificate(b.build(new JcaContentSignerBuilder(signatureAlgorithm(signer)).build(signer)));
                return new HeldCertificate(cert, keys, issuer);
            } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
                throw new IllegalStateException("cannot make certificate " + subjectName + ": " + e.getMessage(), e);
            }
        }

        private static int keyUsage(boolean ca, boolean selfSigned, KeyPair keys) {
            if (ca) {
                return KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign;
            }
            int ku = KeyUsage.digitalSignature;
            if (keys.getPublic().getAlgorithm().equals("RSA")) {
                ku |= KeyUsage.keyEncipherment;
            }
            if (selfSigned) {
                // OpenSSL treats a certificate as self-signed only if its key may sign certificates.
                ku |= KeyUsage.keyCertSign;
            }
            return ku;
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    static BigInteger randomSerial() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[0] = (byte) ((b[0] & 0x7f) | 0x40); // positive, and exactly 16 bytes in DER
        return new BigInteger(1, b);
    }

    /** SHA-256 based signatures; Ed25519 signs with itself. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported signing key algorithm " + key.getAlgorithm());
        };
    }
}
