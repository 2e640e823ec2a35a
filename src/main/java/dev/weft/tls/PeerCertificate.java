package dev.weft.tls;

import dev.weft.tls.internal.json.Json;
import dev.weft.tls.internal.x509.CertificateFields;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A certificate as Node's {@code tlsSocket.getPeerCertificate()} describes it: the same fields, with the same
 * names and in the same text formats, read from an {@link X509Certificate}. Get one from
 * {@link TlsSocket#peerCertificate()}, or make one from any certificate with {@link #of} and {@link #detailed}.
 *
 * <pre>{@code
 * PeerCertificate pc = socket.peerCertificate().orElseThrow();
 * pc.subject().get("CN");        // [localhost]
 * pc.subjectaltname();           // Optional[DNS:localhost, IP Address:127.0.0.1]
 * pc.validTo();                  // "Nov 25 09:28:29 2036 GMT"
 * pc.fingerprint256();           // "8E:AC:84:...:B0"
 * pc.toJson();                   // {"subject":{"CN":"localhost"},"issuer":{...},...}
 * }</pre>
 *
 * <p>The formats are Node v20's (OpenSSL 3): names keyed by OpenSSL short names ({@code C, ST, L, O, OU, CN,
 * emailAddress, serialNumber, DC}, …; a dotted OID where OpenSSL has no name); {@code subjectaltname} as
 * {@code DNS:x, IP Address:x, email:x, URI:x, DirName:x, Registered ID:x}, IPv6 uncompressed in uppercase, values
 * holding a comma or quote written as a JSON string; dates as {@code MMM d HH:mm:ss yyyy GMT} with the day
 * space-padded, in UTC; fingerprints and the serial number in uppercase hex. The key fields depend on the key:
 * RSA has {@link #modulus()}, {@link #bits()}, {@link #exponent()} and {@link #pubkey()} (DER
 * SubjectPublicKeyInfo); EC has {@link #bits()}, {@link #pubkey()} (the encoded point, 65 bytes for P-256),
 * {@link #asn1Curve()} and {@link #nistCurve()}; other keys, such as Ed25519, have none of them (Node prints none
 * either).
 *
 * <p>Immutable and thread-safe; byte arrays are copied on the way out. The detailed form ({@link #detailed},
 * {@code peerCertificate(true)}) links each certificate to its issuer through {@link #issuerCertificate()}; a
 * self-issued certificate at the end of the chain is its own issuer, as in Node. Equality is identity: compare
 * {@link #raw()} to compare certificates.
 *
 * <p>Differences from Node: Node's object is mutable and has a null prototype; this is a value with accessors.
 * Optional fields are {@link Optional} here where Node leaves the key out ({@code infoAccess} is an empty map).
 * In {@link #toJson()}, {@code raw} and {@code pubkey} are base64 strings (Node's {@code JSON.stringify} writes a
 * Buffer as {@code {"type":"Buffer","data":[...]}}), and a circular {@code issuerCertificate} (a self-issued
 * root) is the string {@code "[Circular]"} ({@code JSON.stringify} throws on it; {@code util.inspect} shows
 * {@code [Circular *1]}). The map of a repeated name attribute always holds a list; Node uses a string for one
 * value and an array for several (so does the JSON here).
 */
public final class PeerCertificate {
    /** What {@link #toJson()} writes for the issuer of a self-issued certificate at the end of a chain. */
    public static final String CIRCULAR = "[Circular]";

    private final X509Certificate certificate;
    private final CertificateFields fields;
    private final PeerCertificate issuer;
    private final boolean ownIssuer;

    private PeerCertificate(X509Certificate certificate, PeerCertificate issuer, boolean ownIssuer) {
        this.certificate = certificate;
        this.fields = CertificateFields.of(certificate);
        this.issuer = issuer;
        this.ownIssuer = ownIssuer;
    }

    /**
     * {@return the certificate alone, as {@code getPeerCertificate()} describes it: no {@link #issuerCertificate()}}
     *
     * @param certificate the certificate
     */
    public static PeerCertificate of(X509Certificate certificate) {
        return new PeerCertificate(Objects.requireNonNull(certificate, "certificate"), null, false);
    }

    /**
     * {@return the first of {@code certificates} with its issuer chain, as {@code getPeerCertificate(true)} describes
     * it: its issuer is looked for among the other certificates (as OpenSSL's {@code X509_check_issued} matches: names,
     * authority key identifier, key usage), then that one's issuer, and so on; a chain that ends in a self-issued
     * certificate ends in a certificate that is its own issuer} Certificates off the path are ignored.
     *
     * @param certificates the chain, the peer's certificate first
     * @throws IllegalArgumentException when {@code certificates} is empty
     */
    public static PeerCertificate detailed(List<X509Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate: the chain is empty");
        }
        List<X509Certificate> chain = CertificateFields.issuerChain(certificates);
        X509Certificate top = chain.getLast();
        PeerCertificate current = new PeerCertificate(top, null, CertificateFields.issued(top, top));
        for (int i = chain.size() - 2; i >= 0; i--) {
            current = new PeerCertificate(chain.get(i), current, false);
        }
        return current;
    }

    /** {@return the certificate these fields describe} */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * {@return the subject: OpenSSL short attribute names to their values, in certificate order ({@code OU -> [Dev,
     * Ops]})} Unmodifiable.
     */
    public Map<String, List<String>> subject() {
        return fields.subject();
    }

    /** {@return the issuer's name, as {@link #subject()}} */
    public Map<String, List<String>> issuer() {
        return fields.issuer();
    }

    /** {@return the subject alternative names in Node's text form; empty without the extension} */
    public Optional<String> subjectaltname() {
        return Optional.ofNullable(fields.subjectaltname());
    }

    /**
     * {@return the authority information access: {@code "OCSP - URI"} and {@code "CA Issuers - URI"} (or another method
     * and name type) to the locations, in certificate order} Empty without the extension. Unmodifiable.
     */
    public Map<String, List<String>> infoAccess() {
        return fields.infoAccess() == null ? Map.of() : fields.infoAccess();
    }

    /**
     * {@return whether the certificate is a CA: basicConstraints CA:TRUE, and key usage (if present) allows
     * keyCertSign}
     */
    public boolean ca() {
        return fields.ca();
    }

    /** {@return an RSA key's modulus in uppercase hex without leading zeros; empty for other keys} */
    public Optional<String> modulus() {
        return Optional.ofNullable(fields.modulus());
    }

    /** {@return an RSA key's public exponent, as {@code 0x10001}; empty for other keys} */
    public Optional<String> exponent() {
        return Optional.ofNullable(fields.exponent());
    }

    /**
     * {@return the key size: an RSA key's modulus size, an EC key's curve order size (256 for P-256); empty for other
     * keys}
     */
    public OptionalInt bits() {
        return fields.bits() == null ? OptionalInt.empty() : OptionalInt.of(fields.bits());
    }

    /**
     * {@return the public key: for RSA the DER SubjectPublicKeyInfo, for EC the encoded point (uncompressed: {@code
     * 04}, X, Y)} Empty for other keys. A fresh copy.
     */
    public Optional<byte[]> pubkey() {
        return Optional.ofNullable(fields.pubkey()).map(byte[]::clone);
    }

    /**
     * {@return an EC key's curve by OpenSSL's name: {@code prime256v1}, {@code secp384r1}, {@code secp521r1}; empty for
     * other keys}
     */
    public Optional<String> asn1Curve() {
        return Optional.ofNullable(fields.asn1Curve());
    }

    /** {@return an EC key's NIST curve: {@code P-256}, {@code P-384}, {@code P-521}; empty for other keys} */
    public Optional<String> nistCurve() {
        return Optional.ofNullable(fields.nistCurve());
    }

    /**
     * {@return the start of validity, as Node prints it: {@code "Jan  5 03:04:05 2024 GMT"} (UTC, day space-padded)}
     */
    public String validFrom() {
        return fields.validFrom();
    }

    /** {@return the end of validity, formatted as {@link #validFrom()}} */
    public String validTo() {
        return fields.validTo();
    }

    /** {@return the SHA-1 of the DER certificate, uppercase hex pairs joined by {@code :}} */
    public String fingerprint() {
        return fields.fingerprint();
    }

    /** {@return the SHA-256 of the DER certificate, formatted as {@link #fingerprint()}} */
    public String fingerprint256() {
        return fields.fingerprint256();
    }

    /** {@return the SHA-512 of the DER certificate, formatted as {@link #fingerprint()}} */
    public String fingerprint512() {
        return fields.fingerprint512();
    }

    /** {@return the extended key usage OIDs in certificate order; empty without the extension} */
    public Optional<List<String>> extKeyUsage() {
        return Optional.ofNullable(fields.extKeyUsage());
    }

    /**
     * {@return the serial number in uppercase hex, whole bytes, no sign byte: {@code 0x123 -> "0123"}, {@code 0x80 ->
     * "80"}}
     */
    public String serialNumber() {
        return fields.serialNumber();
    }

    /** {@return the DER certificate} A fresh copy. */
    public byte[] raw() {
        return fields.raw().clone();
    }

    /**
     * {@return the issuer's certificate, in the detailed form only: the next certificate up the chain, or this one when
     * it is self-issued and ends the chain (a root)} Empty in the plain form, and where the chain stops short of a
     * self-issued certificate.
     */
    public Optional<PeerCertificate> issuerCertificate() {
        return ownIssuer ? Optional.of(this) : Optional.ofNullable(issuer);
    }

    /**
     * This object as Node's JSON, issuer chain included when it has one: keys in Node's order, optional keys left
     * out, {@code raw} and {@code pubkey} in base64, a self-issued root's issuer as {@value #CIRCULAR}. Compact
     * (no whitespace), as {@code JSON.stringify} writes it.
     *
     * @return the JSON text
     */
    public String toJson() {
        return toJson(true);
    }

    /**
     * As {@link #toJson()}; without {@code issuerCertificate} when {@code detailed} is false.
     *
     * @param detailed whether to include the issuer chain, as {@code getPeerCertificate(true)} does
     * @return the JSON text
     */
    public String toJson(boolean detailed) {
        return Json.write(toMap(detailed));
    }

    private Map<String, Object> toMap(boolean detailed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", name(fields.subject()));
        m.put("issuer", name(fields.issuer()));
        putIfPresent(m, "subjectaltname", fields.subjectaltname());
        if (fields.infoAccess() != null) {
            m.put("infoAccess", fields.infoAccess());
        }
        m.put("ca", fields.ca());
        // Node 24's order (Node 20 put bits before exponent and pubkey, and the curve names after pubkey)
        putIfPresent(m, "modulus", fields.modulus());
        putIfPresent(m, "exponent", fields.exponent());
        putIfPresent(m, "pubkey", fields.pubkey() == null ? null : Base64.getEncoder().encodeToString(fields.pubkey()));
        putIfPresent(m, "bits", fields.bits());
        m.put("valid_from", fields.validFrom());
        m.put("valid_to", fields.validTo());
        m.put("fingerprint", fields.fingerprint());
        m.put("fingerprint256", fields.fingerprint256());
        m.put("fingerprint512", fields.fingerprint512());
        putIfPresent(m, "ext_key_usage", fields.extKeyUsage());
        m.put("serialNumber", fields.serialNumber());
        m.put("raw", Base64.getEncoder().encodeToString(fields.raw()));
        putIfPresent(m, "asn1Curve", fields.asn1Curve());
        putIfPresent(m, "nistCurve", fields.nistCurve());
        if (detailed && ownIssuer) {
            m.put("issuerCertificate", CIRCULAR);
        } else if (detailed && issuer != null) {
            m.put("issuerCertificate", issuer.toMap(true));
        }
        return m;
    }

    private static Map<String, Object> name(Map<String, List<String>> name) {
        Map<String, Object> m = new LinkedHashMap<>();
        name.forEach((k, v) -> m.put(k, v.size() == 1 ? v.getFirst() : new ArrayList<>(v)));
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Override
    public String toString() {
        return "PeerCertificate[subject=" + fields.subject() + ", serialNumber=" + fields.serialNumber()
                + (issuer != null || ownIssuer ? ", with issuer chain" : "") + "]";
    }
}
