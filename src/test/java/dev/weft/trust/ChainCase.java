package dev.weft.trust;

import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * One certificate chain of the differential corpus, as a TLS peer presents it and as Node is configured to judge it.
 *
 * @param name unique, descriptive: {@code nc-dns-permitted-root-violation}
 * @param rule {@code category: what this case varies}; the category ({@link #category()}) is the part before the
 *     first colon: {@code control}, {@code name-constraints}, {@code critical-extensions}, {@code basic-constraints},
 *     {@code key-usage}, {@code eku}, {@code validity}, {@code signatures}, {@code weak-crypto}, {@code crl},
 *     {@code path-building}, {@code multi-rule}
 * @param sent exactly the certificates the peer sends, leaf first (then in any order, with extras or duplicates)
 * @param leafKey the private key of {@code sent.get(0)}
 * @param trusted Node's {@code ca} (empty: Node's default roots, which hold none of the corpus's certificates)
 * @param crls Node's {@code crl}; non-empty means Node sets {@code X509_V_FLAG_CRL_CHECK | CRL_CHECK_ALL}
 * @param allowPartialTrustChain Node's {@code allowPartialTrustChain}
 * @param handshakeable false only for chains too large for a TLS Certificate message as SunJSSE accepts one
 *     (more than 32 KiB, or more than 10 certificates)
 */
public record ChainCase(String name, String rule, List<X509Certificate> sent, PrivateKey leafKey,
        List<X509Certificate> trusted, List<X509CRL> crls, boolean allowPartialTrustChain, boolean handshakeable) {

    /** The category every valid control has: chains that every verifier must accept. */
    public static final String CONTROL = "control";

    public ChainCase {
        Objects.requireNonNull(name, "name");
        if (!rule.contains(": ")) {
            throw new IllegalArgumentException(name + ": rule must read 'category: description', got " + rule);
        }
        if (sent.isEmpty()) {
            throw new IllegalArgumentException(name + ": nothing sent");
        }
        Objects.requireNonNull(leafKey, "leafKey");
        sent = List.copyOf(sent);
        trusted = List.copyOf(trusted);
        crls = List.copyOf(crls);
    }

    /** {@return the rule's category, the part before its first colon} */
    public String category() {
        return rule.substring(0, rule.indexOf(':'));
    }

    /** {@return true for a valid control: a chain every verifier must accept in the directions its EKU allows} */
    public boolean validControl() {
        return category().equals(CONTROL);
    }

    /** {@return the leaf: the first certificate sent} */
    public X509Certificate leaf() {
        return sent.getFirst();
    }

    /**
     * {@return whether the leaf's extended key usage allows this direction: no EKU, anyExtendedKeyUsage, or
     * serverAuth (for {@link Direction#SERVER_CHAIN}) or clientAuth (for {@link Direction#CLIENT_CHAIN})}
     */
    public boolean ekuAllows(Direction d) {
        try {
            List<String> eku = leaf().getExtendedKeyUsage();
            return eku == null || eku.contains("2.5.29.37.0") || eku.contains(d.purposeOid());
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
