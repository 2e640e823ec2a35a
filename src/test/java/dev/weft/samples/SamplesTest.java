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
 * The samples compile and run as documented: the seed's echo server and client talk to each other; openssl's and
 * weft's STARTTLS clients complete SMTP STARTTLS against StartTlsServer on every provider.
 */
class SamplesTest {
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
}
