package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.Tool;
import dev.weft.tls.ClientOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code weft serve} stopped as an operator stops it, with real signals, on every provider: SIGTERM lets open
 * connections finish (every byte of a transfer under way, a real openssl client's line) and refuses new ones, and
 * the process exits 0 with one INFO line; the grace period closes the rest with close_notify; a second signal cuts
 * at once.
 */
class ServeDrainIT {
    private static final Pattern BOUND = Pattern.compile("server bound 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HeldCertificate ROOT = Certs.ca("Drain Test Root").build();
    private static final HeldCertificate SERVER = Certs.server("localhost", "127.0.0.1").signedBy(ROOT).build();

    @TempDir
    Path dir;

    private Tool serve(JsseProvider provider, String drainTimeout) throws Exception {
        Files.writeString(dir.resolve("key.pem"), SERVER.privateKeyPem());
        Files.writeString(dir.resolve("cert.pem"), SERVER.chainPem());
        Files.writeString(dir.resolve("ca.pem"), ROOT.certificatePem());
        Tool serve = Tool.start(dir, Tool.weftCli("serve", "--port", "0", "--provider", provider.cliName(),
                "--mode", "echo", "--key", "key.pem", "--cert", "cert.pem", "--drain-timeout", drainTimeout)
                .toArray(String[]::new));
        serve.awaitStdout("server bound", WAIT);
        return serve;
    }

    private static int port(Tool serve) {
        Matcher m = BOUND.matcher(serve.stdout());
        assertTrue(m.find(), serve.stdout());
        return Integer.parseInt(m.group(1));
    }

    private static TlsSocket connect(int port, JsseProvider provider) throws TlsException {
        return Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(provider)
                .ca(ROOT.certificatePem()).build());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void sigtermLetsOpenConnectionsFinishAndRefusesNewOnes(JsseProvider provider) throws Exception {
        try (Tool serve = serve(provider, "30s")) {
            int port = port(serve);
            byte[] payload = new byte[4 << 20];
            new Random(7).nextBytes(payload);
            try (TlsSocket transfer = connect(port, provider);
                    Tool openssl = Tool.start(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile",
                            "ca.pem", "-verify_return_error", "-brief", "-servername", "localhost")) {
                openssl.write("before\n").awaitStdout("before\n", WAIT);
                InputStream in = transfer.getInputStream();
                OutputStream out = transfer.getOutputStream();
                CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
                    try {
                        return in.readNBytes(payload.length);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                out.write(payload, 0, payload.length / 4);
                out.flush();

                serve.signal("TERM"); // in the middle of the transfer

                TlsException refused = assertThrows(TlsException.class, () -> {
                    // the listener closes at once; until then a connection may still be served
                    for (int i = 0; i < 100; i++) {
                        connect(port, provider).close();
                        Thread.sleep(50);
                    }
                });
                assertEquals("ECONNREFUSED", refused.code(), refused::getMessage);
                out.write(payload, payload.length / 4, payload.length - payload.length / 4);
                out.flush();
                assertArrayEquals(payload, echoed.get(60, java.util.concurrent.TimeUnit.SECONDS),
                        "every byte of the transfer under way comes back");
                openssl.write("after\n").awaitStdout("after\n", WAIT); // the real peer is served on too
                assertTrue(serve.isAlive(), "open connections keep the server up");
                transfer.end();
                openssl.closeStdin();
                assertEquals(0, openssl.await(WAIT), openssl.stderr());
            }
            assertEquals(0, serve.await(WAIT), serve.stderr());
            assertTrue(serve.stderr().matches("(?s).*INFO shut down .*: \\d+ connections open, \\d+ drained, 0 cut.*"),
                    serve.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void theGracePeriodClosesTheRestWithCloseNotify(JsseProvider provider) throws Exception {
        try (Tool serve = serve(provider, "1s")) {
            try (TlsSocket idle = connect(port(serve), provider)) {
                idle.write("ping");
                assertEquals("ping", new String(idle.getInputStream().readNBytes(4)));
                serve.signal("TERM");
                assertEquals(-1, idle.getInputStream().read(), "the server closes the idle connection");
                assertFalse(idle.truncated(), "closed with close_notify, not truncated");
            }
            assertEquals(0, serve.await(WAIT), serve.stderr());
            assertTrue(serve.stderr().contains("1 connections open, 0 drained, 1 cut"), serve.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aSecondSignalCutsAtOnce(JsseProvider provider) throws Exception {
        try (Tool serve = serve(provider, "10m")) {
            try (TlsSocket idle = connect(port(serve), provider)) {
                idle.write("ping");
                assertEquals("ping", new String(idle.getInputStream().readNBytes(4)));
                serve.signal("INT");
                org.awaitility.Awaitility.await().atMost(WAIT)
                        .until(() -> serve.stderr().contains("stopped accepting"));
                assertTrue(serve.isAlive(), "draining: the open connection has ten minutes");
                serve.signal("TERM");
                assertEquals(-1, idle.getInputStream().read(), "the second signal closes it");
            }
            assertEquals(0, serve.await(WAIT), serve.stderr());
            assertTrue(serve.stderr().contains("1 connections open, 0 drained, 1 cut"), serve.stderr());
        }
    }
}
