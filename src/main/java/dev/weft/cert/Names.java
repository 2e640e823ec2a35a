package dev.weft.cert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.GeneralName;

/** Parsing of distinguished names and subject alternative names, as OpenSSL's command line accepts them. */
final class Names {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

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
}
