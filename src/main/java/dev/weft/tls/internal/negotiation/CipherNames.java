package dev.weft.tls.internal.negotiation;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * OpenSSL's cipher names, as Node users write them in {@code ciphers}, mapped to the standard (IANA) names JSSE
 * uses. weft offers forward-secret AEAD suites only, so the table holds those: the three TLS 1.3 suites and
 * ECDHE with AES-GCM or ChaCha20-Poly1305.
 */
public final class CipherNames {
    private CipherNames() {
    }

    /** IANA name to OpenSSL name, in OpenSSL's default preference order. */
    private static final Map<String, String> OPENSSL = new LinkedHashMap<>();

    static {
        OPENSSL.put("TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384");
        OPENSSL.put("TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
        OPENSSL.put("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256");
        OPENSSL.put("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384");
        OPENSSL.put("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384");
        OPENSSL.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305");
        OPENSSL.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305");
        OPENSSL.put("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256");
        OPENSSL.put("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256");
    }

    /** The OpenSSL name of a standard suite name; the standard name itself when weft has no mapping. */
    public static String openssl(String iana) {
        return OPENSSL.getOrDefault(iana, iana);
    }

    /** The lowest protocol a suite runs on, as Node's {@code getCipher().version}. */
    public static String version(String iana) {
        return iana.startsWith("TLS_AES_") || iana.startsWith("TLS_CHACHA20_") ? "TLSv1.3" : "TLSv1.2";
    }

    /**
     * The standard names selected by an OpenSSL cipher string, in its order: names in either form separated by
     * {@code :} (or {@code ,} or spaces), the keywords {@code DEFAULT}, {@code ALL}, {@code HIGH}, {@code ECDHE},
     * {@code EECDH}, {@code AESGCM}, {@code AES128}, {@code AES256}, {@code CHACHA20}, {@code aRSA},
     * {@code aECDSA}, and {@code !x} / {@code -x} to remove; {@code @SECLEVEL=n} and {@code +x} are accepted and
     * change nothing. As in Node, a string that names no TLS 1.3 suite leaves the TLS 1.3 suites on.
     *
     * @throws TlsException {@code ERR_SSL_NO_CIPHER_MATCH} when nothing is selected
     */
    public static List<String> select(String ciphers) throws TlsException {
        Set<String> chosen = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        boolean namedTls13 = false;
        for (String raw : ciphers.trim().split("[:, ]+")) {
            if (raw.isEmpty() || raw.startsWith("@") || raw.startsWith("+")) {
                continue;
            }
            boolean remove = raw.startsWith("!") || raw.startsWith("-");
            String token = remove ? raw.substring(1) : raw;
            List<String> matched = match(token);
            namedTls13 |= !remove && matched.stream().anyMatch(s -> version(s).equals("TLSv1.3"))
                    && !isKeyword(token);
            if (remove) {
                removed.addAll(matched);
            } else {
                chosen.addAll(matched);
            }
        }
        chosen.removeAll(removed);
        if (!namedTls13) {
            for (String s : OPENSSL.keySet()) {
                if (version(s).equals("TLSv1.3") && !removed.contains(s)) {
                    chosen.add(s);
                }
            }
        }
        boolean any12 = chosen.stream().anyMatch(s -> version(s).equals("TLSv1.2"));
        if (!any12 && !namedTls13) {
            throw new TlsException(ErrorCode.NO_CIPHER_MATCH, "no cipher match: '" + ciphers + "' selects none of "
                    + "the suites weft offers (" + String.join(":", OPENSSL.values()) + ")");
        }
        return List.copyOf(chosen);
    }

    private static boolean isKeyword(String token) {
        return switch (token.toUpperCase(Locale.ROOT)) {
            case "DEFAULT", "ALL", "HIGH", "ECDHE", "EECDH", "AESGCM", "AES128", "AES256", "CHACHA20", "ARSA",
                    "AECDSA" -> true;
            default -> false;
        };
    }

    private static List<String> match(String token) {
        List<String> out = new ArrayList<>();
        String t = token.toUpperCase(Locale.ROOT);
        for (Map.Entry<String, String> e : OPENSSL.entrySet()) {
            String iana = e.getKey();
            String ossl = e.getValue();
            boolean hit = switch (t) {
                case "DEFAULT", "ALL", "HIGH" -> true;
                case "ECDHE", "EECDH", "KECDHE" -> iana.contains("ECDHE");
                case "AESGCM" -> iana.contains("_GCM_");
                case "AES128" -> iana.contains("AES_128");
                case "AES256" -> iana.contains("AES_256");
                case "CHACHA20" -> iana.contains("CHACHA20");
                case "ARSA" -> iana.contains("_RSA_");
                case "AECDSA", "ECDSA" -> iana.contains("_ECDSA_");
                default -> t.equals(iana) || t.equals(ossl.toUpperCase(Locale.ROOT));
            };
            if (hit) {
                out.add(iana);
            }
        }
        return out;
    }
}
