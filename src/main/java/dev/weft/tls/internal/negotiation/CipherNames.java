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
 * uses, and the cipher strings themselves, evaluated as Node 24 and OpenSSL do ({@link OpenSslCipherList}). weft
 * offers forward-secret AEAD suites only: the three TLS 1.3 suites and ECDHE with AES-GCM or ChaCha20-Poly1305.
 */
public final class CipherNames {
    private CipherNames() {
    }

    /** IANA name to OpenSSL name of the suites weft offers, TLS 1.3 in OpenSSL's default order, then TLS 1.2. */
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

    /** OpenSSL's TLS 1.3 suites ({@code SSL_CTX_set_ciphersuites} knows them) and their strength bits. */
    private static final Map<String, Integer> TLS13 = Map.of("TLS_AES_256_GCM_SHA384", 256,
            "TLS_CHACHA20_POLY1305_SHA256", 256, "TLS_AES_128_GCM_SHA256", 128, "TLS_AES_128_CCM_SHA256", 128,
            "TLS_AES_128_CCM_8_SHA256", 128);

    /** The OpenSSL name of a standard suite name; the standard name itself when weft has no mapping. */
    public static String openssl(String iana) {
        return OPENSSL.getOrDefault(iana, iana);
    }

    /** The lowest protocol a suite runs on, as Node's {@code getCipher().version}. */
    public static String version(String iana) {
        return iana.startsWith("TLS_AES_") || iana.startsWith("TLS_CHACHA20_") ? "TLSv1.3" : "TLSv1.2";
    }

    /** Node's {@code tls.getCiphers()} for weft: the lowercase OpenSSL names of the suites weft offers, sorted. */
    public static List<String> lowercaseNames() {
        return OPENSSL.values().stream().map(n -> n.toLowerCase(Locale.ROOT)).sorted().toList();
    }

    /**
     * The standard names selected by a cipher string, as Node 24 takes it: the {@code :}-separated entries that
     * start with {@code TLS_} are TLS 1.3 suites (OpenSSL's {@code ciphersuites}; when there are none, the TLS 1.3
     * suites stay on in OpenSSL's default order), the rest is an OpenSSL cipher list evaluated as
     * {@code SSL_CTX_set_cipher_list} does. A TLS 1.2 suite's standard name ({@code TLS_ECDHE_..._WITH_...}) is
     * taken as its OpenSSL name (weft's addition: Node would hand it to the TLS 1.3 list). {@code @SECLEVEL=n}
     * drops the suites weaker than that level allows (level 4 and 5: the 128-bit ones). Of the result, the suites
     * weft offers, in that order, TLS 1.3 first.
     *
     * @throws TlsException {@code ERR_SSL_INVALID_COMMAND} or {@code ERR_SSL_NO_CIPHER_MATCH} where Node 24
     *                      refuses the string, and {@code ERR_SSL_NO_CIPHER_MATCH} when the string selects none of
     *                      weft's suites, or asks for TLS 1.2 suites of which weft offers none and names no TLS 1.3
     *                      suite
     */
    public static List<String> select(String ciphers) throws TlsException {
        List<String> list = new ArrayList<>();
        List<String> tls13Named = new ArrayList<>();
        for (String entry : ciphers.split(":", -1)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("TLS_")) {
                String translated = OpenSslCipherList.openSslName(entry);
                if (translated != null) {
                    list.add(translated);
                } else {
                    tls13Named.add(entry.strip());
                }
            } else {
                list.add(entry);
            }
        }
        if (list.isEmpty() && tls13Named.isEmpty()) {
            throw noMatch(ciphers);
        }
        Set<String> tls13 = new LinkedHashSet<>();
        if (tls13Named.isEmpty()) {
            tls13.addAll(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"));
        } else {
            boolean known = false;
            for (String n : tls13Named) {
                known |= TLS13.containsKey(n);
                if (TLS13.containsKey(n)) {
                    tls13.add(n);
                }
            }
            if (!known) {
                throw new TlsException(ErrorCode.NO_CIPHER_MATCH, "no cipher match: none of " + tls13Named
                        + " is a TLS 1.3 suite");
            }
        }
        int minimumBits = 0;
        List<String> tls12 = new ArrayList<>();
        if (!list.isEmpty()) {
            OpenSslCipherList.Selection s = OpenSslCipherList.evaluate(String.join(":", list));
            minimumBits = s.secLevel() < 0 ? 0 : OpenSslCipherList.minimumBits(s.secLevel());
            for (OpenSslCipherList.Suite suite : s.suites()) {
                if (suite.bits() >= minimumBits && OPENSSL.containsValue(suite.name())) {
                    tls12.add(suite.standardName());
                }
            }
        }
        int floor = minimumBits;
        tls13.removeIf(n -> TLS13.get(n) < floor || !OPENSSL.containsKey(n));
        if (!list.isEmpty() && tls12.isEmpty() && tls13Named.isEmpty() || tls12.isEmpty() && tls13.isEmpty()) {
            throw noMatch(ciphers);
        }
        List<String> all = new ArrayList<>(tls13);
        all.addAll(tls12);
        return List.copyOf(all);
    }

    private static TlsException noMatch(String ciphers) {
        return new TlsException(ErrorCode.NO_CIPHER_MATCH, "no cipher match: '" + ciphers + "' selects none of "
                + "the suites weft offers (" + String.join(":", OPENSSL.values()) + ")");
    }
}
