package dev.weft.tls.internal.negotiation;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Node's {@code sigalgs} (OpenSSL 3.5's signature-algorithm list: {@code ECDSA+SHA256}, {@code RSA-PSS+SHA256},
 * {@code rsa_pss_rsae_sha256}, {@code ed25519}, ... colon-separated, case-insensitive, {@code ?} to skip an unknown
 * name) mapped to TLS signature schemes, and the names Node's {@code getSharedSigalgs()} gives them. SHA-1 schemes
 * are accepted in a list, as Node accepts them, and never used: OpenSSL at Node's security level 2 drops them.
 */
public final class SigAlgs {
    private SigAlgs() {
    }

    /** One scheme: code point, IANA (and JSSE) name, OpenSSL's signature and hash names. */
    record Scheme(int code, String iana, String sig, String hash) {
        /** The name Node's {@code getSharedSigalgs()} gives it: {@code ECDSA+SHA256}, {@code Ed25519+UNDEF}. */
        String nodeName() {
            return sig + "+" + (hash == null ? "UNDEF" : hash);
        }
    }

    /** In OpenSSL's table order: {@code sig+hash} takes the first scheme of that signature and hash. */
    private static final List<Scheme> TABLE = List.of(
            new Scheme(0x0403, "ecdsa_secp256r1_sha256", "ECDSA", "SHA256"),
            new Scheme(0x0503, "ecdsa_secp384r1_sha384", "ECDSA", "SHA384"),
            new Scheme(0x0603, "ecdsa_secp521r1_sha512", "ECDSA", "SHA512"),
            new Scheme(0x0303, "ecdsa_sha224", "ECDSA", "SHA224"),
            new Scheme(0x0203, "ecdsa_sha1", "ECDSA", "SHA1"),
            new Scheme(0x081a, "ecdsa_brainpoolP256r1tls13_sha256", "ECDSA", "SHA256"),
            new Scheme(0x081b, "ecdsa_brainpoolP384r1tls13_sha384", "ECDSA", "SHA384"),
            new Scheme(0x081c, "ecdsa_brainpoolP512r1tls13_sha512", "ECDSA", "SHA512"),
            new Scheme(0x0804, "rsa_pss_rsae_sha256", "RSA-PSS", "SHA256"),
            new Scheme(0x0805, "rsa_pss_rsae_sha384", "RSA-PSS", "SHA384"),
            new Scheme(0x0806, "rsa_pss_rsae_sha512", "RSA-PSS", "SHA512"),
            new Scheme(0x0809, "rsa_pss_pss_sha256", "RSA-PSS", "SHA256"),
            new Scheme(0x080a, "rsa_pss_pss_sha384", "RSA-PSS", "SHA384"),
            new Scheme(0x080b, "rsa_pss_pss_sha512", "RSA-PSS", "SHA512"),
            new Scheme(0x0807, "ed25519", "Ed25519", null),
            new Scheme(0x0808, "ed448", "Ed448", null),
            new Scheme(0x0401, "rsa_pkcs1_sha256", "RSA", "SHA256"),
            new Scheme(0x0501, "rsa_pkcs1_sha384", "RSA", "SHA384"),
            new Scheme(0x0601, "rsa_pkcs1_sha512", "RSA", "SHA512"),
            new Scheme(0x0301, "rsa_pkcs1_sha224", "RSA", "SHA224"),
            new Scheme(0x0201, "rsa_pkcs1_sha1", "RSA", "SHA1"),
            new Scheme(0x0402, "dsa_sha256", "DSA", "SHA256"),
            new Scheme(0x0502, "dsa_sha384", "DSA", "SHA384"),
            new Scheme(0x0602, "dsa_sha512", "DSA", "SHA512"),
            new Scheme(0x0302, "dsa_sha224", "DSA", "SHA224"),
            new Scheme(0x0202, "dsa_sha1", "DSA", "SHA1"),
            new Scheme(0x0904, "mldsa44", "id-ml-dsa-44", null),
            new Scheme(0x0905, "mldsa65", "id-ml-dsa-65", null),
            new Scheme(0x0906, "mldsa87", "id-ml-dsa-87", null));

    /**
     * OpenSSL 3.5's default list (what a Node 24 server shares from when {@code sigalgs} is not set), SHA-1 left
     * out as its security level leaves it out.
     */
    private static final int[] OPENSSL_DEFAULT = {0x0905, 0x0906, 0x0904, 0x0403, 0x0503, 0x0603, 0x0807, 0x0808,
        0x081a, 0x081b, 0x081c, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303,
        0x0301, 0x0302, 0x0402, 0x0502, 0x0602};

    private static final Map<String, Scheme> BY_NAME = new HashMap<>();
    private static final Map<Integer, Scheme> BY_CODE = new HashMap<>();

    static {
        for (Scheme s : TABLE) {
            BY_NAME.put(s.iana().toLowerCase(Locale.ROOT), s);
            BY_CODE.put(s.code(), s);
        }
        for (String curve : new String[] {"256", "384", "512"}) {
            BY_NAME.put("ecdsa_brainpoolp" + curve + "r1_sha" + curve, BY_NAME.get("ecdsa_brainpoolp" + curve
                    + "r1tls13_sha" + curve));
        }
        for (String level : new String[] {"44", "65", "87"}) {
            BY_NAME.put("ml-dsa-" + level, BY_NAME.get("mldsa" + level));
        }
    }

    /** OpenSSL's signature name of a {@code sig+hash} part, or null when it is a hash or unknown. */
    private static String signature(String part) {
        return switch (part.toUpperCase(Locale.ROOT)) {
            case "RSA" -> "RSA";
            case "RSA-PSS", "PSS" -> "RSA-PSS";
            case "ECDSA" -> "ECDSA";
            case "DSA" -> "DSA";
            default -> null;
        };
    }

    private static String hash(String part) {
        String h = part.toUpperCase(Locale.ROOT);
        return List.of("SHA1", "SHA224", "SHA256", "SHA384", "SHA512").contains(h) ? h : null;
    }

    /** The scheme an entry names, or null. */
    private static Scheme lookup(String entry) {
        int plus = entry.indexOf('+');
        if (plus < 0) {
            return BY_NAME.get(entry.toLowerCase(Locale.ROOT));
        }
        String a = entry.substring(0, plus);
        String b = entry.substring(plus + 1);
        String sig = signature(a) != null ? signature(a) : signature(b);
        String hash = hash(a) != null ? hash(a) : hash(b);
        if (sig == null || hash == null || b.indexOf('+') >= 0) {
            return null;
        }
        for (Scheme s : TABLE) {
            if (s.sig().equals(sig) && hash.equals(s.hash())) {
                return s;
            }
        }
        return null;
    }

    /**
     * The schemes a {@code sigalgs} names, in order, duplicates and SHA-1 dropped (JSSE names); null for none set.
     *
     * @throws TlsException {@code ERR_INVALID_ARG_VALUE} for an empty string (as Node 24),
     *                      {@code ERR_WEFT_SIGALGS_INVALID} for a name OpenSSL does not know or an empty entry
     *                      (Node 24 throws an Error without a code), {@code ERR_SSL_PASSED_INVALID_ARGUMENT} when
     *                      every name was skipped (as Node 24)
     */
    public static List<String> parse(String list) throws TlsException {
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            throw new TlsException(ErrorCode.INVALID_ARG_VALUE, "The property 'options.sigalgs' is invalid. "
                    + "Received ''");
        }
        LinkedHashSet<Scheme> named = new LinkedHashSet<>();
        for (String raw : list.split(":", -1)) {
            String entry = raw;
            boolean optional = entry.startsWith("?");
            if (optional) {
                entry = entry.substring(1);
            }
            Scheme s = entry.isEmpty() ? null : lookup(entry);
            if (s == null) {
                if (optional && !entry.isEmpty()) {
                    continue;
                }
                throw new TlsException(ErrorCode.SIGALGS_INVALID, "sigalgs '" + list + "': '" + raw + "' is not a "
                        + "signature algorithm OpenSSL knows (RSA+SHA256, RSA-PSS+SHA256, ECDSA+SHA256, ed25519, "
                        + "rsa_pss_rsae_sha256, ...)");
            }
            named.add(s);
        }
        if (named.isEmpty()) {
            // as Node 24: a list whose every name was skipped (?name) is refused by OpenSSL with this code
            throw new TlsException(ErrorCode.PASSED_INVALID_ARGUMENT, "sigalgs '" + list + "' names no signature "
                    + "algorithm");
        }
        return named.stream().filter(s -> !"SHA1".equals(s.hash())).map(Scheme::iana).toList();
    }

    /** The code point of a JSSE scheme name, or -1. */
    public static int code(String iana) {
        Scheme s = BY_NAME.get(iana.toLowerCase(Locale.ROOT));
        return s == null ? -1 : s.code();
    }

    /**
     * What Node's {@code getSharedSigalgs()} reports: this end's list ({@code configured}, JSSE names; null for
     * OpenSSL's default) in its order, keeping the schemes the peer also offered ({@code peer}), without SHA-1
     * (security level 2) and, in TLS 1.3, without DSA; in OpenSSL's names.
     */
    public static List<String> shared(List<String> configured, int[] peer, boolean tls13) {
        if (peer == null) {
            return List.of();
        }
        int[] mine = configured == null ? OPENSSL_DEFAULT
                : configured.stream().mapToInt(SigAlgs::code).filter(c -> c >= 0).toArray();
        List<String> out = new ArrayList<>();
        for (int c : mine) {
            Scheme s = BY_CODE.get(c);
            if (s == null || "SHA1".equals(s.hash()) || tls13 && s.sig().equals("DSA")) {
                continue;
            }
            for (int p : peer) {
                if (p == c) {
                    out.add(s.nodeName());
                    break;
                }
            }
        }
        return List.copyOf(out);
    }
}
