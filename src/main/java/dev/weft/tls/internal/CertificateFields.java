package dev.weft.tls.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The pieces of Node's {@code getPeerCertificate()} object that need parsing, in Node's exact formats
 * (node-behaviour.md §2.1): names with OpenSSL's short attribute names, {@code subjectaltname} as OpenSSL prints
 * it, {@code infoAccess}, dates, fingerprints, serial numbers, key fields.
 */
public final class CertificateFields {
    private CertificateFields() {
    }

    private static final Map<ASN1ObjectIdentifier, String> SHORT_NAMES = new LinkedHashMap<>();

    static {
        SHORT_NAMES.put(BCStyle.C, "C");
        SHORT_NAMES.put(BCStyle.ST, "ST");
        SHORT_NAMES.put(BCStyle.L, "L");
        SHORT_NAMES.put(BCStyle.O, "O");
        SHORT_NAMES.put(BCStyle.OU, "OU");
        SHORT_NAMES.put(BCStyle.CN, "CN");
        SHORT_NAMES.put(BCStyle.EmailAddress, "emailAddress");
        SHORT_NAMES.put(BCStyle.SERIALNUMBER, "serialNumber");
        SHORT_NAMES.put(BCStyle.DC, "DC");
        SHORT_NAMES.put(BCStyle.STREET, "street");
        SHORT_NAMES.put(BCStyle.T, "title");
        SHORT_NAMES.put(BCStyle.GIVENNAME, "GN");
        SHORT_NAMES.put(BCStyle.SURNAME, "SN");
        SHORT_NAMES.put(BCStyle.INITIALS, "initials");
        SHORT_NAMES.put(BCStyle.PSEUDONYM, "pseudonym");
        SHORT_NAMES.put(BCStyle.GENERATION, "generationQualifier");
        SHORT_NAMES.put(BCStyle.UID, "UID");
        SHORT_NAMES.put(BCStyle.POSTAL_CODE, "postalCode");
        SHORT_NAMES.put(BCStyle.BUSINESS_CATEGORY, "businessCategory");
        SHORT_NAMES.put(BCStyle.JURISDICTION_C, "jurisdictionC");
        SHORT_NAMES.put(BCStyle.JURISDICTION_ST, "jurisdictionST");
        SHORT_NAMES.put(BCStyle.JURISDICTION_L, "jurisdictionL");
        SHORT_NAMES.put(BCStyle.DN_QUALIFIER, "dnQualifier");
        SHORT_NAMES.put(BCStyle.DESCRIPTION, "description");
        SHORT_NAMES.put(BCStyle.NAME, "name");
        SHORT_NAMES.put(BCStyle.ORGANIZATION_IDENTIFIER, "organizationIdentifier");
    }

    private static final DateTimeFormatter NODE_DATE =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /**
     * A distinguished name as Node's object: OpenSSL short names (unknown attributes by dotted OID) in
     * certificate order; a repeated attribute collects its values in order.
     */
    public static Map<String, List<String>> name(byte[] encodedName) {
        X500Name name = X500Name.getInstance(encodedName);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String key = SHORT_NAMES.getOrDefault(atv.getType(), atv.getType().getId());
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(text(atv.getValue()));
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String s ? s.getString() : value.toString();
    }

    /** {@code subjectaltname} as Node prints it, or null without the extension. */
    public static String subjectAltName(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return null;
        }
        GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        List<String> parts = new ArrayList<>();
        for (GeneralName n : names.getNames()) {
            parts.add(altName(n));
        }
        return String.join(", ", parts);
    }

    private static String altName(GeneralName n) {
        return switch (n.getTagNo()) {
            case GeneralName.dNSName -> "DNS:" + safe(text(n.getName()), false);
            case GeneralName.rfc822Name -> "email:" + safe(text(n.getName()), false);
            case GeneralName.uniformResourceIdentifier -> "URI:" + safe(text(n.getName()), false);
            case GeneralName.iPAddress -> "IP Address:" + ip(ASN1OctetString.getInstance(n.getName()).getOctets());
            case GeneralName.directoryName -> "DirName:" + safe(opensslOneLine(X500Name.getInstance(n.getName())), true);
            case GeneralName.registeredID -> "Registered ID:" + ASN1ObjectIdentifier.getInstance(n.getName()).getId();
            default -> "othername:<unsupported>";
        };
    }

    /** OpenSSL's one-line form of a name, as in {@code DirName:CN=dir,O=org} (Node: X509_NAME_oneline style). */
    private static String opensslOneLine(X500Name name) {
        List<String> parts = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                parts.add(SHORT_NAMES.getOrDefault(atv.getType(), atv.getType().getId()) + "="
                        + text(atv.getValue()));
            }
        }
        return String.join(",", parts);
    }

    /**
     * Node quotes a value when it holds a character that would make the list ambiguous ({@code , " \ '}) or,
     * outside UTF-8 strings, any non-printable or non-ASCII character: {@code "} and {@code \} are
     * backslash-escaped, the others written as {@code \u002c}-style escapes (node-behaviour.md §2.1; observed).
     */
    static String safe(String value, boolean utf8) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            quote = unsafe(value.charAt(i), utf8);
        }
        if (!quote) {
            return value;
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (unsafe(c, utf8)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static boolean unsafe(char c, boolean utf8) {
        return c == '"' || c == '\\' || c == ',' || c == '\''
                || (utf8 ? c < ' ' || c == 0x7f : c < ' ' || c > '~');
    }

    /** IPv4 dotted; IPv6 as OpenSSL prints it: eight upper-case groups, no zero compression. */
    static String ip(byte[] address) {
        if (address.length == 4) {
            try {
                return InetAddress.getByAddress(address).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        if (address.length != 16) {
            return "<invalid>";
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 16; i += 2) {
            groups.add(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff))
                    .toUpperCase(Locale.ROOT));
        }
        return String.join(":", groups);
    }

    /** {@code infoAccess}: {@code "OCSP - URI"} and {@code "CA Issuers - URI"} to their values; empty without AIA. */
    public static Map<String, List<String>> infoAccess(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return Map.of();
        }
        AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                ASN1OctetString.getInstance(ext).getOctets());
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (AccessDescription d : aia.getAccessDescriptions()) {
            String method = d.getAccessMethod().equals(AccessDescription.id_ad_ocsp) ? "OCSP"
                    : d.getAccessMethod().equals(AccessDescription.id_ad_caIssuers) ? "CA Issuers"
                    : d.getAccessMethod().getId();
            GeneralName loc = d.getAccessLocation();
            String kind = loc.getTagNo() == GeneralName.uniformResourceIdentifier ? "URI" : "othername";
            String value = loc.getTagNo() == GeneralName.uniformResourceIdentifier ? text(loc.getName())
                    : "<unsupported>";
            out.computeIfAbsent(method + " - " + kind, k -> new ArrayList<>()).add(value);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    /** {@code Nov 27 09:28:29 2026 GMT}, the day space-padded. */
    public static String date(java.util.Date date) {
        return NODE_DATE.format(date.toInstant());
    }

    /** Upper-case hex, ':'-separated, of the digest of the certificate's DER. */
    public static String fingerprint(X509Certificate cert, String algorithm) {
        try {
            byte[] d = MessageDigest.getInstance(algorithm).digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Upper-case hex of even length, without the DER sign byte: 0x123 is {@code 0123}, 0x80 is {@code 80}. */
    public static String serialNumber(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    /** The uncompressed point {@code 04 || X || Y} of an EC public key, each coordinate at the field's size. */
    public static byte[] ecPoint(ECPublicKey key) {
        int size = (key.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] out = new byte[1 + 2 * size];
        out[0] = 4;
        copyUnsigned(key.getW().getAffineX(), out, 1, size);
        copyUnsigned(key.getW().getAffineY(), out, 1 + size, size);
        return out;
    }

    private static void copyUnsigned(BigInteger v, byte[] dst, int off, int size) {
        byte[] b = v.toByteArray();
        int start = b.length > size ? b.length - size : 0;
        int len = b.length - start;
        System.arraycopy(b, start, dst, off + size - len, len);
    }

    /** OpenSSL's ASN.1 curve name and NIST name for an EC key, e.g. {@code prime256v1} and {@code P-256}. */
    public static String[] curveNames(ECPublicKey key) {
        try {
            ASN1Primitive params = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded())
                    .getAlgorithm().getParameters().toASN1Primitive();
            if (params instanceof ASN1ObjectIdentifier oid) {
                return switch (oid.getId()) {
                    case "1.2.840.10045.3.1.7" -> new String[] {"prime256v1", "P-256"};
                    case "1.3.132.0.34" -> new String[] {"secp384r1", "P-384"};
                    case "1.3.132.0.35" -> new String[] {"secp521r1", "P-521"};
                    case "1.3.132.0.10" -> new String[] {"secp256k1", null};
                    default -> new String[] {oid.getId(), null};
                };
            }
        } catch (RuntimeException e) {
            // explicit parameters: no names, as OpenSSL
        }
        return new String[] {null, null};
    }

    /** Whether basicConstraints says CA (OpenSSL's X509_check_ca for a v3 certificate). */
    public static boolean isCa(X509Certificate cert) {
        return cert.getBasicConstraints() >= 0;
    }

    /** A tiny JSON writer: enough for Node's certificate object, with Node's escaping. */
    public static final class Json {
        private final StringBuilder out = new StringBuilder();
        private boolean first = true;

        public Json begin() {
            out.append('{');
            first = true;
            return this;
        }

        public Json end() {
            out.append('}');
            first = false;
            return this;
        }

        public Json key(String key) {
            if (!first) {
                out.append(',');
            }
            out.append(quote(key)).append(':');
            first = true;
            return this;
        }

        public Json value(String v) {
            out.append(quote(v));
            first = false;
            return this;
        }

        public Json value(boolean v) {
            out.append(v);
            first = false;
            return this;
        }

        public Json value(long v) {
            out.append(v);
            first = false;
            return this;
        }

        public Json strings(List<String> values) {
            out.append('[');
            for (int i = 0; i < values.size(); i++) {
                out.append(i == 0 ? "" : ",").append(quote(values.get(i)));
            }
            out.append(']');
            first = false;
            return this;
        }

        /** Node's name object: a single value as a string, a repeated attribute as an array. */
        public Json name(Map<String, List<String>> name) {
            begin();
            name.forEach((k, v) -> {
                key(k);
                if (v.size() == 1) {
                    value(v.getFirst());
                } else {
                    strings(v);
                }
            });
            return end();
        }

        public Json raw(String json) {
            out.append(json);
            first = false;
            return this;
        }

        @Override
        public String toString() {
            return out.toString();
        }

        /** A JSON string literal as {@code JSON.stringify} writes it. */
        public static String quote(String s) {
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    default -> {
                        if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff && !validSurrogate(s, i))) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }

        private static boolean validSurrogate(String s, int i) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            }
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
    }
}
