package dev.weft.tls.internal.negotiation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.tls.TlsException;
import dev.weft.tls.internal.negotiation.CipherNames;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Cipher strings come from configuration files and command lines: random strings and strings made of OpenSSL's
 * own vocabulary never make {@link CipherNames#select} throw anything but a {@link TlsException} with Node 24's
 * code for a refused cipher list ({@code ERR_SSL_NO_CIPHER_MATCH} or {@code ERR_SSL_INVALID_COMMAND}); what it
 * selects is a duplicate-free list of suites weft offers, TLS 1.3 first; and the order of rules that only delete
 * does not matter.
 */
class CipherStringProperties {
    private static final Set<String> CODES = Set.of("ERR_SSL_NO_CIPHER_MATCH", "ERR_SSL_INVALID_COMMAND");
    private static final List<String> VOCABULARY = List.of("ALL", "DEFAULT", "HIGH", "MEDIUM", "LOW",
            "COMPLEMENTOFDEFAULT", "COMPLEMENTOFALL", "ECDHE", "EECDH", "kECDHE", "aRSA", "aECDSA", "ECDSA", "RSA",
            "kRSA", "DHE", "aNULL", "eNULL", "PSK", "AESGCM", "AES128", "AES256", "AES", "CHACHA20", "SHA256",
            "SHA384", "TLSv1.2", "SSLv3", "FIPS", "CBC", "ECDHE-RSA-AES128-GCM-SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_NOPE", "@STRENGTH", "@SECLEVEL=4", "@SECLEVEL=9", "@X", "NOPE", "", "!", "-", "+", "+AES", "!aNULL");

    @Provide
    Arbitrary<String> vocabularyStrings() {
        Arbitrary<String> word = Arbitraries.of(VOCABULARY);
        Arbitrary<String> prefixed = Arbitraries.of("", "", "!", "-", "+").flatMap(p -> word.map(w -> p + w));
        Arbitrary<String> conj = Arbitraries.oneOf(prefixed, prefixed.flatMap(a -> word.map(b -> a + "+" + b)));
        return conj.list().ofMinSize(1).ofMaxSize(8).flatMap(parts -> Arbitraries.of(":", ",", " ", ";", "::")
                .map(sep -> String.join(sep, parts)));
    }

    @Property(tries = 1000)
    void vocabularyStringsSelectWeftsSuitesOrAreRefused(@ForAll("vocabularyStrings") String s) {
        check(s);
    }

    @Property(tries = 1000)
    void randomStringsSelectWeftsSuitesOrAreRefused(@ForAll String s) {
        check(s);
    }

    @Property(tries = 500)
    void deletionsCommute(@ForAll("deletions") List<String> deletes) throws TlsException {
        String forward = "ALL:" + String.join(":", deletes);
        String backward = "ALL:" + String.join(":", deletes.reversed());
        assertEquals(outcome(forward), outcome(backward));
    }

    @Provide
    Arbitrary<List<String>> deletions() {
        return Arbitraries.of("!", "-").flatMap(p -> Arbitraries.of(VOCABULARY.subList(0, 30)).map(w -> p + w))
                .list().ofMaxSize(5);
    }

    private static String outcome(String s) {
        try {
            return CipherNames.select(s).toString();
        } catch (TlsException e) {
            return e.code();
        }
    }

    private static void check(String s) {
        try {
            List<String> selected = CipherNames.select(s);
            assertFalse(selected.isEmpty());
            assertEquals(selected.size(), Set.copyOf(selected).size(), "no duplicates: " + selected);
            boolean seen12 = false;
            for (String suite : selected) {
                assertTrue(CipherNames.lowercaseNames().contains(CipherNames.openssl(suite).toLowerCase()),
                        "a suite weft offers: " + suite);
                boolean is13 = CipherNames.version(suite).equals("TLSv1.3");
                assertFalse(is13 && seen12, "TLS 1.3 first: " + selected);
                seen12 |= !is13;
            }
        } catch (TlsException e) {
            assertTrue(CODES.contains(e.code()), "'" + s + "': " + e.code());
        }
    }
}
