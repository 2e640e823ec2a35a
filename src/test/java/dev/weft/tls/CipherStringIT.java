package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.Tool;
import dev.weft.tls.internal.negotiation.CipherNames;
import dev.weft.tls.internal.negotiation.OpenSslCipherList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OpenSSL cipher strings, compared live with {@code openssl ciphers} (OpenSSL 3.0) over a corpus generated here
 * (aliases alone, {@code !}/{@code -}/{@code +} rules, {@code A+B} conjunctions, {@code @STRENGTH},
 * {@code @SECLEVEL}, explicit names in both forms, TLS 1.3 names mixed in, malformed strings, and random
 * compositions of all of them):
 * <ul>
 * <li>the whole TLS 1.2 list weft's evaluator makes of a string (every suite of OpenSSL's table, not only weft's)
 * is the list {@code openssl ciphers -V} prints, in the same order, and both refuse the same strings with the same
 * error;</li>
 * <li>weft's selection ({@code ContextOptions.ciphers}) is what {@code openssl ciphers -s -V -tls1_3
 * -ciphersuites T L} and {@code -tls1_2 L} select when the string is split as Node 24 splits it, keeping the suites
 * weft's policy allows (decided here from openssl's own description of each suite: TLS 1.3 AES-GCM and
 * ChaCha20-Poly1305, or Kx=ECDH with RSA or ECDSA, Mac=AEAD and AES-GCM or ChaCha20), in the same order.</li>
 * <li>on every provider, a weft server given a few of these strings accepts exactly the selected suites
 * ({@code openssl s_client} offering one suite at a time, TLS 1.2 and 1.3) and, offered them all in reverse, picks
 * the first of its selection: the selection, in its order, is what the provider's engine got.</li>
 * </ul>
 */
class CipherStringIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> WORDS = List.of("ALL", "HIGH", "MEDIUM", "LOW", "COMPLEMENTOFDEFAULT",
            "COMPLEMENTOFALL", "ECDHE", "EECDH", "kECDHE", "kEECDH", "ECDH", "aRSA", "aECDSA", "ECDSA", "RSA", "kRSA",
            "DHE", "EDH", "kDHE", "DH", "aNULL", "eNULL", "NULL", "PSK", "kPSK", "aPSK", "kECDHEPSK", "AESGCM",
            "AES128", "AES256", "AES", "AESCCM", "AESCCM8", "CHACHA20", "CAMELLIA", "CAMELLIA128", "ARIA", "ARIAGCM",
            "CBC", "SHA256", "SHA384", "SHA1", "SHA", "MD5", "TLSv1.2", "TLSv1", "TLSv1.0", "SSLv3", "FIPS", "SRP",
            "ADH", "AECDH", "aDSS", "DSS", "3DES", "RC4", "IDEA", "SEED", "NOPE", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-AES256-GCM-SHA384", "AES128-SHA", "DHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-AES128-SHA256");
    private static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_NOPE");

    @TempDir
    static Path dir;

    /** The corpus: each string in OpenSSL's form (weft is also given the standard-name form where it differs). */
    static List<String> corpus() {
        Set<String> c = new LinkedHashSet<>();
        c.addAll(WORDS);
        for (String w : List.of("ECDHE", "aRSA", "aECDSA", "AES128", "AES256", "CHACHA20", "SHA384", "AESGCM",
                "TLSv1.2", "FIPS", "COMPLEMENTOFDEFAULT")) {
            c.add("HIGH:!" + w);
            c.add("ALL:-" + w);
            c.add("ALL:+" + w);
            c.add("ECDHE+" + w);
            c.add(w + "+ECDHE");
            c.add("DEFAULT:+" + w + ":@STRENGTH");
        }
        c.addAll(List.of("DEFAULT", "DEFAULT:!ECDSA", "DEFAULT:-AESGCM:AESGCM", "DEFAULT:ECDHE:-ECDHE:+AES128",
                "ALL:COMPLEMENTOFALL", "ALL:@STRENGTH", "HIGH:@STRENGTH:+AES128", "AES128:AES256:@STRENGTH",
                "CHACHA20:AES128:AES256", "AES128+ECDHE:CHACHA20:AES256+ECDHE", "ECDHE+AESGCM:ECDHE+CHACHA20",
                "ECDHE+aECDSA+AES128", "ECDHE+AES128+SHA256", "kECDHE+aRSA+CHACHA20", "HIGH+FIPS", "FIPS+HIGH",
                "COMPLEMENTOFDEFAULT+HIGH", "HIGH+COMPLEMENTOFDEFAULT", "TLSv1.2+ECDHE", "SSLv3+ECDHE",
                "ECDHE:!AES256:AES256", "ECDHE:-AES256:AES256", "ECDHE:!ECDHE-RSA-AES128-GCM-SHA256",
                "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
                "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:@STRENGTH",
                "HIGH:@SECLEVEL=0", "HIGH:@SECLEVEL=3", "HIGH:@SECLEVEL=4", "ECDHE:@SECLEVEL=5",
                "AES128:@SECLEVEL=5", "HIGH:@SECLEVEL=9", "HIGH:@SECLEVEL=", "HIGH:@FOO", "HIGH:@STRENGTH+AES",
                "HIGH:!", "HIGH:-", "HIGH;!aNULL", "HIGH !aNULL,!kRSA", "HIGH:!aNULL::", "HIGH:ECDHE+", "high",
                "ECDHE:!$", "DEFAULTS", "HIGH:DEFAULT", "!ECDHE:ECDHE", "-ECDHE:ECDHE", "+ECDHE:ECDHE",
                "ECDHE:!kECDHE+aRSA", "ECDHE:-aRSA+AESGCM:aRSA", "ECDHE-RSA-AES128-GCM-SHA256+AES256",
                "ECDHE-RSA-AES128-GCM-SHA256+aRSA", "NOPE:ECDHE-RSA-CHACHA20-POLY1305", "NOPE+ECDHE:AES256"));
        for (String t : TLS13) {
            c.add(t);
            c.add(t + ":ECDHE-RSA-AES256-GCM-SHA384");
            c.add("HIGH:" + t + ":!AES128");
        }
        c.addAll(List.of("TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE+AESGCM",
                "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE:@SECLEVEL=4",
                "TLS_AES_128_GCM_SHA256:@SECLEVEL=4", "TLS_AES_128_GCM_SHA256:AES128-SHA",
                "ECDHE:@SECLEVEL=4", "TLS_AES_128_GCM_SHA256:DHE-RSA-AES256-GCM-SHA384"));
        // random compositions: a fixed generator, so a failure is reproducible
        Random r = new Random(19);
        String[] ops = {"", "", "!", "-", "+"};
        for (int i = 0; i < 80; i++) {
            List<String> parts = new ArrayList<>();
            int n = 1 + r.nextInt(5);
            for (int j = 0; j < n; j++) {
                String w = WORDS.get(r.nextInt(WORDS.size()));
                if (r.nextInt(4) == 0) {
                    w = w + "+" + WORDS.get(r.nextInt(WORDS.size()));
                }
                parts.add(ops[r.nextInt(ops.length)] + w);
            }
            if (r.nextInt(5) == 0) {
                parts.add(r.nextInt(parts.size() + 1), "@STRENGTH");
            }
            if (r.nextInt(6) == 0) {
                parts.add(TLS13.get(r.nextInt(TLS13.size())));
            }
            if (r.nextInt(8) == 0) {
                parts.addFirst("DEFAULT");
            }
            c.add(String.join(":", parts));
        }
        return List.copyOf(c);
    }

    /** openssl's answer: the suites it lists (lines of -V, OpenSSL names, with their descriptions), or its error. */
    private record OpenSsl(List<String> names, List<String> lines, String error) {
    }

    private static OpenSsl openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "ciphers"));
        cmd.addAll(List.of(args).subList(0, args.length - 1));
        cmd.add("--"); // the list may start with '-'
        cmd.add(args[args.length - 1]);
        Tool t = Tool.run(WAIT, dir, cmd.toArray(String[]::new));
        if (t.exitCode() != 0) {
            String e = t.stderr();
            return new OpenSsl(null, null, e.contains("invalid command") ? "ERR_SSL_INVALID_COMMAND"
                    : e.contains("no cipher match") ? "ERR_SSL_NO_CIPHER_MATCH" : e);
        }
        List<String> names = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String line : t.stdout().split("\n")) {
            String[] f = line.strip().split(" +");
            if (f.length >= 4) {
                names.add(f[2]);
                lines.add(line.strip());
            }
        }
        return new OpenSsl(names, lines, null);
    }

    private static String outcome(ThrowingList f) {
        try {
            return String.valueOf(f.get());
        } catch (TlsException e) {
            return e.code();
        }
    }

    private interface ThrowingList {
        List<String> get() throws TlsException;
    }

    @Test
    void theWholeListIsOpenSslsForEveryString() {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String s : corpus()) {
            String list = String.join(":", java.util.Arrays.stream(s.split(":", -1))
                    .filter(e -> !e.startsWith("TLS_")).toList());
            if (list.isEmpty()) {
                continue;
            }
            OpenSsl o = openssl("-V", list);
            String expected = o.error != null ? o.error : String.valueOf(o.lines.stream()
                    .filter(l -> !l.contains("TLSv1.3")).map(l -> l.split(" +")[2]).toList());
            String weft = outcome(() -> OpenSslCipherList.evaluate(list).suites().stream()
                    .map(OpenSslCipherList.Suite::name).toList());
            compared++;
            if (!expected.equals(weft)) {
                differences.add("'" + list + "'\n  openssl " + expected + "\n  weft    " + weft);
            }
        }
        System.out.println("CipherStringIT: " + compared + " cipher lists compared with openssl ciphers -V");
        assertTrue(compared >= 100, "corpus too small: " + compared);
        assertEquals("", String.join("\n", differences));
    }

    /** weft's policy, decided from openssl's own description of a suite (a line of {@code openssl ciphers -V}). */
    private static boolean weftOffers(String line) {
        if (line.contains("TLSv1.3")) {
            return line.contains("Enc=AESGCM") || line.contains("Enc=CHACHA20");
        }
        return line.contains("Kx=ECDH ") && (line.contains("Au=RSA ") || line.contains("Au=ECDSA "))
                && line.contains("Mac=AEAD") && (line.contains("Enc=AESGCM") || line.contains("Enc=CHACHA20"));
    }

    @Test
    void weftsSelectionIsOpenSslsWithinWeftsPolicy() {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String s : corpus()) {
            // Node 24's split: ':'-separated entries starting with TLS_ go to ciphersuites, the rest to the list
            List<String> entries = java.util.Arrays.stream(s.split(":", -1)).filter(e -> !e.isEmpty()).toList();
            String tls13 = String.join(":", entries.stream().filter(e -> e.startsWith("TLS_")).toList());
            String list = String.join(":", entries.stream().filter(e -> !e.startsWith("TLS_")).toList());
            String expected;
            OpenSsl o13 = tls13.isEmpty() ? openssl("-s", "-V", "-tls1_3", list.isEmpty() ? "ALL" : list)
                    : openssl("-s", "-V", "-tls1_3", "-ciphersuites", tls13, list.isEmpty() ? "ALL" : list);
            OpenSsl o12 = list.isEmpty() ? new OpenSsl(List.of(), List.of(), null)
                    : openssl("-s", "-V", "-tls1_2", list);
            if (o13.error != null && (o12.error == null || !tls13.isEmpty())) {
                expected = o13.error;
            } else if (o12.error != null) {
                expected = o12.error;
            } else {
                List<String> chosen = new ArrayList<>();
                o13.lines.stream().filter(l -> l.contains("TLSv1.3") && weftOffers(l)).forEach(l -> chosen.add(
                        l.split(" +")[2]));
                List<String> chosen12 = o12.lines.stream().filter(l -> !l.contains("TLSv1.3") && weftOffers(l))
                        .map(l -> l.split(" +")[2]).toList();
                chosen.addAll(chosen12);
                // weft's own refusals: nothing of weft's; TLS 1.2 suites asked for, none weft's, no TLS 1.3 named
                boolean refused = chosen.isEmpty() || (!list.isEmpty() && chosen12.isEmpty() && tls13.isEmpty());
                expected = refused ? "ERR_SSL_NO_CIPHER_MATCH" : chosen.toString();
            }
            for (String form : forms(s)) {
                String weft = outcome(() -> CipherNames.select(form).stream().map(CipherNames::openssl).toList());
                compared++;
                if (!expected.equals(weft)) {
                    differences.add("'" + form + "'\n  openssl " + expected + "\n  weft    " + weft);
                }
            }
        }
        System.out.println("CipherStringIT: " + compared + " cipher strings compared with openssl ciphers -s");
        assertTrue(compared >= 100, "corpus too small: " + compared);
        assertEquals("", String.join("\n", differences));
    }

    /** The string, and the same string with each TLS 1.2 suite named by its standard name where that differs. */
    private static List<String> forms(String s) {
        List<String> out = new ArrayList<>(List.of(s));
        List<String> entries = new ArrayList<>();
        boolean changed = false;
        for (String e : s.split(":", -1)) {
            OpenSslCipherList.Suite suite = OpenSslCipherList.byName(e);
            entries.add(suite == null ? e : suite.standardName());
            changed |= suite != null;
        }
        if (changed) {
            out.add(String.join(":", entries));
        }
        return out;
    }

    /** Strings for the handshake check; the server's certificate is ECDSA, so the ECDSA suites are the ones to try. */
    private static final List<String> HANDSHAKE_STRINGS = List.of("ECDHE+AES256", "HIGH:!CHACHA20", "ECDHE:@STRENGTH",
            "DEFAULT:-AESGCM:+AES128", "ECDHE+aECDSA+AES128:CHACHA20", "CHACHA20:AES128:AES256", "ECDHE:+AESGCM",
            "TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_CHACHA20_POLY1305_SHA256:ECDHE:!AES128",
            "AES256:@SECLEVEL=4");
    private static final List<String> ECDSA_SUITES = List.of("ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES256-GCM-SHA384");
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_256_GCM_SHA384");
    private static final Pattern CIPHER = Pattern.compile("Cipher is (\\S+)");

    /** The suite {@code openssl s_client} negotiated, or "(NONE)". */
    private static String negotiated(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        cmd.addAll(List.of(args));
        Tool c = Tool.run(WAIT, dir, cmd.toArray(String[]::new));
        Matcher m = CIPHER.matcher(c.stdout());
        return m.find() ? m.group(1) : "(NONE)";
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void theProviderGetsTheSelectionInItsOrder(JsseProvider provider) throws Exception {
        List<String> wrong = new ArrayList<>();
        int handshakes = 0;
        for (String s : HANDSHAKE_STRINGS) {
            List<String> selected = CipherNames.select(s).stream().map(CipherNames::openssl).toList();
            try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(provider).ciphers(s),
                    EchoServers.ECHO)) {
                int port = server.address().getPort();
                for (String suite : ECDSA_SUITES) {
                    String got = negotiated(port, "-tls1_2", "-cipher", suite);
                    handshakes++;
                    String expected = selected.contains(suite) ? suite : "(NONE)";
                    if (!got.equals(expected)) {
                        wrong.add(s + ": a client offering only " + suite + " got " + got + ", expected " + expected);
                    }
                }
                List<String> reversed = new ArrayList<>(ECDSA_SUITES);
                java.util.Collections.reverse(reversed);
                reversed.sort(java.util.Comparator.comparingInt(x -> -selected.indexOf(x)));
                String first = selected.stream().filter(ECDSA_SUITES::contains).findFirst().orElse("(NONE)");
                String got = negotiated(port, "-tls1_2", "-cipher", String.join(":", reversed));
                handshakes++;
                if (!got.equals(first)) {
                    wrong.add(s + ": a client offering " + reversed + " got " + got + ", expected " + first);
                }
                for (String suite : TLS13_SUITES) {
                    got = negotiated(port, "-tls1_3", "-ciphersuites", suite);
                    handshakes++;
                    // BoringSSL cannot restrict its TLS 1.3 suites: Conscrypt accepts all three (ConscryptSupport)
                    boolean accepted = selected.contains(suite) || provider == JsseProvider.CONSCRYPT;
                    String expected = accepted ? suite : "(NONE)";
                    if (!got.equals(expected)) {
                        wrong.add(s + ": a TLS 1.3 client offering only " + suite + " got " + got + ", expected "
                                + expected);
                    }
                }
            }
        }
        System.out.println("CipherStringIT: " + provider.cliName() + ": " + handshakes + " handshakes");
        assertEquals("", String.join("\n", wrong));
    }
}
