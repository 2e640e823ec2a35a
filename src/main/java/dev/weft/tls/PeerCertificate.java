package dev.weft.tls;

import dev.weft.tls.internal.CertificateFields;
import dev.weft.tls.internal.CertificateFields.Json;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate as Node's {@code tlsSocket.getPeerCertificate()} describes it: the same fields, names and formats
 * (subject and issuer with OpenSSL's short names, {@code subjectaltname} as OpenSSL prints it, dates such as
 * {@code Nov  7 09:28:29 2026 GMT}, colon-separated upper-case fingerprints, an even-length serial number).
 * {@link #toJson()} is what {@code JSON.stringify} prints for Node's object, with {@code raw} and {@code pubkey}
 * as base64. Immutable and thread-safe.
 *
 * <p>Differences from Node: fields Node omits are empty {@link Optional}s (or an empty map) here, and absent
 * from the JSON as in Node. A subject attribute is always a list ({@code subject().get("OU")} is
 * {@code [Dev, Ops]}); the JSON writes a single value as a string and several as an array, as Node does. In the
 * detailed form a self-signed root's {@link #issuerCertificate()} is the root itself, as in Node; since
 * {@code JSON.stringify} cannot write that cycle, {@link #toJson(boolean)} leaves the self-reference out. Node
 * reports no key fields for key types other than RSA and EC (Ed25519, for one), and neither does weft.
 */
public final class PeerCertificate {
    private final X509Certificate certificate;
    private final PeerCertificate issuer; // null: none known; this: self-signed end of a detailed chain

    private PeerCertificate(X509Certificate certificate, List<X509Certificate> rest, int index) {
        this.certificate = certificate;
        if (index + 1 < rest.size()) {
            this.issuer = new PeerCertificate(rest.get(index + 1), rest, index + 1);
        } else if (rest.size() > 0 && isSelfIssued(certificate)) {
            this.issuer = this;
        } else {
            this.issuer = null;
        }
    }

    /** One certificate, without its issuer. */
    public static PeerCertificate of(X509Certificate certificate) {
        return new PeerCertificate(Objects.requireNonNull(certificate, "certificate"), List.of(), 0);
    }

    /**
     * The first certificate of {@code chain} (leaf first), each linked to the next through
     * {@link #issuerCertificate()}; a self-signed last certificate is its own issuer.
     */
    public static PeerCertificate ofChain(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty chain");
        }
        return new PeerCertificate(chain.getFirst(), List.copyOf(chain), 0);
    }

    private static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /** The certificate itself. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** {@code subject}: OpenSSL short names (C, ST, L, O, OU, CN, ...) to their values, in certificate order. */
    public Map<String, List<String>> subject() {
        return CertificateFields.name(certificate.getSubjectX500Principal().getEncoded());
    }

    /** {@code issuer}, in the form of {@link #subject()}. */
    public Map<String, List<String>> issuer() {
        return CertificateFields.name(certificate.getIssuerX500Principal().getEncoded());
    }

    /** {@code subjectaltname}: {@code DNS:localhost, IP Address:127.0.0.1, ...}; empty without the extension. */
    public Optional<String> subjectaltname() {
        return Optional.ofNullable(CertificateFields.subjectAltName(certificate));
    }

    /** {@code infoAccess}: {@code "OCSP - URI"} and {@code "CA Issuers - URI"} to URIs; empty without AIA. */
    public Map<String, List<String>> infoAccess() {
        return CertificateFields.infoAccess(certificate);
    }

    /** {@code ca}: whether basicConstraints marks a CA. */
    public boolean ca() {
        return CertificateFields.isCa(certificate);
    }

    /** {@code modulus} of an RSA key: upper-case hex without leading zeros. */
    public Optional<String> modulus() {
        return certificate.getPublicKey() instanceof RSAPublicKey rsa
                ? Optional.of(rsa.getModulus().toString(16).toUpperCase(Locale.ROOT)) : Optional.empty();
    }

    /** {@code exponent} of an RSA key, as {@code 0x10001}. */
    public Optional<String> exponent() {
        return certificate.getPublicKey() instanceof RSAPublicKey rsa
                ? Optional.of("0x" + rsa.getPublicExponent().toString(16)) : Optional.empty();
    }

    /** {@code bits}: the RSA modulus size or the EC curve's order size; empty for other key types. */
    public Optional<Integer> bits() {
        PublicKey k = certificate.getPublicKey();
        if (k instanceof RSAPublicKey rsa) {
            return Optional.of(rsa.getModulus().bitLength());
        }
        if (k instanceof ECPublicKey ec) {
            return Optional.of(ec.getParams().getOrder().bitLength());
        }
        return Optional.empty();
    }

    /** {@code pubkey}: the DER SubjectPublicKeyInfo of an RSA key, the uncompressed point of an EC key. */
    public Optional<byte[]> pubkey() {
        PublicKey k = certificate.getPublicKey();
        if (k instanceof RSAPublicKey) {
            return Optional.of(k.getEncoded());
        }
        if (k instanceof ECPublicKey ec) {
            return Optional.of(CertificateFields.ecPoint(ec));
        }
        return Optional.empty();
    }

    /** {@code asn1Curve} of an EC key, e.g. {@code prime256v1}. */
    public Optional<String> asn1Curve() {
        return certificate.getPublicKey() instanceof ECPublicKey ec
                ? Optional.ofNullable(CertificateFields.curveNames(ec)[0]) : Optional.empty();
    }

    /** {@code nistCurve} of an EC key on a NIST curve, e.g. {@code P-256}. */
    public Optional<String> nistCurve() {
        return certificate.getPublicKey() instanceof ECPublicKey ec
                ? Optional.ofNullable(CertificateFields.curveNames(ec)[1]) : Optional.empty();
    }

    /** {@code valid_from}, e.g. {@code Nov  7 09:28:29 2026 GMT}. */
    public String validFrom() {
        return CertificateFields.date(certificate.getNotBefore());
    }

    /** {@code valid_to}. */
    public String validTo() {
        return CertificateFields.date(certificate.getNotAfter());
    }

    /** {@code fingerprint}: SHA-1 of the DER, {@code 8E:AC:...}. */
    public String fingerprint() {
        return CertificateFields.fingerprint(certificate, "SHA-1");
    }

    /** {@code fingerprint256}: SHA-256 of the DER. */
    public String fingerprint256() {
        return CertificateFields.fingerprint(certificate, "SHA-256");
    }

    /** {@code fingerprint512}: SHA-512 of the DER. */
    public String fingerprint512() {
        return CertificateFields.fingerprint(certificate, "SHA-512");
    }

    /** {@code ext_key_usage}: the extended key usage OIDs in certificate order; empty without the extension. */
    public Optional<List<String>> extKeyUsage() {
        try {
            List<String> eku = certificate.getExtendedKeyUsage();
            return eku == null ? Optional.empty() : Optional.of(List.copyOf(eku));
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }

    /** {@code serialNumber}: upper-case hex of even length, e.g. {@code 0123}. */
    public String serialNumber() {
        return CertificateFields.serialNumber(certificate.getSerialNumber());
    }

    /** {@code raw}: the certificate's DER. */
    public byte[] raw() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code issuerCertificate} of the detailed form: the next certificate up the verified chain (this one for
     * a self-signed root); empty in the plain form and where the chain ends without a known issuer.
     */
    public Optional<PeerCertificate> issuerCertificate() {
        return Optional.ofNullable(issuer);
    }

    /** Node's {@code JSON.stringify(getPeerCertificate())}. */
    public String toJson() {
        return toJson(false);
    }

    /** With {@code detailed}, each object also carries {@code issuerCertificate} (the cycle at the root left out). */
    public String toJson(boolean detailed) {
        Json j = new Json().begin();
        j.key("subject").name(subject());
        j.key("issuer").name(issuer());
        subjectaltname().ifPresent(s -> j.key("subjectaltname").value(s));
        Map<String, List<String>> aia = infoAccess();
        if (!aia.isEmpty()) {
            j.key("infoAccess").begin();
            aia.forEach((k, v) -> j.key(k).strings(v));
            j.end();
        }
        j.key("ca").value(ca());
        Base64.Encoder b64 = Base64.getEncoder();
        if (certificate.getPublicKey() instanceof RSAPublicKey) {
            j.key("modulus").value(modulus().orElseThrow());
            j.key("bits").value(bits().orElseThrow());
            j.key("exponent").value(exponent().orElseThrow());
            j.key("pubkey").value(b64.encodeToString(pubkey().orElseThrow()));
        } else if (certificate.getPublicKey() instanceof ECPublicKey) {
            j.key("bits").value(bits().orElseThrow());
            j.key("pubkey").value(b64.encodeToString(pubkey().orElseThrow()));
            asn1Curve().ifPresent(c -> j.key("asn1Curve").value(c));
            nistCurve().ifPresent(c -> j.key("nistCurve").value(c));
        }
        j.key("valid_from").value(validFrom());
        j.key("valid_to").value(validTo());
        j.key("fingerprint").value(fingerprint());
        j.key("fingerprint256").value(fingerprint256());
        j.key("fingerprint512").value(fingerprint512());
        extKeyUsage().ifPresent(e -> j.key("ext_key_usage").strings(e));
        j.key("serialNumber").value(serialNumber());
        j.key("raw").value(b64.encodeToString(raw()));
        if (detailed && issuer != null && issuer != this) {
            j.key("issuerCertificate").raw(issuer.toJson(true));
        }
        return j.end().toString();
    }

    @Override
    public String toString() {
        return "PeerCertificate[" + certificate.getSubjectX500Principal() + ", serial " + serialNumber() + "]";
    }
}
