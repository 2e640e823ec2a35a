package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Tool;
import dev.weft.tls.JsseProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The samples compile and run as documented: the echo server and client of Node's v0.6 documentation talk to each other; openssl's and
 * weft's STARTTLS clients complete SMTP STARTTLS against StartTlsServer on every provider; MicrometerMetrics
 * counts its connections in a Micrometer registry on every provider.
 */
class SamplesIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    static String[] sample(String name, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path source = Path.of(System.getProperty("weft.project.dir", "."), "samples", name + ".java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), source.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    @Test
    void echoClientTalksToEchoServer(@TempDir Path dir) {
        try (Tool server = Tool.start(dir, sample("EchoServer", "--port", "0"))) {
            server.awaitStdout("server bound", WAIT).awaitStdout("listening on port", WAIT);
            Matcher m = Pattern.compile("listening on port (\\d+)").matcher(server.stdout());
            assertTrue(m.find());
            try (Tool client = Tool.start(dir, sample("EchoClient", "--port", m.group(1)))) {
                client.write("hello from the sample\n");
                client.awaitStdout("hello from the sample", WAIT);
                client.closeStdin();
                assertEquals(0, client.await(WAIT), client.stderr());
                assertTrue(client.stdout().startsWith("client connected authorized\nwelcome!\n"), client.stdout());
            }
            server.awaitStdout("server connected unauthorized", WAIT);
        }
    }

    private static final Pattern PORT = Pattern.compile("listening on port (\\d+)");
    private static final Pattern CERT = Pattern.compile("certificate written to (\\S+)");

    /** StartTlsServer on {@code provider} (chosen by WEFT_PROVIDER, as documented), once it listens. */
    static Tool startTlsServer(Path dir, JsseProvider provider) {
        Tool server = Tool.start(dir, Map.of(JsseProvider.ENVIRONMENT_VARIABLE, provider.cliName()),
                sample("StartTlsServer", "--port", "0"));
        server.awaitStdout("listening on port", WAIT);
        assertTrue(server.stdout().contains("provider " + provider.cliName() + "\n"), server.stdout());
        return server;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void opensslStartTlsSmtpCompletesAgainstStartTlsServer(JsseProvider provider, @TempDir Path dir) {
        try (Tool server = startTlsServer(dir, provider)) {
            Matcher port = PORT.matcher(server.stdout());
            Matcher cert = CERT.matcher(server.stdout());
            assertTrue(port.find() && cert.find(), server.stdout());
            try (Tool client = Tool.start(dir, "openssl", "s_client", "-starttls", "smtp", "-connect",
                    "127.0.0.1:" + port.group(1), "-CAfile", cert.group(1), "-verify_return_error",
                    "-verify_hostname", "localhost", "-quiet")) {
                server.awaitStdout("server upgraded TLSv1.3", WAIT);
                client.write("hello over starttls\n");
                client.awaitStdout("hello over starttls", WAIT);
                assertTrue(client.stderr().contains("verify return:1"), client.stderr());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void weftConnectStartTlsSmtpTalksToStartTlsServer(JsseProvider provider, @TempDir Path dir) {
        try (Tool server = startTlsServer(dir, provider)) {
            Matcher port = PORT.matcher(server.stdout());
            Matcher cert = CERT.matcher(server.stdout());
            assertTrue(port.find() && cert.find(), server.stdout());
            try (Tool client = Tool.start(dir, Tool.weftCli("connect", "--starttls", "smtp", "--provider",
                    provider.cliName(), "--ca", cert.group(1), "localhost:" + port.group(1)).toArray(String[]::new))) {
                client.write("hello from weft connect\n");
                client.awaitStdout("hello from weft connect", WAIT);
                assertTrue(client.stderr().contains("client connected authorized"), client.stderr());
                client.closeStdin();
                assertEquals(0, client.await(WAIT), client.stderr());
            }
            server.awaitStdout("server upgraded TLSv1.3", WAIT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void securePairOverPipeExchangesDataWithNoSocket(JsseProvider provider, @TempDir Path dir) {
        try (Tool sample = Tool.start(dir, Map.of(JsseProvider.ENVIRONMENT_VARIABLE, provider.cliName()),
                sample("SecurePairOverPipe"))) {
            assertEquals(0, sample.await(WAIT), sample.stderr());
            assertEquals("secure TLSv1.3 on " + provider.cliName() + ", client authorized\n"
                    + "server read: hello through the pipe\nclient saw the end: true\n", sample.stdout());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void micrometerMetricsCountsWhatItsConnectionsDid(JsseProvider provider, @TempDir Path dir) {
        // the test class path has micrometer-core (test scope): what ./weft sample needs WEFT_SAMPLE_CLASSPATH for
        try (Tool sample = Tool.start(dir, Map.of(JsseProvider.ENVIRONMENT_VARIABLE, provider.cliName()),
                sample("MicrometerMetrics"))) {
            assertEquals(0, sample.await(WAIT), sample.stderr());
            String out = sample.stdout();
            String p = provider.cliName();
            for (String line : List.of(
                    "untrusted: DEPTH_ZERO_SELF_SIGNED_CERT",
                    "provider " + p,
                    "weft.tls.handshakes code=none,outcome=ok,protocol=TLSv1.3,provider=" + p
                            + ",resumed=false,side=server 2",
                    "weft.tls.handshakes code=none,outcome=ok,protocol=TLSv1.3,provider=" + p
                            + ",resumed=false,side=client 2",
                    "weft.tls.handshakes code=DEPTH_ZERO_SELF_SIGNED_CERT,outcome=failed,protocol=none,provider=" + p
                            + ",resumed=false,side=client 1",
                    "weft.tls.client.errors code=ERR_SSL_HTTP_REQUEST 1",
                    "weft.tls.drops - 1",
                    "weft.tls.connections.open - 0.00")) {
                assertTrue(out.lines().anyMatch(line::equals), "missing '" + line + "' in\n" + out);
            }
            Matcher timer = Pattern.compile("weft\\.tls\\.handshake\\.time outcome=ok,provider=" + p
                    + ",side=server count=2 totalMs=([0-9.]+)").matcher(out);
            assertTrue(timer.find() && Double.parseDouble(timer.group(1)) > 0, out);
            // the server's refusal of the untrusted client's alert is a failed server handshake too
            assertTrue(out.lines().anyMatch(l -> l.startsWith("weft.tls.handshakes code=")
                    && l.contains(",outcome=failed,") && l.endsWith(",side=server 1")), out);
            Matcher days = Pattern.compile("weft\\.tls\\.certificate\\.days\\.to\\.expiry serial=[0-9a-f]+,"
                    + "subject=CN=localhost ([0-9.]+)").matcher(out);
            assertTrue(days.find(), out);
            double d = Double.parseDouble(days.group(1));
            assertTrue(d > 89.9 && d <= 90.0, "a certificate valid for 90 days: " + d);
        }
    }

    @Test
    void weftSampleRefusesMicrometerMetricsWithoutMicrometer(@TempDir Path dir) {
        Path launcher = Path.of(System.getProperty("weft.project.dir", "."), "weft").toAbsolutePath();
        try (Tool run = Tool.start(dir, Map.of("WEFT_SAMPLE_CLASSPATH", ""), "bash", launcher.toString(), "sample",
                "MicrometerMetrics")) {
            assertEquals(1, run.await(WAIT), run.stderr());
            assertEquals(1, run.stderr().lines().count(), run.stderr());
            assertTrue(run.stderr().startsWith("weft: sample MicrometerMetrics needs io.micrometer:micrometer-core"),
                    run.stderr());
            assertTrue(run.stderr().contains("WEFT_SAMPLE_CLASSPATH"), run.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void mutualTlsServerServesTwoNamesCountsAndRecords(JsseProvider provider, @TempDir Path dir) {
        try (Tool run = Tool.start(dir, Map.of(JsseProvider.ENVIRONMENT_VARIABLE, provider.cliName()),
                sample("MutualTlsServer"))) {
            assertEquals(0, run.await(WAIT), run.stdout() + run.stderr());
            String out = run.stdout();
            assertTrue(out.contains("server " + provider.cliName() + " listening"), out);
            assertTrue(out.contains("api.localhost: hello api.localhost (server authorized: true)"), out);
            assertTrue(out.contains("admin.localhost: hello admin.localhost (server authorized: true)"), out);
            assertTrue(out.contains("without a certificate: refused"), out);
            assertTrue(out.contains("metrics: 2 handshakes completed, 1 failed"), out);
            Matcher jfr = Pattern.compile("JFR: (\\d+) dev.weft.Handshake events").matcher(out);
            assertTrue(jfr.find() && Integer.parseInt(jfr.group(1)) >= 5, out); // 2 + 2 completed, 1+ failed
        }
    }
}
