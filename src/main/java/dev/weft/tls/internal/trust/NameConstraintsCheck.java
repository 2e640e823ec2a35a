package dev.weft.tls.internal.trust;

import java.math.BigInteger;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.OtherName;

/**
 * OpenSSL's name-constraint matching ({@code NAME_CONSTRAINTS_check}, {@code NAME_CONSTRAINTS_check_CN} in
 * v3_ncons.c), so that weft refuses exactly the names OpenSSL refuses, with its error: the subject, the email
 * addresses in it and every subject alternative name against permitted and excluded subtrees; a subject common name
 * that looks like a host name against DNS constraints; and OpenSSL's work limit (names × subtrees).
 */
final class NameConstraintsCheck {
    /** OpenSSL's bound on names × subtrees for one check ({@code NAME_CHECK_MAX}). */
    static final int NAME_CHECK_MAX = 1 << 20;

    private static final ASN1ObjectIdentifier SMTP_UTF8_MAILBOX = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.9");

    private NameConstraintsCheck() {
    }

    /** The names of {@code x} against {@code nc}; null when all are allowed, else OpenSSL's error. */
    static X509Error check(CertInfo x, NameConstraints nc) {
        GeneralSubtree[] permitted = subtrees(nc.getPermittedSubtrees());
        GeneralSubtree[] excluded = subtrees(nc.getExcludedSubtrees());
        GeneralName[] sans = x.altNames == null ? new GeneralName[0] : x.altNames.getNames();
        long nameCount = (long) x.subject.entryCount() + sans.length;
        long constraintCount = (long) permitted.length + excluded.length;
        if (nameCount > 0 && constraintCount > NAME_CHECK_MAX / nameCount) {
            return X509Error.UNSPECIFIED;
        }
        if (x.subject.entryCount() > 0) {
            X509Error r = match(new GeneralName(x.subjectName), permitted, excluded);
            if (r != null) {
                return r;
            }
            for (ASN1Encodable email : CanonicalName.values(x.subjectName, BCStyle.EmailAddress)) {
                if (!(email.toASN1Primitive() instanceof ASN1IA5String ia5)) {
                    return X509Error.UNSUPPORTED_NAME_SYNTAX;
                }
                r = match(new GeneralName(GeneralName.rfc822Name, ia5), permitted, excluded);
                if (r != null) {
                    return r;
                }
            }
        }
        for (GeneralName gen : sans) {
            X509Error r = match(gen, permitted, excluded);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Each subject common name that looks like a host name, as a DNS name against {@code nc}. */
    static X509Error checkCommonNames(CertInfo x, NameConstraints nc) {
        GeneralSubtree[] permitted = subtrees(nc.getPermittedSubtrees());
        GeneralSubtree[] excluded = subtrees(nc.getExcludedSubtrees());
        for (ASN1Encodable cn : CanonicalName.values(x.subjectName, BCStyle.CN)) {
            String text = CanonicalName.text(cn);
            if (text == null) {
                continue;
            }
            int end = text.length();
            while (end > 0 && text.charAt(end - 1) == '\0') {
                end--;
            }
            text = text.substring(0, end);
            if (text.indexOf('\0') >= 0) {
                return X509Error.UNSUPPORTED_NAME_SYNTAX;
            }
            if (!looksLikeHostName(text)) {
                continue;
            }
            X509Error r = match(new GeneralName(GeneralName.dNSName, text), permitted, excluded);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Whether the certificate has a DNS subject alternative name ({@code has_san_id(x, GEN_DNS)}). */
    static boolean hasDnsName(CertInfo x) {
        if (x.altNames == null) {
            return false;
        }
        for (GeneralName n : x.altNames.getNames()) {
            if (n.getTagNo() == GeneralName.dNSName) {
                return true;
            }
        }
        return false;
    }

    /** OpenSSL's {@code cn2dnsid}: letters, digits, '_', inner '-' and '.', at least two labels. */
    static boolean looksLikeHostName(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        boolean dns = false;
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                continue;
            }
            if (i > 0 && i < b.length - 1) {
                if (c == '-') {
                    continue;
                }
                if (c == '.' && b[i + 1] != '.' && b[i - 1] != '-' && b[i + 1] != '-') {
                    dns = true;
                    continue;
                }
            }
            return false;
        }
        return dns;
    }

    private static GeneralSubtree[] subtrees(GeneralSubtree[] s) {
        return s == null ? new GeneralSubtree[0] : s;
    }

    /** OpenSSL's {@code nc_match}: one name against the permitted, then the excluded subtrees of its type. */
    private static X509Error match(GeneralName gen, GeneralSubtree[] permitted, GeneralSubtree[] excluded) {
        int type = gen.getTagNo() == GeneralName.otherName
                && SMTP_UTF8_MAILBOX.equals(OtherName.getInstance(gen.getName()).getTypeID())
                ? GeneralName.rfc822Name : gen.getTagNo();
        int match = 0;
        for (GeneralSubtree sub : permitted) {
            if (type != sub.getBase().getTagNo()) {
                continue;
            }
            if (!minMaxValid(sub)) {
                return X509Error.SUBTREE_MINMAX;
            }
            if (match == 2) {
                continue;
            }
            match = 1;
            X509Error r = single(gen, sub.getBase());
            if (r == null) {
                match = 2;
            } else if (r != X509Error.PERMITTED_VIOLATION) {
                return r;
            }
        }
        if (match == 1) {
            return X509Error.PERMITTED_VIOLATION;
        }
        for (GeneralSubtree sub : excluded) {
            if (type != sub.getBase().getTagNo()) {
                continue;
            }
            if (!minMaxValid(sub)) {
                return X509Error.SUBTREE_MINMAX;
            }
            X509Error r = single(gen, sub.getBase());
            if (r == null) {
                return X509Error.EXCLUDED_VIOLATION;
            } else if (r != X509Error.PERMITTED_VIOLATION) {
                return r;
            }
        }
        return null;
    }

    private static boolean minMaxValid(GeneralSubtree sub) {
        return sub.getMaximum() == null && (sub.getMinimum() == null || sub.getMinimum().equals(BigInteger.ZERO));
    }

    /** OpenSSL's {@code nc_match_single}: null when {@code gen} is within {@code base}, else an error. */
    private static X509Error single(GeneralName gen, GeneralName base) {
        try {
            return switch (gen.getTagNo()) {
                case GeneralName.otherName -> {
                    OtherName other = OtherName.getInstance(gen.getName());
                    yield SMTP_UTF8_MAILBOX.equals(other.getTypeID()) ? emailEai(other.getValue(), ia5(base))
                            : X509Error.UNSUPPORTED_CONSTRAINT_TYPE;
                }
                case GeneralName.directoryName -> CanonicalName.of(X500Name.getInstance(gen.getName()))
                        .within(CanonicalName.of(X500Name.getInstance(base.getName())))
                        ? null : X509Error.PERMITTED_VIOLATION;
                case GeneralName.dNSName -> dns(ia5(gen), ia5(base));
                case GeneralName.rfc822Name -> email(ia5(gen), ia5(base));
                case GeneralName.uniformResourceIdentifier -> uri(ia5(gen), ia5(base));
                case GeneralName.iPAddress -> ip(ASN1OctetString.getInstance(gen.getName()).getOctets(),
                        ASN1OctetString.getInstance(base.getName()).getOctets());
                default -> X509Error.UNSUPPORTED_CONSTRAINT_TYPE;
            };
        } catch (RuntimeException e) {
            return X509Error.UNSUPPORTED_CONSTRAINT_SYNTAX;
        }
    }

    private static byte[] ia5(GeneralName n) {
        return ASN1IA5String.getInstance(n.getName()).getOctets();
    }

    private static X509Error dns(byte[] dns, byte[] base) {
        if (base.length == 0) {
            return null; // an empty constraint matches everything
        }
        if (dns.length < base.length) {
            return X509Error.PERMITTED_VIOLATION;
        }
        int off = dns.length - base.length;
        if (off > 0 && base[0] != '.' && dns[off - 1] != '.') {
            return X509Error.PERMITTED_VIOLATION;
        }
        return equalsIgnoreCase(base, 0, dns, off, base.length) ? null : X509Error.PERMITTED_VIOLATION;
    }

    private static X509Error email(byte[] eml, byte[] base) {
        int baseAt = lastIndexOf(base, '@');
        int emlAt = lastIndexOf(eml, '@');
        if (emlAt < 0) {
            return X509Error.UNSUPPORTED_NAME_SYNTAX;
        }
        if (baseAt < 0 && base.length > 0 && base[0] == '.') {
            if (eml.length > base.length && equalsIgnoreCase(base, 0, eml, eml.length - base.length, base.length)) {
                return null;
            }
            return X509Error.PERMITTED_VIOLATION;
        }
        int basePtr = 0;
        if (baseAt >= 0) {
            if (baseAt != 0) {
                if (baseAt != emlAt) {
                    return X509Error.PERMITTED_VIOLATION;
                }
                for (int i = 0; i < baseAt; i++) {
                    if (base[i] == 0 || eml[i] == 0) {
                        return X509Error.UNSUPPORTED_NAME_SYNTAX;
                    }
                }
                for (int i = 0; i < emlAt; i++) {
                    if (base[i] != eml[i]) { // the local part is case sensitive
                        return X509Error.PERMITTED_VIOLATION;
                    }
                }
            }
            basePtr = baseAt + 1;
        }
        int emlPtr = emlAt + 1;
        int baseHost = base.length - basePtr;
        int emlHost = eml.length - emlPtr;
        if (baseHost != emlHost || !equalsIgnoreCase(base, basePtr, eml, emlPtr, emlHost)) {
            return X509Error.PERMITTED_VIOLATION;
        }
        return null;
    }

    private static X509Error emailEai(ASN1Encodable value, byte[] base) {
        for (byte b : base) {
            if (b == 0) {
                return X509Error.UNSUPPORTED_NAME_SYNTAX;
            }
        }
        if (!(value.toASN1Primitive() instanceof ASN1UTF8String utf8)) {
            return X509Error.UNSUPPORTED_NAME_SYNTAX;
        }
        byte[] eml = utf8.getString().getBytes(StandardCharsets.UTF_8);
        int emlAt = lastIndexOf(eml, '@');
        if (emlAt < 0) {
            return X509Error.UNSUPPORTED_NAME_SYNTAX;
        }
        String baseText = new String(base, StandardCharsets.ISO_8859_1);
        String ulabel;
        try {
            ulabel = baseText.startsWith(".") ? "." + IDN.toUnicode(baseText.substring(1), IDN.ALLOW_UNASSIGNED)
                    : IDN.toUnicode(baseText, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return X509Error.UNSPECIFIED;
        }
        byte[] u = ulabel.getBytes(StandardCharsets.UTF_8);
        if (baseText.startsWith(".")) {
            if (eml.length > u.length && equalsIgnoreCase(u, 0, eml, eml.length - u.length, u.length)) {
                return null;
            }
            return X509Error.PERMITTED_VIOLATION;
        }
        int host = eml.length - (emlAt + 1);
        return host == u.length && equalsIgnoreCase(u, 0, eml, emlAt + 1, host) ? null
                : X509Error.PERMITTED_VIOLATION;
    }

    private static X509Error uri(byte[] uri, byte[] base) {
        int colon = indexOf(uri, 0, ':');
        if (colon < 0 || uri.length - colon < 3 || uri[colon + 1] != '/' || uri[colon + 2] != '/') {
            return X509Error.UNSUPPORTED_NAME_SYNTAX;
        }
        int host = colon + 3;
        int end = indexOf(uri, host, ':');
        if (end < 0) {
            end = indexOf(uri, host, '/');
        }
        int hostLen = (end < 0 ? uri.length : end) - host;
        if (hostLen == 0) {
            return X509Error.UNSUPPORTED_NAME_SYNTAX;
        }
        if (base.length > 0 && base[0] == '.') {
            if (hostLen > base.length && equalsIgnoreCase(uri, host + hostLen - base.length, base, 0, base.length)) {
                return null;
            }
            return X509Error.PERMITTED_VIOLATION;
        }
        return base.length == hostLen && equalsIgnoreCase(uri, host, base, 0, hostLen) ? null
                : X509Error.PERMITTED_VIOLATION;
    }

    private static X509Error ip(byte[] ip, byte[] base) {
        if (!(ip.length == 4 || ip.length == 16) || !(base.length == 8 || base.length == 32)) {
            return X509Error.UNSUPPORTED_NAME_SYNTAX;
        }
        if (ip.length * 2 != base.length) {
            return X509Error.PERMITTED_VIOLATION;
        }
        for (int i = 0; i < ip.length; i++) {
            byte mask = base[ip.length + i];
            if ((ip[i] & mask) != (base[i] & mask)) {
                return X509Error.PERMITTED_VIOLATION;
            }
        }
        return null;
    }

    private static boolean equalsIgnoreCase(byte[] a, int aOff, byte[] b, int bOff, int len) {
        for (int i = 0; i < len; i++) {
            int x = a[aOff + i] & 0xff;
            int y = b[bOff + i] & 0xff;
            if (x == y) {
                continue;
            }
            if (lower(x) != lower(y)) {
                return false;
            }
        }
        return true;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static int lastIndexOf(byte[] b, int c) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, int c) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
