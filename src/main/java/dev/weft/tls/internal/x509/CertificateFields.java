package dev.weft.tls.internal.x509;

import dev.weft.tls.internal.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1NumericString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.ASN1VisibleString;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * The fields of Node's {@code getPeerCertificate()} object (OpenSSL's view of a certificate, as Node's
 * {@code X509ToObject} prints it), read from a certificate's DER with Bouncy Castle's ASN.1 classes. Every value
 * is already in Node's text form; absent optional fields are null. Immutable apart from the arrays, which
 * callers copy before handing out.
 *
 * @param subject        short attribute name to values, in certificate order
 * @param issuer         same, for the issuer
 * @param subjectaltname Node's SAN string, null without the extension
 * @param infoAccess     {@code "OCSP - URI"} to values; null without the AIA extension
 * @param ca             {@code X509_check_ca(cert) == 1}
 * @param modulus        RSA only: uppercase hex, no leading zeros
 * @param bits           RSA modulus bits or EC group order bits; null for other keys
 * @param exponent       RSA only: {@code 0x10001}
 * @param pubkey         RSA: DER SubjectPublicKeyInfo; EC: the encoded point; null for other keys
 * @param asn1Curve      EC only: OpenSSL's short curve name ({@code prime256v1})
 * @param nistCurve      EC only, when the curve has one: {@code P-256}
 * @param extKeyUsage    dotted OIDs in certificate order; null without the extension
 */
public record CertificateFields(Map<String, List<String>> subject, Map<String, List<String>> issuer,
        String subjectaltname, Map<String, List<String>> infoAccess, boolean ca, String modulus, Integer bits,
        String exponent, byte[] pubkey, String asn1Curve, String nistCurve, String validFrom, String validTo,
        String fingerprint, String fingerprint256, String fingerprint512, List<String> extKeyUsage,
        String serialNumber, byte[] raw) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private static final ASN1ObjectIdentifier RSA_ENCRYPTION = new ASN1ObjectIdentifier("1.2.840.113549.1.1.1");
    private static final ASN1ObjectIdentifier EC_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.840.10045.2.1");

    /** OpenSSL's short names ({@code OBJ_nid2sn}) for the attribute types found in names. */
    private static final Map<String, String> ATTRIBUTE_NAMES = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"), Map.entry("2.5.4.8", "ST"),
            Map.entry("2.5.4.9", "street"), Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"),
            Map.entry("2.5.4.12", "title"), Map.entry("2.5.4.13", "description"),
            Map.entry("2.5.4.14", "searchGuide"), Map.entry("2.5.4.15", "businessCategory"),
            Map.entry("2.5.4.16", "postalAddress"), Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.18", "postOfficeBox"), Map.entry("2.5.4.19", "physicalDeliveryOfficeName"),
            Map.entry("2.5.4.20", "telephoneNumber"), Map.entry("2.5.4.41", "name"), Map.entry("2.5.4.42", "GN"),
            Map.entry("2.5.4.43", "initials"), Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.45", "x500UniqueIdentifier"), Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.54", "dmdName"), Map.entry("2.5.4.65", "pseudonym"), Map.entry("2.5.4.72", "role"),
            Map.entry("2.5.4.97", "organizationIdentifier"), Map.entry("2.5.4.100", "dnsName"),
            Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("1.2.840.113549.1.9.2", "unstructuredName"),
            Map.entry("1.2.840.113549.1.9.8", "unstructuredAddress"),
            Map.entry("0.9.2342.19200300.100.1.25", "DC"), Map.entry("0.9.2342.19200300.100.1.1", "UID"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"));

    /** OpenSSL's long names ({@code i2t_ASN1_OBJECT}) of the AIA access methods. */
    private static final Map<String, String> ACCESS_METHODS = Map.of(
            "1.3.6.1.5.5.7.48.1", "OCSP", "1.3.6.1.5.5.7.48.2", "CA Issuers",
            "1.3.6.1.5.5.7.48.3", "AD Time Stamping", "1.3.6.1.5.5.7.48.4", "ad dvcs",
            "1.3.6.1.5.5.7.48.5", "CA Repository");

    /** Curve OID to OpenSSL's short name and, where there is one, the NIST name. */
    private static final Map<String, String[]> CURVES = Map.ofEntries(
            Map.entry("1.2.840.10045.3.1.7", new String[] {"prime256v1", "P-256"}),
            Map.entry("1.3.132.0.34", new String[] {"secp384r1", "P-384"}),
            Map.entry("1.3.132.0.35", new String[] {"secp521r1", "P-521"}),
            Map.entry("1.3.132.0.33", new String[] {"secp224r1", "P-224"}),
            Map.entry("1.2.840.10045.3.1.1", new String[] {"prime192v1", "P-192"}),
            Map.entry("1.3.132.0.10", new String[] {"secp256k1", null}),
            Map.entry("1.3.36.3.3.2.8.1.1.7", new String[] {"brainpoolP256r1", null}),
            Map.entry("1.3.36.3.3.2.8.1.1.11", new String[] {"brainpoolP384r1", null}),
            Map.entry("1.3.36.3.3.2.8.1.1.13", new String[] {"brainpoolP512r1", null}));

    /** OtherName types Node prints (OpenSSL 3's {@code GENERAL_NAME_print}), and whether the value is UTF-8. */
    private static final Map<String, String> OTHER_NAMES = Map.of(
            "1.3.6.1.5.5.7.8.9", "SmtpUTF8Mailbox", "1.3.6.1.5.5.7.8.5", "XmppAddr",
            "1.3.6.1.5.5.7.8.7", "SRVName", "1.3.6.1.4.1.311.20.2.3", "UPN", "1.3.6.1.5.5.7.8.8", "NAIRealm");

    /** Reads the fields of {@code certificate}. */
    public static CertificateFields of(X509Certificate certificate) {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
        Certificate c = Certificate.getInstance(der);
        Extensions ext = c.getTBSCertificate().getExtensions();
        SubjectPublicKeyInfo spki = c.getSubjectPublicKeyInfo();
        ASN1ObjectIdentifier keyAlgorithm = spki.getAlgorithm().getAlgorithm();

        String modulus = null;
        String exponent = null;
        Integer bits = null;
        byte[] pubkey = null;
        String asn1Curve = null;
        String nistCurve = null;
        if (keyAlgorithm.equals(RSA_ENCRYPTION)) {
            RSAPublicKey rsa = RSAPublicKey.getInstance(parsePublicKey(spki));
            modulus = rsa.getModulus().toString(16).toUpperCase(Locale.ROOT);
            bits = rsa.getModulus().bitLength();
            exponent = "0x" + rsa.getPublicExponent().toString(16);
            pubkey = encoded(spki);
        } else if (keyAlgorithm.equals(EC_PUBLIC_KEY)) {
            X962Parameters params = X962Parameters.getInstance(spki.getAlgorithm().getParameters());
            pubkey = spki.getPublicKeyData().getOctets();
            if (params.isNamedCurve()) {
                ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(params.getParameters());
                X9ECParameters x9 = ECNamedCurveTable.getByOID(curve);
                bits = x9 == null ? null : x9.getN().bitLength();
                String[] names = CURVES.get(curve.getId());
                asn1Curve = names != null ? names[0] : Objects.requireNonNullElse(ECNamedCurveTable.getName(curve),
                        curve.getId());
                nistCurve = names != null ? names[1] : null;
            } else if (!params.isImplicitlyCA()) {
                bits = X9ECParameters.getInstance(params.getParameters()).getN().bitLength();
            }
        }

        // An extension that does not parse is left out, as Node 24 leaves it out (undefined): a certificate that
        // verification accepts must never fail here.
        BasicConstraints bc = parsed(ext, Extension.basicConstraints, BasicConstraints::getInstance);
        KeyUsage ku = parsed(ext, Extension.keyUsage, KeyUsage::getInstance);
        boolean ca = bc != null && bc.isCA() && (ku == null || ku.hasUsages(KeyUsage.keyCertSign));

        ExtendedKeyUsage eku = parsed(ext, Extension.extendedKeyUsage, ExtendedKeyUsage::getInstance);
        List<String> extKeyUsage = null;
        if (eku != null) {
            extKeyUsage = new ArrayList<>();
            for (KeyPurposeId id : eku.getUsages()) {
                extKeyUsage.add(id.getId());
            }
            extKeyUsage = List.copyOf(extKeyUsage);
        }

        String san = parsed(ext, Extension.subjectAlternativeName, v -> {
            List<String> parts = new ArrayList<>();
            for (GeneralName n : GeneralNames.getInstance(v).getNames()) {
                parts.add(altName(n));
            }
            return String.join(", ", parts);
        });

        Map<String, List<String>> infoAccess = parsed(ext, Extension.authorityInfoAccess,
                v -> infoAccess(AuthorityInformationAccess.getInstance(v)));

        return new CertificateFields(names(c.getSubject()), names(c.getIssuer()), san, infoAccess, ca, modulus, bits,
                exponent, pubkey, asn1Curve, nistCurve, date(c.getStartDate().getDate()),
                date(c.getEndDate().getDate()), fingerprint("SHA-1", der), fingerprint("SHA-256", der),
                fingerprint("SHA-512", der), extKeyUsage, serialNumber(c.getSerialNumber().getValue()), der);
    }

    /** Extension {@code oid} of {@code ext} read by {@code reader}; null when absent or when it does not parse. */
    private static <T> T parsed(Extensions ext, ASN1ObjectIdentifier oid,
            java.util.function.Function<org.bouncycastle.asn1.ASN1Encodable, T> reader) {
        if (ext == null || ext.getExtension(oid) == null) {
            return null;
        }
        try {
            return reader.apply(ext.getExtensionParsedValue(oid));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A date as OpenSSL's {@code ASN1_TIME_print} writes it: {@code Jan  5 03:04:05 2024 GMT}. */
    public static String date(java.util.Date date) {
        return DATE.format(date.toInstant());
    }

    /** A serial number as Node prints it ({@code BN_bn2hex}): uppercase hex in whole bytes, {@code 0x123 → 0123}. */
    public static String serialNumber(BigInteger serial) {
        if (serial.signum() == 0) {
            return "0";
        }
        String hex = serial.abs().toString(16).toUpperCase(Locale.ROOT);
        if (hex.length() % 2 != 0) {
            hex = "0" + hex;
        }
        return serial.signum() < 0 ? "-" + hex : hex;
    }

    /** The digest of {@code der} as uppercase hex pairs joined by colons. */
    static String fingerprint(String algorithm, byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    /**
     * A name as Node's object form: OpenSSL short attribute names (dotted OID when OpenSSL has none) to their
     * values, in certificate order; a repeated attribute collects its values in order.
     */
    static Map<String, List<String>> names(X500Name name) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                out.computeIfAbsent(attributeName(atv.getType()), k -> new ArrayList<>()).add(text(atv.getValue()));
            }
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(frozen);
    }

    private static String attributeName(ASN1ObjectIdentifier type) {
        return ATTRIBUTE_NAMES.getOrDefault(type.getId(), type.getId());
    }

    /** An attribute value as text, as OpenSSL's {@code ASN1_STRING_to_UTF8}: one-byte string types are Latin-1. */
    private static String text(ASN1Encodable value) {
        ASN1Primitive p = value.toASN1Primitive();
        if (p instanceof ASN1UniversalString u) {
            return new String(u.getOctets(), java.nio.charset.Charset.forName("UTF-32BE"));
        }
        if (isString(p)) {
            return ((ASN1String) p).getString();
        }
        return "#" + UPPER_HEX.formatHex(encoded(p));
    }

    /** Whether OpenSSL converts {@code p} as text (its {@code tag2nbyte} table). */
    private static boolean isString(ASN1Primitive p) {
        return p instanceof ASN1UTF8String || p instanceof ASN1PrintableString || p instanceof ASN1IA5String
                || p instanceof ASN1T61String || p instanceof ASN1BMPString || p instanceof ASN1VisibleString
                || p instanceof ASN1NumericString || p instanceof ASN1UniversalString;
    }

    /** One subject alternative name as Node prints it (its {@code PrintGeneralName}). */
    static String altName(GeneralName name) {
        ASN1Encodable v = name.getName();
        return switch (name.getTagNo()) {
            case GeneralName.dNSName -> "DNS:" + printAltName(ASN1IA5String.getInstance(v).getOctets(), false, null);
            case GeneralName.rfc822Name -> "email:" + printAltName(ASN1IA5String.getInstance(v).getOctets(), false,
                    null);
            case GeneralName.uniformResourceIdentifier -> "URI:"
                    + printAltName(ASN1IA5String.getInstance(v).getOctets(), false, null);
            case GeneralName.directoryName -> "DirName:" + printAltName(
                    rfc2253(X500Name.getInstance(v)).getBytes(StandardCharsets.UTF_8), true, null);
            case GeneralName.iPAddress -> "IP Address:" + ipAddress(ASN1OctetString.getInstance(v).getOctets());
            case GeneralName.registeredID -> "Registered ID:" + ASN1ObjectIdentifier.getInstance(v).getId();
            case GeneralName.otherName -> otherName(OtherName.getInstance(v));
            case GeneralName.x400Address -> "X400Name:<unsupported>";
            case GeneralName.ediPartyName -> "EdiPartyName:<unsupported>";
            default -> throw new IllegalArgumentException("unknown GeneralName tag " + name.getTagNo());
        };
    }

    private static String otherName(OtherName other) {
        String prefix = OTHER_NAMES.get(other.getTypeID().getId());
        boolean unicode = !"SRVName".equals(prefix);
        ASN1Primitive value = other.getValue().toASN1Primitive();
        if (prefix == null || (unicode && !(value instanceof ASN1UTF8String))
                || (!unicode && !(value instanceof ASN1IA5String))) {
            return "othername:<unsupported>";
        }
        byte[] bytes = unicode ? ((ASN1UTF8String) value).getString().getBytes(StandardCharsets.UTF_8)
                : ((ASN1IA5String) value).getOctets();
        return "othername:" + printAltName(bytes, unicode, prefix);
    }

    /**
     * An IP address SAN: IPv4 dotted, IPv6 as eight uppercase hex groups without compression
     * ({@code 2001:DB8:0:0:0:0:0:1}), other lengths as OpenSSL 3 marks them.
     */
    static String ipAddress(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        if (b.length == 16) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < 8; j++) {
                if (j > 0) {
                    s.append(':');
                }
                s.append(Integer.toHexString(((b[2 * j] & 0xff) << 8) | (b[2 * j + 1] & 0xff))
                        .toUpperCase(Locale.ROOT));
            }
            return s.toString();
        }
        return "<invalid length=" + b.length + ">";
    }

    /**
     * Node's {@code PrintAltName}: a "safe" value is written as is; any other is written as a JSON string
     * literal (with {@code ,} as {@code \u002c}) so that the comma-separated list stays unambiguous.
     *
     * @param utf8   whether bytes with the high bit set are UTF-8 (kept) rather than Latin-1 (escaped)
     * @param prefix written before the value, inside the quotes when quoted
     */
    static String printAltName(byte[] name, boolean utf8, String prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (isSafeAltName(name, utf8)) {
            if (prefix != null) {
                out.writeBytes((prefix + ":").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes(name);
        } else {
            out.write('"');
            if (prefix != null) {
                out.writeBytes((prefix + ":").getBytes(StandardCharsets.US_ASCII));
            }
            for (byte c : name) {
                if (c == '"' || c == '\\') {
                    out.write('\\');
                    out.write(c);
                } else if ((c >= ' ' && c != ',' && c <= '~') || (utf8 && (c & 0x80) != 0)) {
                    out.write(c);
                } else {
                    out.writeBytes(String.format("\\u00%02x", c & 0xff).getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.write('"');
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isSafeAltName(byte[] name, boolean utf8) {
        for (byte c : name) {
            switch (c) {
                case '"', '\\', ',', '\'' -> {
                    return false;
                }
                default -> {
                    if (utf8 ? (c >= 0 && c < ' ') || c == 0x7f : c < ' ' || c > '~') {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * A name as OpenSSL's {@code X509_NAME_print_ex} writes it with RFC 2253 flags less the escaping of control
     * and non-ASCII characters (Node's {@code kX509NameFlagsRFC2253WithinUtf8JSON}): last entry first, {@code ,}
     * between RDNs, {@code +} within one, short names, unknown attribute types as dotted OID with a {@code #}
     * hex DER value.
     */
    static String rfc2253(X500Name name) {
        StringBuilder b = new StringBuilder();
        RDN[] rdns = name.getRDNs();
        for (int i = rdns.length - 1; i >= 0; i--) {
            AttributeTypeAndValue[] atvs = rdns[i].getTypesAndValues();
            for (int j = atvs.length - 1; j >= 0; j--) { // OpenSSL reverses the entries, within an RDN too
                if (b.length() > 0) {
                    b.append(j == atvs.length - 1 ? ',' : '+');
                }
                String type = atvs[j].getType().getId();
                b.append(ATTRIBUTE_NAMES.getOrDefault(type, type)).append('=');
                ASN1Primitive value = atvs[j].getValue().toASN1Primitive();
                b.append(ATTRIBUTE_NAMES.containsKey(type) && isString(value) ? escape2253(text(value))
                        : "#" + UPPER_HEX.formatHex(encoded(value)));
            }
        }
        return b.toString();
    }

    private static String escape2253(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean special = ",+\"\\<>;".indexOf(c) >= 0 || (i == 0 && (c == '#' || c == ' '))
                    || (i == s.length() - 1 && c == ' ');
            if (special) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * Node's {@code infoAccess}: each access description printed as {@code "<method> - <GeneralName>"} and split at
     * its first colon into key and value (a quoted value is read as JSON), as Node's
     * {@code translatePeerCertificate} does.
     */
    static Map<String, List<String>> infoAccess(AuthorityInformationAccess aia) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (AccessDescription d : aia.getAccessDescriptions()) {
            String method = d.getAccessMethod().getId();
            String line = ACCESS_METHODS.getOrDefault(method, method) + " - " + altName(d.getAccessLocation());
            int colon = line.indexOf(':');
            String key = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith("\"")) {
                value = Json.parseString(value);
            }
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(frozen);
    }

    /**
     * Whether {@code issuer} issued {@code subject} as OpenSSL's {@code X509_check_issued} decides without
     * checking the signature: the names match, the authority key identifier (if any) matches, and the issuer's key
     * usage (if any) allows certificate signing.
     */
    public static boolean issued(X509Certificate issuer, X509Certificate subject) {
        X500Principal issuerName = subject.getIssuerX500Principal();
        if (!issuer.getSubjectX500Principal().equals(issuerName)) {
            return false;
        }
        try {
            Certificate is = Certificate.getInstance(issuer.getEncoded());
            Certificate sub = Certificate.getInstance(subject.getEncoded());
            Extensions subExt = sub.getTBSCertificate().getExtensions();
            Extensions isExt = is.getTBSCertificate().getExtensions();
            AuthorityKeyIdentifier akid = subExt == null ? null : AuthorityKeyIdentifier.fromExtensions(subExt);
            if (akid != null) {
                SubjectKeyIdentifier skid = isExt == null ? null : SubjectKeyIdentifier.fromExtensions(isExt);
                if (akid.getKeyIdentifierObject() != null && skid != null
                        && !Arrays.equals(akid.getKeyIdentifierObject().getOctets(), skid.getKeyIdentifier())) {
                    return false;
                }
                if (akid.getAuthorityCertSerialNumber() != null
                        && !akid.getAuthorityCertSerialNumber().equals(is.getSerialNumber().getValue())) {
                    return false;
                }
                if (akid.getAuthorityCertIssuer() != null) {
                    boolean found = false;
                    for (GeneralName n : akid.getAuthorityCertIssuer().getNames()) {
                        if (n.getTagNo() == GeneralName.directoryName && X500Name.getInstance(n.getName())
                                .equals(is.getIssuer())) {
                            found = true;
                        }
                    }
                    if (!found) {
                        return false;
                    }
                }
            }
            KeyUsage ku = isExt == null ? null : KeyUsage.fromExtensions(isExt);
            return ku == null || ku.hasUsages(KeyUsage.keyCertSign);
        } catch (CertificateEncodingException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Orders {@code certificates} as Node links a peer's chain: the first certificate, then its issuer found among
     * the rest, then that one's issuer, until none is found. Certificates that are not on the path are dropped.
     */
    public static List<X509Certificate> issuerChain(List<X509Certificate> certificates) {
        List<X509Certificate> rest = new ArrayList<>(certificates);
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = rest.removeFirst();
        chain.add(current);
        while (true) {
            X509Certificate next = null;
            for (X509Certificate candidate : rest) {
                if (!candidate.equals(current) && issued(candidate, current)) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) {
                return List.copyOf(chain);
            }
            rest.remove(next);
            chain.add(next);
            current = next;
        }
    }

    private static ASN1Encodable parsePublicKey(SubjectPublicKeyInfo spki) {
        try {
            return spki.parsePublicKey();
        } catch (IOException e) {
            throw new IllegalArgumentException("certificate public key cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + value + ": " + e.getMessage(), e);
        }
    }
}
