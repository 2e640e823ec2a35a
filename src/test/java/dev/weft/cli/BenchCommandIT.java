package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import dev.weft.tls.ClientOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code weft bench} run in process against a weft echo server on each provider (every mode, one second each),
 * against {@code openssl s_server -rev}, against a closed port, and with bad options. The rate mode's own tests are
 * in {@link BenchRateModeIT}.
 */
class BenchCommandIT {
    record Run(int code, String out, String err) {
        /** The number at {@code "key":} in the JSON output. */
        double number(String key) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9.]+)").matcher(out);
            assertTrue(m.find(), () -> key + " missing in " + out + err);
            return Double.parseDouble(m.group(1));
        }

        String text(String key) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":\"([^\"]*)\"").matcher(out);
            assertTrue(m.find(), () -> key + " missing in " + out + err);
            return m.group(1);
        }
    }

    static Run bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** A JSON run that must succeed without failures; its object is one line starting with { and ending with }. */
    static Run json(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", "--duration", "1s"));
        if (!all.contains("--warmup")) {
            all.addAll(List.of("--warmup", "0s"));
        }
        Run r = bench(all.toArray(String[]::new));
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
        String line = r.out().strip();
        assertTrue(line.startsWith("{") && line.endsWith("}") && !line.contains("\n"), line);
        assertEquals(0, r.number("failures"), line);
        assertTrue(!line.contains("first_error"), line);
        return r;
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void everyModeAgainstAWeftEchoServer(JsseProvider provider, @TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, TestCerts.ROOT.certificatePem());
        try (TlsServer server = EchoServers.start(provider)) {
            String port = String.valueOf(server.address().getPort());
            String p = provider.cliName();
            warm(provider, server.address().getPort()); // class loading and JIT: Bouncy Castle's first handshake is slow

            Run table = bench("--mode", "handshake", "--port", port, "--provider", p, "--ca", ca.toString(),
                    "--workers", "2", "--duration", "1s", "--warmup", "0s");
            assertEquals(0, table.code(), table.out() + table.err());
            String[] lines = table.out().split("\n");
            assertTrue(lines[0].matches("provider\\s+mode\\s+workers\\s+handshakes/s\\s+p50 us\\s+p99 us\\s+failures"
                    + "\\s+first error"), table.out());
            assertTrue(lines[1].matches(p + "\\s+handshake\\s+2\\s+[1-9][0-9]*\\s+\\d+\\s+\\d+\\s+0\\s+-"), table.out());
            assertTrue(lines[2].matches("negotiated TLS_\\w+ TLSv1\\.3; server key EC"), table.out());

            Run hs = json("--mode", "handshake", "--port", port, "--provider", p, "--insecure", "--workers", "2");
            assertEquals(p, hs.text("provider"));
            assertEquals("handshake", hs.text("mode"));
            assertTrue(hs.number("handshakes_per_s") > 0, hs.out());
            assertTrue(hs.number("full") > 0, hs.out());
            assertEquals(0, hs.number("resumed"), "handshake mode makes full handshakes only: " + hs.out());
            assertTrue(hs.number("p50_us") > 0 && hs.number("p99_us") >= hs.number("p50_us"), hs.out());

            // SunJSSE and Conscrypt resume TLS 1.3 and 1.2; Bouncy Castle TLS 1.2 only (SessionResumptionIT)
            List<String> resume = new ArrayList<>(List.of("--mode", "resume", "--port", port, "--provider", p,
                    "--insecure", "--workers", "2"));
            if (provider == JsseProvider.BC) {
                resume.addAll(List.of("--tls", "1.2"));
            }
            Run rs = json(resume.toArray(String[]::new));
            assertTrue(rs.number("handshakes_per_s") > 0, rs.out());
            assertTrue(rs.number("resumed_pct") > 0 && rs.number("resumed_per_s") > 0, rs.out());
            assertTrue(rs.out().contains(provider != JsseProvider.BC ? " TLSv1.3\"]" : " TLSv1.2\"]"), rs.out());
            assertTrue(rs.number("resume_ratio") > 0 && rs.number("resume_ratio") <= 1, rs.out());

            // the first echoed bytes of a cold connection can take most of a second on a loaded machine (Bouncy
            // Castle's ChaCha20 before the JIT): a short warm-up keeps "echoed > 0" about the bench, not the JIT
            Run tp = json("--mode", "throughput", "--port", port, "--provider", p, "--insecure", "--conns", "2",
                    "--warmup", "1s");
            assertTrue(tp.number("rx_MBps") > 0 && tp.number("tx_MBps") > 0, tp.out());
            assertEquals(2, tp.number("conns"), tp.out());

            Run lat = json("--mode", "latency", "--port", port, "--provider", p, "--insecure", "--conns", "2");
            assertTrue(lat.number("rtt_per_s") > 0 && lat.number("samples") > 0, lat.out());
            assertTrue(lat.number("p50_us") > 0 && lat.number("p999_us") >= lat.number("p99_us")
                    && lat.number("p99_us") >= lat.number("p50_us"), lat.out());

            // the open loop: 100 requests/s on 2 connections, so exactly 100 due in the 1 s window
            Run rate = json("--mode", "rate", "--port", port, "--provider", p, "--insecure", "--conns", "2",
                    "--rate", "100");
            assertEquals(100, rate.number("scheduled"), rate.out());
            assertEquals(rate.number("ok"), rate.number("samples"), rate.out());
            assertEquals(rate.number("scheduled"), rate.number("ok") + rate.number("unsent"), rate.out());
            assertTrue(rate.number("ok") > 0 && rate.number("rtt_per_s") > 0, rate.out());
            assertTrue(rate.number("max_us") >= rate.number("p999_us") && rate.number("p99_us")
                    >= rate.number("p50_us") && rate.number("p50_us") > 0, rate.out());

            Run hold = json("--mode", "hold", "--port", port, "--provider", p, "--insecure", "--count", "20",
                    "--dial-par", "4", "--hold-for", "500ms");
            assertEquals(20, hold.number("held"), hold.out());
            assertEquals(hold.number("sampled"), hold.number("sampled_alive"), hold.out());
        }
    }

    private static void warm(JsseProvider provider, int port) throws Exception {
        try (TlsSocket s = Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(provider)
                .ca(TestCerts.ROOT.certificatePem()).build())) {
            assertEquals("warm\n", EchoServers.roundTrip(s, "warm\n"));
        }
    }

    @Test
    void handshakesWithOpensslServer(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        int port = Tool.freePort();
        // -rev reverses each line: the bench's message is a palindrome ending in a newline, as the Go harness's
        try (Tool server = Tool.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", "cert.pem",
                "-key", "key.pem", "-rev")) {
            server.awaitStdout("ACCEPT", Duration.ofSeconds(30));
            Run r = json("--mode", "handshake", "--port", String.valueOf(port), "--ca",
                    dir.resolve("ca.pem").toString(), "--workers", "2");
            assertTrue(r.number("handshakes_per_s") > 0, r.out());
            assertEquals(0, r.number("resumed"), r.out());
            assertEquals("EC", r.text("server_key"), r.out());
        }
    }

    @Test
    void aClosedPortFailsPromptlyWithEconnrefused() throws Exception {
        int port = Tool.freePort();
        long t0 = System.nanoTime();
        Run r = bench("--mode", "handshake", "--port", String.valueOf(port), "--insecure"); // 2 s warm-up, 10 s window
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(took < 5000, "gave up after " + took + " ms, not at once");
        assertTrue(r.out().contains("ECONNREFUSED"), r.out());
        assertTrue(r.err().contains("no operation succeeded; first error ECONNREFUSED"), r.err());

        Run json = bench("--mode", "latency", "--port", String.valueOf(port), "--insecure", "--json");
        assertEquals(1, json.code(), json.out() + json.err());
        assertEquals("ECONNREFUSED", json.text("first_error"), json.out());
        assertTrue(json.number("failures") >= 1, json.out());
        assertTrue(json.number("ECONNREFUSED") >= 1, "error_kinds: " + json.out());
    }

    @Test
    void anUnknownIssuerWithoutCaOrInsecureFailsWithTheCertificateCode() throws Exception {
        try (TlsServer server = EchoServers.start(JsseProvider.SUN)) {
            Run r = bench("--mode", "handshake", "--port", String.valueOf(server.address().getPort()),
                    "--workers", "2", "--json");
            assertEquals(1, r.code(), r.out() + r.err());
            // the test server sends its leaf only, whose issuer is not among the JDK's roots
            assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", r.text("first_error"), r.out());
            assertTrue(r.err().contains("--ca FILE, or --insecure"), r.err());
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run mode = bench("--mode", "nope", "--port", "8443");
        assertEquals(2, mode.code());
        assertTrue(mode.err().contains("--mode"), mode.err());
        Run port = bench("--mode", "handshake");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("--port"), port.err());
        assertEquals(2, bench("--port", "8443", "--tls", "1.1").code());
        assertEquals(2, bench("--port", "8443", "--tls", "1.3", "--max-version", "TLSv1.2").code());
        assertEquals(2, bench("--port", "8443", "--insecure", "--ca", "x.pem").code());
        assertEquals(2, bench("--port", "8443", "--workers", "0").code());
        Run noRate = bench("--mode", "rate", "--port", "8443");
        assertEquals(2, noRate.code());
        assertTrue(noRate.err().contains("--mode rate needs --rate"), noRate.err());
        assertEquals(2, bench("--mode", "rate", "--port", "8443", "--rate", "0").code());
        assertEquals(2, bench("--mode", "latency", "--port", "8443", "--rate", "100").code());
        Run help = bench("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Examples:") && help.out().contains("--mode"), help.out());
        assertTrue(help.out().contains("  rate        open loop") && help.out().contains("--rate=N")
                && help.out().contains("./weft bench --mode rate "), help.out());
        assertTrue(!help.err().contains("WARN"), help.err());
    }
}
