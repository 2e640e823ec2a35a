package dev.weft.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the conformance {@link Matrix} (all of it, or the part {@code -Dconformance.provider}, {@code .peer} and
 * {@code .case} select), prints the table, writes the report ({@code -Dconformance.report}, default
 * {@code target/conformance/REPORT.md}) and fails on any unexpected result.
 */
class ConformanceIT {
    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void matrix(@TempDir Path dir) throws Exception {
        Matrix matrix = new Matrix(dir);
        expectedDifferences(matrix);
        Predicate<Matrix.Cell> filter = selected("conformance.provider", c -> c.provider().cliName())
                .and(selected("conformance.peer", Matrix.Cell::peer))
                .and(selected("conformance.case", Matrix.Cell::kase));
        List<Matrix.Result> results = matrix.run(filter, r -> System.out.printf(Locale.ROOT, "%-16s %-60s %5d ms %s%n",
                r.outcome(), r.cell().id(), r.millis(), r.detail()));
        String report = Matrix.report(results, toolVersions());
        Path out = Path.of(System.getProperty("conformance.report",
                Path.of(System.getProperty("weft.project.dir", "."), "target", "conformance", "REPORT.md").toString()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertTrue(!results.isEmpty(), "no cell selected");
        List<Matrix.Result> bad = results.stream().filter(r -> r.outcome() == Matrix.Outcome.FAIL
                || r.outcome() == Matrix.Outcome.UNEXPECTED_PASS).toList();
        assertTrue(bad.isEmpty(), () -> bad.size() + " unexpected results (report: " + out + "):\n"
                + String.join("\n", bad.stream().map(r -> r.outcome() + " " + r.cell().id() + ": " + r.detail())
                        .toList()));
    }

    /** What a provider or peer cannot do, each with its reason. */
    static void expectedDifferences(Matrix m) {
        m.expect(c -> c.kase().equals("alpn-no-overlap") && c.provider() == dev.weft.tls.JsseProvider.CONSCRYPT,
                "a Conscrypt server leaves ALPN out instead of sending no_application_protocol (BoringSSL's "
                        + "NOACK; README)");
        m.expect(c -> c.kase().equals("ed25519") && c.provider() != dev.weft.tls.JsseProvider.SUN, "Ed25519 keys "
                + "serve on SunJSSE only: Bouncy Castle and Conscrypt refuse them when the context is made "
                + "(ERR_WEFT_KEY_TYPE_UNSUPPORTED; README)");
        m.expect(c -> c.provider() == dev.weft.tls.JsseProvider.BC && c.kase().equals("resumption")
                && c.version().equals("TLSv1.3"), "Bouncy Castle JSSE 1.84 sends no TLS 1.3 session ticket, so a "
                + "TLS 1.3 session cannot be resumed (README, Sessions)");
    }

    private static Predicate<Matrix.Cell> selected(String property, java.util.function.Function<Matrix.Cell, String> f) {
        String want = System.getProperty(property, "");
        if (want.isBlank()) {
            return c -> true;
        }
        List<String> any = List.of(want.toLowerCase(Locale.ROOT).split(","));
        return c -> any.stream().anyMatch(w -> f.apply(c).toLowerCase(Locale.ROOT).startsWith(w.trim()));
    }

    private static Map<String, String> toolVersions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        v.put("openssl", firstLine("openssl", "version"));
        v.put("gnutls", firstLine("gnutls-cli", "--version"));
        v.put("node", firstLine("node", "--version") + " (" + firstLine("node", "-p", "process.versions.openssl")
                + ")");
        v.put("python", firstLine("python3", "-c", "import ssl, sys; print(sys.version.split()[0], ssl.OPENSSL_VERSION)"));
        v.put("curl", firstLine("curl", "--version"));
        for (dev.weft.tls.JsseProvider p : dev.weft.tls.JsseProvider.values()) {
            v.put("weft provider " + p.cliName(), providerVersion(p));
        }
        return v;
    }

    private static String providerVersion(dev.weft.tls.JsseProvider p) {
        try {
            return dev.weft.tls.internal.provider.ProviderSupport.of(p).version();
        } catch (dev.weft.tls.TlsException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    private static String firstLine(String... cmd) {
        Tool t = Tool.run(Duration.ofSeconds(30), null, cmd);
        return t.stdout().lines().findFirst().orElse("?").strip();
    }
}
