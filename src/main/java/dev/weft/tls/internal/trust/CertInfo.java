package dev.weft.tls.internal.trust;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.Time;

/**
 * One certificate as OpenSSL's verifier sees it: the facts {@code ossl_x509v3_cache_extensions} derives (self-issued,
 * self-signed, CA flags, key usage bits, name constraints, …), the canonical names it compares, and the security
 * strength of its key and signature. Holds no verdict; {@link OpensslChecks} and {@link ChainBuilder} read it.
 */
final class CertInfo {
    // ex_flags
    static final int V1 = 1;
    static final int BCONS = 1 << 1;
    static final int CA = 1 << 2;
    static final int PROXY = 1 << 3;
    static final int KUSAGE = 1 << 4;
    static final int XKUSAGE = 1 << 5;
    static final int NSCERT = 1 << 6;
    static final int SI = 1 << 7;
    static final int SS = 1 << 8;
    static final int CRITICAL = 1 << 9;
    static final int INVALID = 1 << 10;

    // key usage bits as OpenSSL numbers them (the first two bytes of the BIT STRING)
    static final int KU_DIGITAL_SIGNATURE = 0x0080;
    static final int KU_KEY_ENCIPHERMENT = 0x0020;
    static final int KU_KEY_AGREEMENT = 0x0008;
    static final int KU_KEY_CERT_SIGN = 0x0004;
    static final int KU_CRL_SIGN = 0x0002;

    // extended key usage bits
    static final int XKU_SSL_SERVER = 0x1;
    static final int XKU_SSL_CLIENT = 0x2;
    static final int XKU_SGC = 0x10;

    // Netscape certificate type bits
    static final int NS_SSL_CLIENT = 0x80;
    static final int NS_SSL_SERVER = 0x40;
    static final int NS_SSL_CA = 0x04;
    static final int NS_ANY_CA = 0x07;

    private static final Map<String, Integer> XKU = Map.ofEntries(
            Map.entry("1.3.6.1.5.5.7.3.1", XKU_SSL_SERVER), Map.entry("1.3.6.1.5.5.7.3.2", XKU_SSL_CLIENT),
            Map.entry("1.3.6.1.5.5.7.3.4", 0x4), Map.entry("1.3.6.1.5.5.7.3.3", 0x8),
            Map.entry("1.3.6.1.4.1.311.10.3.3", XKU_SGC), Map.entry("2.16.840.1.113730.4.1", XKU_SGC),
            Map.entry("1.3.6.1.5.5.7.3.9", 0x20), Map.entry("1.3.6.1.5.5.7.3.8", 0x40),
            Map.entry("1.3.6.1.5.5.7.3.10", 0x80), Map.entry("2.5.29.37.0", 0x100));

    /** The extensions OpenSSL's verifier handles ({@code X509_supported_extension}); other critical ones fail. */
    static final Set<String> SUPPORTED_EXTENSIONS = Set.of("2.16.840.1.113730.1.1", "2.5.29.15", "2.5.29.17",
            "2.5.29.19", "2.5.29.32", "2.5.29.31", "2.5.29.37", "1.3.6.1.5.5.7.1.7", "1.3.6.1.5.5.7.1.8",
            "1.3.6.1.5.5.7.48.1.5", "2.5.29.36", "1.3.6.1.5.5.7.1.14", "2.5.29.30", "2.5.29.33", "2.5.29.54");

    private static final String NS_CERT_TYPE = "2.16.840.1.113730.1.1";
    private static final String PROXY_CERT_INFO = "1.3.6.1.5.5.7.1.14";

    /** Signature algorithm OID → the key type that makes it and the strength of its digest in bits. */
    private record SignatureKind(String keyType, int securityBits) {
    }

    private static final Map<String, SignatureKind> SIGNATURES = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.4", new SignatureKind("RSA", 39)),
            Map.entry("1.2.840.113549.1.1.5", new SignatureKind("RSA", 63)),
            Map.entry("1.2.840.113549.1.1.14", new SignatureKind("RSA", 112)),
            Map.entry("1.2.840.113549.1.1.11", new SignatureKind("RSA", 128)),
            Map.entry("1.2.840.113549.1.1.12", new SignatureKind("RSA", 192)),
            Map.entry("1.2.840.113549.1.1.13", new SignatureKind("RSA", 256)),
            Map.entry("2.16.840.1.101.3.4.3.13", new SignatureKind("RSA", 112)),
            Map.entry("2.16.840.1.101.3.4.3.14", new SignatureKind("RSA", 128)),
            Map.entry("2.16.840.1.101.3.4.3.15", new SignatureKind("RSA", 192)),
            Map.entry("2.16.840.1.101.3.4.3.16", new SignatureKind("RSA", 256)),
            Map.entry("1.2.840.10045.4.1", new SignatureKind("EC", 63)),
            Map.entry("1.2.840.10045.4.3.1", new SignatureKind("EC", 112)),
            Map.entry("1.2.840.10045.4.3.2", new SignatureKind("EC", 128)),
            Map.entry("1.2.840.10045.4.3.3", new SignatureKind("EC", 192)),
            Map.entry("1.2.840.10045.4.3.4", new SignatureKind("EC", 256)),
            Map.entry("2.16.840.1.101.3.4.3.9", new SignatureKind("EC", 112)),
            Map.entry("2.16.840.1.101.3.4.3.10", new SignatureKind("EC", 128)),
            Map.entry("2.16.840.1.101.3.4.3.11", new SignatureKind("EC", 192)),
            Map.entry("2.16.840.1.101.3.4.3.12", new SignatureKind("EC", 256)),
            Map.entry("1.3.101.112", new SignatureKind("ED25519", 128)),
            Map.entry("1.3.101.113", new SignatureKind("ED448", 224)),
            Map.entry("1.2.840.10040.4.3", new SignatureKind("DSA", 63)),
            Map.entry("2.16.840.1.101.3.4.3.1", new SignatureKind("DSA", 112)),
            Map.entry("2.16.840.1.101.3.4.3.2", new SignatureKind("DSA", 128)));
    private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";

    private static final Map<String, String> KEY_TYPES = Map.of("1.2.840.113549.1.1.1", "RSA", RSASSA_PSS, "RSA-PSS",
            "1.2.840.10045.2.1", "EC", "1.3.101.112", "ED25519", "1.3.101.113", "ED448", "1.2.840.10040.4.1", "DSA");

    private static final Map<String, Integer> DIGEST_BITS = Map.of("1.3.14.3.2.26", 63,
            "2.16.840.1.101.3.4.2.4", 112, "2.16.840.1.101.3.4.2.1", 128, "2.16.840.1.101.3.4.2.2", 192,
            "2.16.840.1.101.3.4.2.3", 256);

    final X509Certificate cert;
    final byte[] der;
    final byte[] sha1;
    final X500Name subjectName;
    final X500Name issuerName;
    final CanonicalName subject;
    final CanonicalName issuer;
    final BigInteger serial;
    int flags;
    long pathLen = -1;
    long proxyPathLen = -1;
    int keyUsage;
    int extKeyUsage;
    int nsCertType;
    byte[] subjectKeyId;
    AuthorityKeyIdentifier authorityKeyId;
    GeneralNames altNames;
    NameConstraints nameConstraints;
    List<DistributionPoint> crlDistributionPoints = List.of();
    final PublicKey publicKey; // null when the key cannot be decoded
    final String keyType; // RSA, RSA-PSS, EC, ED25519, ED448, DSA, or null
    final int keySecurityBits;
    final int explicitCurve; // 1: explicit EC parameters, 0: named curve or not EC, -1: cannot tell
    final String signatureKeyType; // the key type the signature algorithm needs, or null when unknown
    final int signatureSecurityBits; // -1 when unknown
    final Instant notBefore; // null when the field is malformed
    final Instant notAfter; // null when the field is malformed; Instant.MAX for 99991231235959Z

    private CertInfo(X509Certificate cert, byte[] der, Certificate asn1) {
        this.cert = cert;
        this.der = der;
        this.sha1 = sha1(der);
        this.subjectName = asn1.getSubject();
        this.issuerName = asn1.getIssuer();
        this.subject = CanonicalName.of(subjectName);
        this.issuer = CanonicalName.of(issuerName);
        this.serial = asn1.getSerialNumber().getValue();
        if (asn1.getVersionNumber() == 1) {
            flags |= V1;
        }
        PublicKey key;
        try {
            key = cert.getPublicKey();
        } catch (RuntimeException e) {
            key = null;
        }
        AlgorithmIdentifier keyAlg = asn1.getSubjectPublicKeyInfo().getAlgorithm();
        this.keyType = KEY_TYPES.get(keyAlg.getAlgorithm().getId());
        this.publicKey = keyType == null ? null : key;
        this.keySecurityBits = securityBits(publicKey);
        this.explicitCurve = !"EC".equals(keyType) ? 0
                : keyAlg.getParameters() instanceof ASN1ObjectIdentifier ? 0
                : keyAlg.getParameters() instanceof ASN1Sequence ? 1 : -1;
        AlgorithmIdentifier sigAlg = asn1.getSignatureAlgorithm();
        String sigOid = sigAlg.getAlgorithm().getId();
        if (sigOid.equals(RSASSA_PSS)) {
            this.signatureKeyType = "RSA-PSS";
            this.signatureSecurityBits = pssDigestBits(sigAlg.getParameters());
        } else {
            SignatureKind kind = SIGNATURES.get(sigOid);
            this.signatureKeyType = kind == null ? null : kind.keyType();
            this.signatureSecurityBits = kind == null ? -1 : kind.securityBits();
        }
        this.notBefore = time(asn1.getStartDate());
        this.notAfter = time(asn1.getEndDate());
        readExtensions(asn1);
        if (subject.equals(issuer)) {
            flags |= SI;
            if (checkAkid(this, authorityKeyId) == null && signatureAlgorithmMismatch(this, this) == null) {
                flags |= SS;
            }
        }
    }

    /**
     * Parses {@code c} again with the JDK's certificate factory (so every provider's certificate objects behave the
     * same) and reads what OpenSSL caches about it.
     *
     * @throws CertificateException when the certificate cannot be parsed at all
     */
    static CertInfo of(X509Certificate c) throws CertificateException {
        byte[] der = c.getEncoded();
        X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        Certificate asn1;
        try {
            asn1 = Certificate.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (java.io.IOException | RuntimeException e) {
            throw new CertificateException("cannot parse certificate " + jdk.getSubjectX500Principal() + ": " + e, e);
        }
        try {
            return new CertInfo(jdk, der, asn1);
        } catch (RuntimeException e) {
            // e.g. a UTF8String name that is not UTF-8: OpenSSL cannot parse such a certificate (x509_name_canon)
            throw new CertificateException("cannot read certificate " + jdk.getSubjectX500Principal() + ": " + e, e);
        }
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    boolean invalid() {
        return has(INVALID);
    }

    /** Whether this is the same certificate as {@code other} (OpenSSL's X509_cmp: same encoding). */
    boolean same(CertInfo other) {
        return Arrays.equals(der, other.der);
    }

    /** OpenSSL's {@code X509_self_signed(cert, 0)}: 1, 0, or -1 when it cannot tell (no key, invalid extensions). */
    int selfSigned() {
        if (publicKey == null || invalid()) {
            return -1;
        }
        return has(SS) ? 1 : 0;
    }

    private void readExtensions(Certificate asn1) {
        ASN1Sequence exts = extensionsOf(asn1);
        if (exts == null) {
            return;
        }
        List<Extension> all = new ArrayList<>();
        for (ASN1Encodable e : exts) {
            try {
                all.add(Extension.getInstance(e));
            } catch (RuntimeException ex) {
                flags |= INVALID;
            }
        }
        for (Extension e : all) {
            if (e.isCritical() && !SUPPORTED_EXTENSIONS.contains(e.getExtnId().getId())) {
                flags |= CRITICAL;
                break;
            }
        }
        extension(all, Extension.basicConstraints, value -> {
            BasicConstraints b = BasicConstraints.getInstance(value);
            if (b.isCA()) {
                flags |= CA;
            }
            BigInteger len = b.getPathLenConstraint();
            if (len != null) {
                if (len.signum() < 0) {
                    flags |= INVALID;
                } else {
                    pathLen = len.bitLength() > 62 ? Long.MAX_VALUE : len.longValue();
                }
            }
            flags |= BCONS;
        });
        extension(all, new ASN1ObjectIdentifier(PROXY_CERT_INFO), value -> {
            // ProxyCertInfo ::= SEQUENCE { pCPathLenConstraint INTEGER OPTIONAL, proxyPolicy ProxyPolicy }
            ASN1Sequence p = ASN1Sequence.getInstance(value);
            ASN1Encodable first = p.size() > 0 ? p.getObjectAt(0) : null;
            if (has(CA) || present(all, Extension.subjectAlternativeName)
                    || present(all, Extension.issuerAlternativeName)) {
                flags |= INVALID;
            }
            proxyPathLen = first instanceof org.bouncycastle.asn1.ASN1Integer len ? len.longValueExact() : -1;
            flags |= PROXY;
        });
        extension(all, Extension.keyUsage, value -> {
            byte[] bits = ASN1BitString.getInstance(value).getBytes();
            keyUsage = (bits.length > 0 ? bits[0] & 0xff : 0) | (bits.length > 1 ? (bits[1] & 0xff) << 8 : 0);
            flags |= KUSAGE;
            if (keyUsage == 0) {
                flags |= INVALID;
            }
        });
        extension(all, Extension.extendedKeyUsage, value -> {
            for (ASN1Encodable purpose : ASN1Sequence.getInstance(value)) {
                extKeyUsage |= XKU.getOrDefault(ASN1ObjectIdentifier.getInstance(purpose).getId(), 0);
            }
            flags |= XKUSAGE;
        });
        extension(all, new ASN1ObjectIdentifier(NS_CERT_TYPE), value -> {
            byte[] bits = ASN1BitString.getInstance(value).getBytes();
            nsCertType = bits.length > 0 ? bits[0] & 0xff : 0;
            flags |= NSCERT;
        });
        extension(all, Extension.subjectKeyIdentifier, value -> {
            subjectKeyId = ASN1OctetString.getInstance(value).getOctets();
        });
        extension(all, Extension.authorityKeyIdentifier, value -> {
            authorityKeyId = AuthorityKeyIdentifier.getInstance(value);
        });
        extension(all, Extension.subjectAlternativeName, value -> {
            altNames = GeneralNames.getInstance(value);
        });
        extension(all, Extension.nameConstraints, value -> {
            nameConstraints = NameConstraints.getInstance(value);
        });
        extension(all, Extension.cRLDistributionPoints, value -> {
            crlDistributionPoints = List.of(CRLDistPoint.getInstance(value).getDistributionPoints());
            for (DistributionPoint p : crlDistributionPoints) {
                if (p.getDistributionPoint() == null
                        && (p.getCRLIssuer() == null || p.getCRLIssuer().getNames().length == 0)) {
                    flags |= INVALID;
                }
            }
        });
        for (String rfc3779 : List.of("1.3.6.1.5.5.7.1.7", "1.3.6.1.5.5.7.1.8")) {
            single(all, new ASN1ObjectIdentifier(rfc3779)); // a duplicate marks the certificate invalid
        }
    }

    /**
     * Reads the one extension {@code oid} with {@code reader} when it is present: a repeated extension (see
     * {@link #single}) or one the reader cannot parse marks the certificate invalid, as a failed
     * {@code X509_get_ext_d2i} does in OpenSSL.
     */
    private void extension(List<Extension> all, ASN1ObjectIdentifier oid, Consumer<ASN1Encodable> reader) {
        ASN1Encodable value = single(all, oid);
        if (value != null) {
            try {
                reader.accept(value);
            } catch (RuntimeException e) {
                flags |= INVALID;
            }
        }
    }

    private static ASN1Sequence extensionsOf(Certificate asn1) {
        // the TBSCertificate's [3] EXPLICIT Extensions, read without Bouncy Castle's Extensions class (which refuses
        // duplicates outright, where OpenSSL marks the certificate invalid)
        ASN1Sequence tbs = ASN1Sequence.getInstance(asn1.getTBSCertificate().toASN1Primitive());
        for (ASN1Encodable e : tbs) {
            if (e instanceof org.bouncycastle.asn1.ASN1TaggedObject t && t.getTagNo() == 3) {
                return ASN1Sequence.getInstance(t.getExplicitBaseObject());
            }
        }
        return null;
    }

    /** The parsed value of the one extension {@code oid}; null when absent; marks the certificate invalid if repeated. */
    private ASN1Encodable single(List<Extension> all, ASN1ObjectIdentifier oid) {
        Extension found = null;
        for (Extension e : all) {
            if (e.getExtnId().equals(oid)) {
                if (found != null) {
                    flags |= INVALID;
                    return null;
                }
                found = e;
            }
        }
        if (found == null) {
            return null;
        }
        try {
            return ASN1Primitive.fromByteArray(found.getExtnValue().getOctets());
        } catch (java.io.IOException | RuntimeException e) {
            flags |= INVALID;
            return null;
        }
    }

    private static boolean present(List<Extension> all, ASN1ObjectIdentifier oid) {
        return all.stream().anyMatch(e -> e.getExtnId().equals(oid));
    }

    /** OpenSSL's {@code X509_check_akid}: null when {@code akid} (of a certificate) fits {@code issuer}. */
    static X509Error checkAkid(CertInfo issuer, AuthorityKeyIdentifier akid) {
        if (akid == null) {
            return null;
        }
        if (akid.getKeyIdentifierObject() != null && issuer.subjectKeyId != null
                && !Arrays.equals(akid.getKeyIdentifierObject().getOctets(), issuer.subjectKeyId)) {
            return X509Error.AKID_SKID_MISMATCH;
        }
        if (akid.getAuthorityCertSerialNumber() != null
                && !akid.getAuthorityCertSerialNumber().equals(issuer.serial)) {
            return X509Error.AKID_ISSUER_SERIAL_MISMATCH;
        }
        GeneralNames names = akid.getAuthorityCertIssuer();
        if (names != null) {
            for (GeneralName n : names.getNames()) {
                if (n.getTagNo() == GeneralName.directoryName) {
                    if (!CanonicalName.of(X500Name.getInstance(n.getName())).equals(issuer.issuer)) {
                        return X509Error.AKID_ISSUER_SERIAL_MISMATCH;
                    }
                    break;
                }
            }
        }
        return null;
    }

    /** OpenSSL's {@code check_sig_alg_match}: null when {@code issuer}'s key can make {@code subject}'s signature. */
    static X509Error signatureAlgorithmMismatch(CertInfo issuer, CertInfo subject) {
        if (issuer.publicKey == null) {
            return X509Error.NO_ISSUER_PUBLIC_KEY;
        }
        if (subject.signatureKeyType == null) {
            return X509Error.UNSUPPORTED_SIGNATURE_ALGORITHM;
        }
        boolean ok = subject.signatureKeyType.equals(issuer.keyType)
                || ("RSA".equals(issuer.keyType) && "RSA-PSS".equals(subject.signatureKeyType));
        return ok ? null : X509Error.SIGNATURE_ALGORITHM_MISMATCH;
    }

    /** OpenSSL's {@code ossl_x509_likely_issued}: names chain, key identifiers fit, key type fits the signature. */
    static boolean likelyIssued(CertInfo issuer, CertInfo subject) {
        if (!issuer.subject.equals(subject.issuer)) {
            return false;
        }
        if (issuer.invalid() || subject.invalid()) {
            return false;
        }
        return checkAkid(issuer, subject.authorityKeyId) == null && signatureAlgorithmMismatch(issuer, subject) == null;
    }

    /** Whether {@code at} lies within this certificate's validity (OpenSSL's ossl_x509_check_cert_time, quietly). */
    boolean validAt(Instant at) {
        return notBefore != null && notAfter != null && !at.isBefore(notBefore) && !at.isAfter(notAfter);
    }

    /** OpenSSL's time parsing: exactly YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ, else null (a format error). */
    private static Instant time(Time t) {
        ASN1Primitive p = t.toASN1Primitive();
        try {
            byte[] enc = p.getEncoded(ASN1Encoding.DER);
            return parseTime(new String(enc, 2, enc.length - 2, StandardCharsets.ISO_8859_1),
                    p instanceof org.bouncycastle.asn1.ASN1UTCTime);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** A certificate or CRL time as OpenSSL reads it; {@link Instant#MAX} for 99991231235959Z; null if malformed. */
    static Instant parseTime(String s, boolean utc) {
        if (s.length() != (utc ? 13 : 15) || s.charAt(s.length() - 1) != 'Z') {
            return null;
        }
        for (int i = 0; i < s.length() - 1; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            int year = utc ? Integer.parseInt(s.substring(0, 2)) : Integer.parseInt(s.substring(0, 4));
            if (utc) {
                year += year < 50 ? 2000 : 1900;
            }
            int o = utc ? 2 : 4;
            LocalDateTime d = LocalDateTime.of(year, Integer.parseInt(s.substring(o, o + 2)),
                    Integer.parseInt(s.substring(o + 2, o + 4)), Integer.parseInt(s.substring(o + 4, o + 6)),
                    Integer.parseInt(s.substring(o + 6, o + 8)), Integer.parseInt(s.substring(o + 8, o + 10)));
            return !utc && s.equals("99991231235959Z") ? Instant.MAX : d.toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** OpenSSL's {@code EVP_PKEY_get_security_bits}. */
    private static int securityBits(PublicKey key) {
        return switch (key) {
            case null -> 0;
            case RSAPublicKey rsa -> ifcSecurityBits(rsa.getModulus().bitLength());
            case DSAPublicKey dsa -> Math.min(ifcSecurityBits(dsa.getParams().getP().bitLength()),
                    dsa.getParams().getQ().bitLength() / 2);
            case ECPublicKey ec -> {
                int bits = ec.getParams().getOrder().bitLength();
                yield bits >= 512 ? 256 : bits >= 384 ? 192 : bits >= 256 ? 128 : bits >= 224 ? 112
                        : bits >= 160 ? 80 : bits / 2;
            }
            default -> switch (key.getAlgorithm()) {
                case "Ed25519", "EdDSA", "X25519" -> 128;
                case "Ed448", "X448" -> 224;
                default -> 0;
            };
        };
    }

    /** SP 800-56B's estimate as OpenSSL computes it ({@code ossl_ifc_ffc_compute_security_bits}). */
    static int ifcSecurityBits(int n) {
        switch (n) {
            case 2048: return 112;
            case 3072: return 128;
            case 4096: return 152;
            case 6144: return 176;
            case 7680: return 192;
            case 8192: return 200;
            case 15360: return 256;
            default: break;
        }
        if (n >= 687737) {
            return 1200;
        }
        if (n < 8) {
            return 0;
        }
        int cap = n <= 7680 ? 192 : n <= 15360 ? 256 : 1200;
        double x = n * Math.log(2);
        double lx = Math.log(x);
        int y = (int) ((1.923 * Math.cbrt(x * lx * lx) - 4.690) / Math.log(2));
        y = (y + 4) & ~7;
        return Math.min(y, cap);
    }

    private static int pssDigestBits(ASN1Encodable params) {
        try {
            org.bouncycastle.asn1.pkcs.RSASSAPSSparams p = org.bouncycastle.asn1.pkcs.RSASSAPSSparams.getInstance(params);
            return DIGEST_BITS.getOrDefault(p.getHashAlgorithm().getAlgorithm().getId(), -1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static byte[] sha1(byte[] der) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Orders certificates as OpenSSL's store does among those with one subject: by SHA-1 of the encoding. */
    static int storeOrder(CertInfo a, CertInfo b) {
        return Arrays.compareUnsigned(a.sha1, b.sha1);
    }

    @Override
    public String toString() {
        return cert.getSubjectX500Principal().getName() + " [" + HexFormat.of().formatHex(sha1, 0, 4) + "]";
    }
}
