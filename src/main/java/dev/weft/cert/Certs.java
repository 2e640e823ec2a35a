package dev.weft.cert;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
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
 * <p>Certificates for tests of verifiers, odd on purpose, are made with the same builder: any extension can be
 * replaced by raw DER ({@link Builder#extension}), left out ({@link Builder#withoutExtension}) or have its
 * criticality changed ({@link Builder#critical}); {@link Builder#keyUsage}, {@link Builder#extendedKeyUsage},
 * {@link Builder#basicConstraints}, {@link Builder#nameConstraints} and the key identifiers are conveniences on top.
 * The issuer field ({@link Builder#issuerName}), the signature algorithm ({@link Builder#signatureAlgorithm}) and
 * the version ({@link Builder#version1}) can be set too. Only what is asked changes; every default stays.
 *
 * <pre>{@code
 * var inter = Certs.intermediate("constrained")
 *         .nameConstraints(List.of("DNS:.example.com", "IP:10.0.0.0/8"), List.of("DNS:bad.example.com"))
 *         .signedBy(root).build();
 * var odd = Certs.server("a.example.com").keyUsage("keyCertSign").extendedKeyUsage("clientAuth")
 *         .extension("1.2.3.4", true, new byte[] {5, 0}).signatureAlgorithm("SHA1withECDSA")
 *         .signedBy(inter).build();
 * }</pre>
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
        private Boolean basicConstraintsCa;
        private final List<KeyPurposeId> eku = new ArrayList<>();
        private final List<String> ocsp = new ArrayList<>();
        private final List<String> caIssuers = new ArrayList<>();
        /** Extensions given or built by the caller, by OID, in call order; a null value leaves the extension out. */
        private final Map<ASN1ObjectIdentifier, Extension> overrides = new LinkedHashMap<>();
        private final Map<ASN1ObjectIdentifier, Boolean> criticality = new LinkedHashMap<>();
        private String signatureAlgorithm;
        private X500Name issuerName;
        private boolean version1;

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
            return addSans(Names::dns, names);
        }

        /**
         * Adds IP address (IPv4 or IPv6 literal) subject alternative names.
         *
         * @param addresses IPv4 or IPv6 literals
         * @return this builder
         */
        public Builder ip(String... addresses) {
            return addSans(Names::ip, addresses);
        }

        /**
         * Adds email (rfc822Name) subject alternative names.
         *
         * @param addresses email addresses
         * @return this builder
         */
        public Builder email(String... addresses) {
            return addSans(Names::email, addresses);
        }

        /**
         * Adds URI subject alternative names.
         *
         * @param uris absolute URIs
         * @return this builder
         */
        public Builder uri(String... uris) {
            return addSans(Names::uri, uris);
        }

        /**
         * Adds subject alternative names, typed by an OpenSSL prefix ({@code DNS:}, {@code IP:}, {@code email:},
         * {@code URI:}) or detected: IP literal, then {@code ://} for a URI, {@code @} for email, else DNS.
         *
         * @param names DNS names or IP literals
         * @return this builder
         */
        public Builder san(String... names) {
            return addSans(Names::san, names);
        }

        /** Adds a subject alternative name per value, each read by {@code name} (which refuses a bad one). */
        private Builder addSans(Function<String, GeneralName> name, String... values) {
            for (String v : values) {
                sans.add(name.apply(v));
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
         * The basicConstraints path length of a CA; default unlimited. Only for {@code ca} and {@code intermediate},
         * or another certificate after {@link #basicConstraints basicConstraints(true)}.
         *
         * @param pathLength the most CA certificates that may follow this one in a chain
         * @return this builder
         */
        public Builder pathLength(int pathLength) {
            if (role == Role.LEAF && !Boolean.TRUE.equals(basicConstraintsCa)) {
                throw new IllegalStateException("pathLength applies to CA certificates (Certs.ca or Certs.intermediate,"
                        + " or basicConstraints(true) first)");
            }
            if (pathLength < 0) {
                throw new IllegalArgumentException("pathLength must be >= 0, got " + pathLength);
            }
            this.pathLength = pathLength;
            return this;
        }

        /**
         * The basicConstraints {@code cA} flag, on any kind of certificate: {@code true} makes a CA, {@code false} an
         * end entity. Without this call it is {@code true} for {@link Certs#ca} and {@link Certs#intermediate},
         * {@code false} otherwise. The extension is critical when {@code cA} is true and not critical when false
         * (change that with {@link #critical}); the default key usage still follows the factory the builder came
         * from, not this flag. To leave basicConstraints out: {@code withoutExtension("basicConstraints")}.
         *
         * @param ca whether the certificate is a CA
         * @return this builder
         */
        public Builder basicConstraints(boolean ca) {
            if (!ca && pathLength != null) {
                throw new IllegalStateException("basicConstraints(false) with a pathLength: a path length needs cA true");
            }
            this.basicConstraintsCa = ca;
            return this;
        }

        /**
         * The key usage, exactly these bits, as a critical extension (criticality can be changed with
         * {@link #critical}). Names as OpenSSL spells them, case-insensitive: {@code digitalSignature},
         * {@code nonRepudiation}, {@code keyEncipherment}, {@code dataEncipherment}, {@code keyAgreement},
         * {@code keyCertSign}, {@code cRLSign}, {@code encipherOnly}, {@code decipherOnly}. Without this call the key
         * usage fits the role and key: keyCertSign|cRLSign|digitalSignature for a CA; digitalSignature (and
         * keyEncipherment for RSA, keyCertSign when self-signed) for an end entity. To leave the extension out:
         * {@code withoutExtension("keyUsage")}.
         *
         * @param bits one or more key usage names
         * @return this builder
         * @throws IllegalArgumentException for no bits or an unknown name
         */
        public Builder keyUsage(String... bits) {
            if (bits.length == 0) {
                throw new IllegalArgumentException("keyUsage needs at least one bit; to leave the extension out call "
                        + "withoutExtension(\"keyUsage\")");
            }
            return put(Extension.keyUsage, true, new KeyUsage(Names.keyUsage(bits)));
        }

        /**
         * The extended key usage, exactly these purposes in this order, replacing any added so far (including the
         * serverAuth or clientAuth of {@link Certs#server}, {@link Certs#client} and {@link Certs#selfSigned}); later
         * {@link #serverAuth()} and {@link #clientAuth()} calls add to it. Names as OpenSSL spells them,
         * case-insensitive: {@code serverAuth}, {@code clientAuth}, {@code codeSigning}, {@code emailProtection},
         * {@code timeStamping}, {@code OCSPSigning}, {@code ipsecIKE}, {@code anyExtendedKeyUsage}; or dotted OIDs.
         * The extension is not critical unless {@code critical("extendedKeyUsage", true)}. Without this call the
         * certificate has the purposes its factory and {@code serverAuth()}/{@code clientAuth()} gave it, and no
         * extension when none; to leave it out: {@code withoutExtension("extendedKeyUsage")}.
         *
         * @param purposes one or more purpose names or dotted OIDs
         * @return this builder
         * @throws IllegalArgumentException for no purposes or an unknown name
         */
        public Builder extendedKeyUsage(String... purposes) {
            if (purposes.length == 0) {
                throw new IllegalArgumentException("extendedKeyUsage needs at least one purpose; to leave the "
                        + "extension out call withoutExtension(\"extendedKeyUsage\")");
            }
            List<KeyPurposeId> ids = new ArrayList<>();
            for (String p : purposes) {
                ids.add(Names.keyPurpose(p));
            }
            eku.clear();
            eku.addAll(ids);
            return this;
        }

        /**
         * Name constraints (RFC 5280 section 4.2.1.10), a critical extension as RFC 5280 requires (criticality can
         * be changed with {@link #critical}). Each entry is written as in OpenSSL's {@code nameConstraints}
         * configuration: {@code DNS:example.com}, {@code DNS:.example.com}, {@code DNS:} (empty),
         * {@code IP:10.0.0.0/255.0.0.0}, {@code IP:10.0.0.0/8}, {@code IP:2001:db8::/32}, {@code email:example.com},
         * {@code email:.example.com}, {@code email:user@example.com}, {@code URI:.example.com},
         * {@code dirName:/O=Good/CN=x}, {@code RID:1.2.3.4}; each subtree has minimum 0 and no maximum. Subtrees
         * with a minimum or maximum, or other name types (otherName, x400Address, ediPartyName), are written as
         * raw DER with {@link #extension}. Without this call the certificate has no name constraints.
         *
         * @param permitted the permitted subtrees, possibly empty
         * @param excluded the excluded subtrees, possibly empty
         * @return this builder
         * @throws IllegalArgumentException when both lists are empty (RFC 5280 forbids an empty extension) or an
         *     entry cannot be read
         */
        public Builder nameConstraints(List<String> permitted, List<String> excluded) {
            if (permitted.isEmpty() && excluded.isEmpty()) {
                throw new IllegalArgumentException("nameConstraints needs at least one permitted or excluded subtree");
            }
            return put(Extension.nameConstraints, true,
                    new NameConstraints(subtrees(permitted), subtrees(excluded)));
        }

        private static GeneralSubtree[] subtrees(List<String> entries) {
            if (entries.isEmpty()) {
                return null;
            }
            return entries.stream().map(Names::subtree).toArray(GeneralSubtree[]::new);
        }

        /**
         * The subject key identifier, these bytes instead of the default (the SHA-1 of the public key, as OpenSSL
         * computes it). Not critical. To leave it out: {@code withoutExtension("subjectKeyIdentifier")}.
         *
         * @param keyId the key identifier
         * @return this builder
         */
        public Builder subjectKeyIdentifier(byte[] keyId) {
            return put(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId.clone()));
        }

        /**
         * The authority key identifier, holding only this keyIdentifier instead of the default (the SHA-1 of the
         * issuer's public key). Not critical. To leave it out: {@code withoutExtension("authorityKeyIdentifier")}.
         *
         * @param keyId the issuer's key identifier as this certificate names it
         * @return this builder
         */
        public Builder authorityKeyIdentifier(byte[] keyId) {
            return put(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId.clone()));
        }

        /**
         * A raw extension: {@code derValue} is the DER of the extension's value (what goes inside its OCTET STRING).
         * It replaces any extension with the same OID that the builder would write (a default, or one set by an
         * earlier call such as {@link #keyUsage}); a new OID is added after the defaults. Without it the builder
         * writes only its defaults and what its other methods add.
         *
         * @param oid a dotted OID, or an extension name as OpenSSL spells it: {@code basicConstraints},
         *     {@code keyUsage}, {@code extendedKeyUsage}, {@code subjectAltName}, {@code issuerAltName},
         *     {@code subjectKeyIdentifier}, {@code authorityKeyIdentifier}, {@code authorityInfoAccess},
         *     {@code subjectInfoAccess}, {@code nameConstraints}, {@code crlDistributionPoints},
         *     {@code certificatePolicies}, {@code policyConstraints}, {@code policyMappings},
         *     {@code inhibitAnyPolicy}, {@code tlsfeature}, {@code nsCertType}, {@code nsComment}
         * @param critical whether the extension is critical
         * @param derValue the DER encoding of the extension's value
         * @return this builder
         */
        public Builder extension(String oid, boolean critical, byte[] derValue) {
            ASN1ObjectIdentifier id = Names.extension(oid);
            overrides.remove(id); // a later call comes later in the certificate too
            overrides.put(id, new Extension(id, critical, new DEROctetString(derValue.clone())));
            return this;
        }

        /**
         * Leaves out the extension with this OID, whether a default (basicConstraints, keyUsage, the key identifiers,
         * a SAN, an EKU) or one set by an earlier call. A later {@link #extension} or convenience call for the same
         * OID puts it back. Without it every default extension is written.
         *
         * @param oid a dotted OID or an extension name, as for {@link #extension}
         * @return this builder
         */
        public Builder withoutExtension(String oid) {
            ASN1ObjectIdentifier id = Names.extension(oid);
            overrides.remove(id);
            overrides.put(id, null);
            return this;
        }

        /**
         * Marks the extension with this OID critical or not, whichever call or default made it; {@link #build()}
         * fails if the certificate has no such extension. Without it: basicConstraints is critical on a CA,
         * keyUsage and nameConstraints are critical, every other default is not, and {@link #extension} takes the
         * criticality it is given.
         *
         * @param oid a dotted OID or an extension name, as for {@link #extension}
         * @param critical whether the extension is critical
         * @return this builder
         */
        public Builder critical(String oid, boolean critical) {
            criticality.put(Names.extension(oid), critical);
            return this;
        }

        /**
         * The signature algorithm, as the JCA names it: {@code SHA256withRSA}, {@code SHA1withRSA},
         * {@code MD5withRSA}, {@code SHA384withECDSA}, {@code SHA1withECDSA}, {@code SHA256withRSAandMGF1}
         * (RSA-PSS), {@code Ed25519}, ... It must fit the issuer's key. Without this call: SHA-256 with the
         * issuer's key type (SHA256withRSA, SHA256withECDSA), Ed25519 for an Ed25519 key.
         *
         * @param algorithm a JCA signature algorithm name
         * @return this builder
         */
        public Builder signatureAlgorithm(String algorithm) {
            this.signatureAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * The issuer field, replacing the signer's subject (or, self-signed, this certificate's own subject), in
         * the same forms as {@link #subject}. Only the field changes: the certificate is still signed by the
         * {@link #signedBy} issuer's key (or its own), and the authority key identifier still names that key.
         * Without this call the issuer field is the signer's subject.
         *
         * @param dn the issuer distinguished name
         * @return this builder
         */
        public Builder issuerName(String dn) {
            this.issuerName = Names.parseDn(dn);
            return this;
        }

        /**
         * Makes an X.509 version 1 certificate: no extensions at all, so the defaults and every extension method
         * ({@link #san}, {@link #extension}, {@link #keyUsage}, ...) are ignored. Without this call the certificate
         * is version 3.
         *
         * @return this builder
         */
        public Builder version1() {
            this.version1 = true;
            return this;
        }

        private Builder put(ASN1ObjectIdentifier id, boolean critical, ASN1Encodable value) {
            try {
                return extension(id.getId(), critical, value.toASN1Primitive().getEncoded("DER"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode extension " + id + ": " + e.getMessage(), e);
            }
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
            X500Name issuerField = issuerName != null ? issuerName : issuer == null ? subjectName
                    : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.privateKey();
            BigInteger serialNumber = serial != null ? serial : randomSerial();
            try {
                ContentSigner contentSigner = new JcaContentSignerBuilder(
                        signatureAlgorithm != null ? signatureAlgorithm : Certs.signatureAlgorithm(signer)).build(signer);
                X509CertificateHolder holder;
                if (version1) {
                    holder = new JcaX509v1CertificateBuilder(issuerField, serialNumber, Date.from(start),
                            Date.from(end), subjectName, keys.getPublic()).build(contentSigner);
                } else {
                    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerField, serialNumber,
                            Date.from(start), Date.from(end), subjectName, keys.getPublic());
                    for (Extension e : extensions(keys).values()) {
                        b.addExtension(e);
                    }
                    holder = b.build(contentSigner);
                }
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
                return new HeldCertificate(cert, keys, issuer);
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("cannot make certificate " + subjectName + ": " + e.getMessage(), e);
            }
        }

        /** The defaults, then the overrides in call order, then the criticality changes. */
        private Map<ASN1ObjectIdentifier, Extension> extensions(KeyPair keys)
                throws GeneralSecurityException, IOException {
            boolean roleCa = role != Role.LEAF;
            boolean ca = basicConstraintsCa != null ? basicConstraintsCa : roleCa;
            if (pathLength != null && !ca) {
                throw new IllegalStateException("pathLength needs basicConstraints cA true");
            }
            PublicKey issuerPublic = issuer == null ? keys.getPublic() : issuer.keyPair().getPublic();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            Map<ASN1ObjectIdentifier, Extension> m = new LinkedHashMap<>();
            add(m, Extension.basicConstraints, ca, !ca ? new BasicConstraints(false)
                    : pathLength != null ? new BasicConstraints(pathLength) : new BasicConstraints(true));
            add(m, Extension.keyUsage, true, new KeyUsage(keyUsage(roleCa, issuer == null, keys)));
            if (!eku.isEmpty()) {
                add(m, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku.toArray(KeyPurposeId[]::new)));
            }
            if (!sans.isEmpty()) {
                add(m, Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            add(m, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            add(m, Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerPublic));
            if (!ocsp.isEmpty() || !caIssuers.isEmpty()) {
                List<ASN1Encodable> ads = new ArrayList<>();
                for (String u : ocsp) {
                    ads.add(new AccessDescription(AccessDescription.id_ad_ocsp, Names.uri(u)));
                }
                for (String u : caIssuers) {
                    ads.add(new AccessDescription(AccessDescription.id_ad_caIssuers, Names.uri(u)));
                }
                add(m, Extension.authorityInfoAccess, false, new DERSequence(ads.toArray(ASN1Encodable[]::new)));
            }
            overrides.forEach((id, e) -> {
                if (e == null) {
                    m.remove(id);
                } else {
                    m.put(id, e);
                }
            });
            for (Map.Entry<ASN1ObjectIdentifier, Boolean> c : criticality.entrySet()) {
                Extension e = m.get(c.getKey());
                if (e == null) {
                    throw new IllegalStateException("critical(" + c.getKey() + ", " + c.getValue()
                            + "): the certificate has no such extension");
                }
                m.put(c.getKey(), new Extension(c.getKey(), c.getValue(), e.getExtnValue()));
            }
            return m;
        }

        private static void add(Map<ASN1ObjectIdentifier, Extension> m, ASN1ObjectIdentifier id, boolean critical,
                ASN1Encodable value) throws IOException {
            m.put(id, new Extension(id, critical, new DEROctetString(value.toASN1Primitive().getEncoded("DER"))));
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
