package dev.weft.tls.internal.trust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1T61String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1UniversalString;
import org.bouncycastle.asn1.ASN1VisibleString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A distinguished name in OpenSSL's canonical form ({@code x509_name_canon}): string values converted to UTF-8,
 * leading and trailing white space dropped, inner runs of white space made one space, ASCII letters lower-cased,
 * each RDN DER-encoded as a SET and the SETs concatenated. OpenSSL compares names ({@code X509_NAME_cmp}) and
 * matches directoryName constraints on these bytes, so weft does too.
 */
final class CanonicalName {
    private final byte[] encoding;
    private final int entries;

    private CanonicalName(byte[] encoding, int entries) {
        this.encoding = encoding;
        this.entries = entries;
    }

    static CanonicalName of(X500Name name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 0;
        try {
            for (RDN rdn : name.getRDNs()) {
                ASN1EncodableVector set = new ASN1EncodableVector();
                for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                    set.add(new DERSequence(new ASN1Encodable[] {atv.getType(), canonicalValue(atv.getValue())}));
                    count++;
                }
                out.write(new DERSet(set).getEncoded(ASN1Encoding.DER));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode name " + name, e);
        }
        return new CanonicalName(out.toByteArray(), count);
    }

    /** {@return the number of attribute values in the name} */
    int entryCount() {
        return entries;
    }

    /** Whether this name starts with {@code base}'s RDNs: OpenSSL's directoryName constraint match. */
    boolean within(CanonicalName base) {
        return base.encoding.length <= encoding.length
                && Arrays.equals(base.encoding, 0, base.encoding.length, encoding, 0, base.encoding.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalName c && Arrays.equals(encoding, c.encoding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoding);
    }

    private static ASN1Encodable canonicalValue(ASN1Encodable value) {
        ASN1Primitive p = value.toASN1Primitive();
        String text = switch (p) {
            case ASN1UniversalString u -> utf32(u.getOctets());
            case ASN1T61String t -> latin1(t.getOctets());
            case ASN1UTF8String s -> s.getString();
            case ASN1BMPString s -> s.getString();
            case ASN1PrintableString s -> latin1(s.getOctets());
            case ASN1IA5String s -> latin1(s.getOctets());
            case ASN1VisibleString s -> latin1(s.getOctets());
            default -> null;
        };
        if (text == null) {
            return p; // not a string type: compared as encoded
        }
        return new DERUTF8String(canonical(text));
    }

    /** Trim, collapse white space to one space, lower-case ASCII letters; other characters as they are. */
    static String canonical(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && space(s.charAt(start))) {
            start++;
        }
        while (end > start && space(s.charAt(end - 1))) {
            end--;
        }
        StringBuilder b = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (space(c)) {
                b.append(' ');
                while (i + 1 < end && space(s.charAt(i + 1))) {
                    i++;
                }
            } else {
                b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            }
        }
        return b.toString();
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String utf32(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i + 3 < b.length; i += 4) {
            s.appendCodePoint(((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8)
                    | (b[i + 3] & 0xff));
        }
        return s.toString();
    }

    /** The values of attribute {@code type} in {@code name}, in order. */
    static java.util.List<ASN1Encodable> values(X500Name name, ASN1ObjectIdentifier type) {
        java.util.List<ASN1Encodable> out = new java.util.ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(type)) {
                    out.add(atv.getValue());
                }
            }
        }
        return out;
    }

    /** The text of a string value (UTF-8 semantics as OpenSSL's ASN1_STRING_to_UTF8), or null when not a string. */
    static String text(ASN1Encodable value) {
        ASN1Primitive p = value.toASN1Primitive();
        return switch (p) {
            case ASN1UniversalString u -> utf32(u.getOctets());
            case ASN1T61String t -> latin1(t.getOctets());
            case ASN1PrintableString s -> latin1(s.getOctets());
            case ASN1IA5String s -> latin1(s.getOctets());
            case ASN1VisibleString s -> latin1(s.getOctets());
            case ASN1String s -> s.getString();
            default -> null;
        };
    }
}
