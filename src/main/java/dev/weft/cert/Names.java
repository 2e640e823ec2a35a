package dev.weft.cert;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Parsing of distinguished names, subject alternative names, name-constraint subtrees, key usages and extension
 * names, as OpenSSL's command line and configuration files spell them.
 */
final class Names {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern OID = Pattern.compile("\\d+(\\.\\d+)+");

    /** Extension names as OpenSSL's configuration files spell them. */
    private static final Map<String, ASN1ObjectIdentifier> EXTENSIONS = Map.ofEntries(
            Map.entry("basicconstraints", Extension.basicConstraints),
            Map.entry("keyusage", Extension.keyUsage),
            Map.entry("extendedkeyusage", Extension.extendedKeyUsage),
            Map.entry("subjectaltname", Extension.subjectAlternativeName),
            Map.entry("issueraltname", Extension.issuerAlternativeName),
            Map.entry("subjectkeyidentifier", Extension.subjectKeyIdentifier),
            Map.entry("authoritykeyidentifier", Extension.authorityKeyIdentifier),
            Map.entry("authorityinfoaccess", Extension.authorityInfoAccess),
            Map.entry("subjectinfoaccess", Extension.subjectInfoAccess),
            Map.entry("nameconstraints", Extension.nameConstraints),
            Map.entry("crldistributionpoints", Extension.cRLDistributionPoints),
            Map.entry("certificatepolicies", Extension.certificatePolicies),
            Map.entry("policyconstraints", Extension.policyConstraints),
            Map.entry("policymappings", Extension.policyMappings),
            Map.entry("inhibitanypolicy", Extension.inhibitAnyPolicy),
            Map.entry("tlsfeature", new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24")),
            Map.entry("nscerttype", new ASN1ObjectIdentifier("2.16.840.1.113730.1.1")),
            Map.entry("nscomment", new ASN1ObjectIdentifier("2.16.840.1.113730.1.13")));

    /** Key usage bits as OpenSSL's {@code keyUsage} configuration spells them. */
    private static final Map<String, Integer> KEY_USAGES = Map.ofEntries(
            Map.entry("digitalsignature", KeyUsage.digitalSignature),
            Map.entry("nonrepudiation", KeyUsage.nonRepudiation),
            Map.entry("contentcommitment", KeyUsage.nonRepudiation),
            Map.entry("keyencipherment", KeyUsage.keyEncipherment),
            Map.entry("dataencipherment", KeyUsage.dataEncipherment),
            Map.entry("keyagreement", KeyUsage.keyAgreement),
            Map.entry("keycertsign", KeyUsage.keyCertSign),
            Map.entry("crlsign", KeyUsage.cRLSign),
            Map.entry("encipheronly", KeyUsage.encipherOnly),
            Map.entry("decipheronly", KeyUsage.decipherOnly));

    /** Extended key usages as OpenSSL's {@code extendedKeyUsage} configuration spells them. */
    private static final Map<String, KeyPurposeId> KEY_PURPOSES = Map.ofEntries(
            Map.entry("serverauth", KeyPurposeId.id_kp_serverAuth),
            Map.entry("clientauth", KeyPurposeId.id_kp_clientAuth),
            Map.entry("codesigning", KeyPurposeId.id_kp_codeSigning),
            Map.entry("emailprotection", KeyPurposeId.id_kp_emailProtection),
            Map.entry("timestamping", KeyPurposeId.id_kp_timeStamping),
            Map.entry("ocspsigning", KeyPurposeId.id_kp_OCSPSigning),
            Map.entry("ipsecike", KeyPurposeId.id_kp_ipsecIKE),
            Map.entry("anyextendedkeyusage", KeyPurposeId.anyExtendedKeyUsage));

    private Names() {
    }

    /**
     * A distinguished name from OpenSSL's {@code /C=UK/O=node.js/CN=localhost} form (encoded in that order,
     * {@code \/} escapes a slash, {@code +} joins a multi-valued RDN) or from RFC 4514 {@code CN=a,O=b}
     * (encoded last-first, as RFC 4514 prescribes). Attribute names are OpenSSL/BC short names,
     * case-insensitive, or dotted OIDs.
     */
    static X500Name parseDn(String dn) {
        if (dn == null || dn.isBlank()) {
            throw new IllegalArgumentException("empty subject");
        }
        String s = dn.strip();
        if (s.startsWith("/")) {
            X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
            for (String rdn : split(s.substring(1), '/')) {
                if (rdn.isEmpty()) {
                    continue;
                }
                List<String> parts = split(rdn, '+');
                ASN1ObjectIdentifier[] oids = new ASN1ObjectIdentifier[parts.size()];
                String[] values = new String[parts.size()];
                for (int i = 0; i < parts.size(); i++) {
                    String p = parts.get(i);
                    int eq = p.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("subject " + dn + ": expected type=value, got '" + p + "'");
                    }
                    oids[i] = oid(p.substring(0, eq).strip(), dn);
                    values[i] = unescape(p.substring(eq + 1));
                }
                if (oids.length == 1) {
                    b.addRDN(oids[0], values[0]);
                } else {
                    b.addMultiValuedRDN(oids, values);
                }
            }
            X500Name name = b.build();
            if (name.getRDNs().length == 0) {
                throw new IllegalArgumentException("empty subject: " + dn);
            }
            return name;
        }
        if (!s.contains("=")) {
            throw new IllegalArgumentException("subject " + dn
                    + ": expected /C=UK/O=org/CN=name or CN=name,O=org");
        }
        RDN[] rdns = IETFUtils.rDNsFromString(s, BCStyle.INSTANCE);
        RDN[] reversed = new RDN[rdns.length];
        for (int i = 0; i < rdns.length; i++) {
            reversed[i] = rdns[rdns.length - 1 - i];
        }
        return new X500Name(BCStyle.INSTANCE, reversed);
    }

    private static ASN1ObjectIdentifier oid(String name, String dn) {
        if (name.matches("\\d+(\\.\\d+)+")) {
            return new ASN1ObjectIdentifier(name);
        }
        try {
            return BCStyle.INSTANCE.attrNameToOID(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("subject " + dn + ": unknown attribute type '" + name + "'", e);
        }
    }

    private static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * A subject alternative name. {@code DNS:}, {@code IP:}, {@code email:}, {@code URI:} prefixes (OpenSSL's
     * {@code subjectAltName} syntax) are honoured; without one the type is detected: an IPv4 or IPv6 literal is
     * an IP address, a value with {@code ://} a URI, a value with {@code @} an email address, else a DNS name.
     */
    static GeneralName san(String value) {
        String v = value.strip();
        int colon = v.indexOf(':');
        if (colon > 0) {
            String prefix = v.substring(0, colon).toLowerCase(Locale.ROOT);
            String rest = v.substring(colon + 1);
            switch (prefix) {
                case "dns": return dns(rest);
                case "ip", "ip address": return ip(rest);
                case "email": return email(rest);
                case "uri": return uri(rest);
                default: break;
            }
        }
        if (isIp(v)) {
            return ip(v);
        }
        if (v.contains("://")) {
            return uri(v);
        }
        if (v.contains("@")) {
            return email(v);
        }
        return dns(v);
    }

    static boolean isIp(String v) {
        return IPV4.matcher(v).matches() || (v.contains(":") && IPV6.matcher(v).matches());
    }

    static GeneralName dns(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty DNS name");
        }
        return new GeneralName(GeneralName.dNSName, v);
    }

    static GeneralName ip(String v) {
        if (!isIp(v)) {
            throw new IllegalArgumentException("not an IP address literal: " + v);
        }
        try {
            return new GeneralName(GeneralName.iPAddress, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address literal: " + v, e);
        }
    }

    static GeneralName email(String v) {
        return new GeneralName(GeneralName.rfc822Name, v);
    }

    static GeneralName uri(String v) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, v);
    }

    /**
     * One name-constraint subtree from OpenSSL's {@code nameConstraints} configuration syntax: {@code DNS:host}
     * (an empty name is allowed), {@code IP:address/mask} with a dotted or colon mask or a prefix length
     * ({@code IP:10.0.0.0/8}, {@code IP:2001:db8::/32}), {@code email:}, {@code URI:}, {@code dirName:} followed by a
     * distinguished name as {@link #parseDn} reads it, {@code RID:} a registered OID. Minimum 0, no maximum.
     */
    static GeneralSubtree subtree(String entry) {
        int colon = entry.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("name constraint '" + entry
                    + "': expected TYPE:value with TYPE one of DNS, IP, email, URI, dirName, RID");
        }
        String value = entry.substring(colon + 1);
        GeneralName name = switch (entry.substring(0, colon).strip().toLowerCase(Locale.ROOT)) {
            case "dns" -> new GeneralName(GeneralName.dNSName, value);
            case "email" -> new GeneralName(GeneralName.rfc822Name, value);
            case "uri" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
            case "ip", "ip address" -> new GeneralName(GeneralName.iPAddress, new DEROctetString(addressRange(value)));
            case "dirname" -> new GeneralName(GeneralName.directoryName, parseDn(value));
            case "rid" -> {
                if (!OID.matcher(value.strip()).matches()) {
                    throw new IllegalArgumentException("name constraint '" + entry + "': RID needs a dotted OID");
                }
                yield new GeneralName(GeneralName.registeredID, new ASN1ObjectIdentifier(value.strip()));
            }
            default -> throw new IllegalArgumentException("name constraint '" + entry
                    + "': unknown type; expected DNS, IP, email, URI, dirName or RID");
        };
        return new GeneralSubtree(name);
    }

    /** The 8 (IPv4) or 32 (IPv6) bytes of an address followed by its mask, from {@code a/mask} or {@code a/prefix}. */
    private static byte[] addressRange(String value) {
        int slash = value.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("IP name constraint '" + value
                    + "': expected address/mask or address/prefix length, e.g. 10.0.0.0/8");
        }
        byte[] address = literal(value.substring(0, slash), value);
        String m = value.substring(slash + 1);
        byte[] mask;
        if (m.contains(".") || m.contains(":")) {
            mask = literal(m, value);
            if (mask.length != address.length) {
                throw new IllegalArgumentException("IP name constraint '" + value + "': mask of another family");
            }
        } else {
            int prefix;
            try {
                prefix = Integer.parseInt(m);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("IP name constraint '" + value + "': bad prefix length", e);
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("IP name constraint '" + value + "': prefix length out of range");
            }
            mask = new byte[address.length];
            for (int i = 0; i < prefix; i++) {
                mask[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        byte[] range = new byte[address.length * 2];
        System.arraycopy(address, 0, range, 0, address.length);
        System.arraycopy(mask, 0, range, address.length, mask.length);
        return range;
    }

    private static byte[] literal(String ip, String context) {
        if (!isIp(ip)) {
            throw new IllegalArgumentException("IP name constraint '" + context + "': not an IP literal: " + ip);
        }
        try {
            return InetAddress.getByName(ip).getAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("IP name constraint '" + context + "': not an IP literal: " + ip, e);
        }
    }

    /** An extension's OID from a dotted OID or OpenSSL's name for it ({@code keyUsage}, {@code nsCertType}, ...). */
    static ASN1ObjectIdentifier extension(String nameOrOid) {
        return byNameOrOid(EXTENSIONS, nameOrOid, ASN1ObjectIdentifier::new, "extension");
    }

    /** The keyUsage bits of OpenSSL's names ({@code digitalSignature}, {@code keyCertSign}, ...), case-insensitive. */
    static int keyUsage(String... names) {
        int bits = 0;
        for (String n : names) {
            bits |= byName(KEY_USAGES, n, "key usage", "expected one of ");
        }
        return bits;
    }

    /** An extended key usage from OpenSSL's name ({@code serverAuth}, {@code anyExtendedKeyUsage}, ...) or an OID. */
    static KeyPurposeId keyPurpose(String nameOrOid) {
        return byNameOrOid(KEY_PURPOSES, nameOrOid,
                oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)), "extended key usage");
    }

    /** A dotted OID made by {@code ofOid}, else the entry of {@code names} for OpenSSL's name, case-insensitive. */
    private static <T> T byNameOrOid(Map<String, T> names, String nameOrOid, Function<String, T> ofOid, String what) {
        String n = nameOrOid.strip();
        if (OID.matcher(n).matches()) {
            return ofOid.apply(n);
        }
        return byName(names, nameOrOid, what, "give a dotted OID or one of ");
    }

    /** The entry of {@code names} for OpenSSL's name, case-insensitive; the message lists the names known. */
    private static <T> T byName(Map<String, T> names, String name, String what, String expected) {
        T value = names.get(name.strip().toLowerCase(Locale.ROOT));
        if (value == null) {
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'; " + expected
                    + names.keySet().stream().sorted().toList());
        }
        return value;
    }
}
