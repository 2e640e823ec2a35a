package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SecurePair (Node scenario 44): TLS over streams, against itself and against openssl, on every provider. */
class SecurePairIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static SecureContext serverContext() throws TlsException {
        return Tls.createSecureContext(ContextOptions.builder().key(TestCerts.SERVER.privateKeyPem())
                .cert(TestCerts.SERVER.chainPem()).ca(TestCerts.ROOT.certificatePem()).build());
    }

    static SecureContext clientContext() throws TlsException {
        return Tls.createSecureContext(ContextOptions.builder().ca(TestCerts.ROOT.certificatePem()).build());
    }

    /** Copies {@code from} to {@code to} on a virtual thread, {@code chunk} bytes at a time, closing {@code to}. */
    static Thread pump(InputStream from, OutputStream to, int chunk) {
        return Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[chunk];
            try {
                for (int n; (n = from.read(buf)) > 0; ) {
                    to.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // one side failed; the test looks at the pair
            } finally {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        });
    }

    /** Joins two pairs' encrypted sides, as in-memory pipes. */
    static void join(SecurePair a, SecurePair b, int chunk) {
        pump(a.encrypted().input(), b.encrypted().output(), chunk);
        pump(b.encrypted().input(), a.encrypted().output(), chunk);
    }

    static void write(SecurePair p, String text) throws IOException {
        p.cleartext().output().write(text.getBytes(StandardCharsets.UTF_8));
        p.cleartext().output().flush();
    }

    static String read(SecurePair p, int n) throws IOException {
        byte[] b = p.cleartext().input().readNBytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void twoPairsOverInMemoryPipesBecomeSecureAndExchangeData(JsseProvider provider) throws Exception {
        SecurePair server = Tls.createSecurePair(serverContext(), provider, true, false, false);
        SecurePair client = Tls.createSecurePair(clientContext(), provider, false, false, true);
        // handshake and data in either order: written (not flushed: flush waits for the handshake) before any transport
        client.cleartext().output().write("written before the handshake\n".getBytes(StandardCharsets.UTF_8));
        join(server, client, 16384);
        assertTrue(client.awaitSecure(WAIT));
        assertTrue(server.awaitSecure(WAIT));
        assertTrue(client.authorized(), () -> "" + client.authorizationError());
        assertNull(client.authorizationError());
        assertEquals("localhost", client.peerCertificate().orElseThrow().subject().get("CN").getFirst());
        assertFalse(server.authorized(), "no requestCert");
        assertNull(server.authorizationError());
        assertEquals("TLSv1.3", client.protocol());
        assertEquals("written before the handshake\n", read(server, 29));
        write(server, "hello from the server\n");
        assertEquals("hello from the server\n", read(client, 22));

        client.cleartext().output().close(); // close_notify client -> server
        assertEquals(-1, server.cleartext().input().read());
        server.close();
        assertEquals(-1, client.cleartext().input().read());
        assertEquals(-1, client.encrypted().input().read());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aTransportDeliveringOneByteAtATimeWorks(JsseProvider provider) throws Exception {
        SecurePair server = Tls.createSecurePair(serverContext(), provider, true, false, false);
        SecurePair client = Tls.createSecurePair(clientContext(), provider, false, false, true);
        join(server, client, 1);
        assertTrue(client.awaitSecure(WAIT));
        String text = "one byte at a time ".repeat(200);
        write(client, text);
        assertEquals(text, read(server, text.length()));
        write(server, "ok");
        assertEquals("ok", read(client, 2));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void verifiesTheServerAndAClientCertificateWithNodesCodes(JsseProvider provider) throws Exception {
        SecureContext noCa = Tls.createSecureContext(ContextOptions.builder().build());
        SecurePair server = Tls.createSecurePair(serverContext(), provider, true, false, false);
        SecurePair strict = Tls.createSecurePair(noCa, provider, false, false, true);
        join(server, strict, 16384);
        TlsException e = assertThrows(TlsException.class, () -> strict.awaitSecure(WAIT));
        assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", e.code());

        server = Tls.createSecurePair(serverContext(), provider, true, false, false);
        SecurePair lenient = Tls.createSecurePair(noCa, provider, false, false, false);
        join(server, lenient, 16384);
        assertTrue(lenient.awaitSecure(WAIT));
        assertFalse(lenient.authorized());
        assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", lenient.authorizationError());

        SecureContext withCert = Tls.createSecureContext(ContextOptions.builder()
                .key(TestCerts.CLIENT.privateKeyPem()).cert(TestCerts.CLIENT.chainPem())
                .ca(TestCerts.ROOT.certificatePem()).build());
        SecurePair asking = Tls.createSecurePair(serverContext(), provider, true, true, true);
        SecurePair client = Tls.createSecurePair(withCert, provider, false, false, true);
        join(asking, client, 16384);
        assertTrue(client.awaitSecure(WAIT));
        assertTrue(asking.awaitSecure(WAIT));
        write(client, "x");
        assertEquals("x", read(asking, 1));
        assertTrue(asking.authorized(), () -> "" + asking.authorizationError());
        assertEquals("client1", asking.peerCertificate().orElseThrow().subject().get("CN").getFirst());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aTransportEndingMidRecordFailsWithACodeInsteadOfHanging(JsseProvider provider) throws Exception {
        SecurePair server = Tls.createSecurePair(serverContext(), provider, true, false, false);
        SecurePair client = Tls.createSecurePair(clientContext(), provider, false, false, true);
        AtomicBoolean cut = new AtomicBoolean();
        pump(client.encrypted().input(), server.encrypted().output(), 16384);
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[16384];
            try (OutputStream to = client.encrypted().output()) {
                for (int n; (n = server.encrypted().input().read(buf)) > 0; ) {
                    if (cut.get() && n > 1) {
                        to.write(buf, 0, n / 2);
                        return; // the transport ends half way through a record
                    }
                    to.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // the test looks at the pair
            }
        });
        assertTrue(client.awaitSecure(WAIT));
        assertTrue(server.awaitSecure(WAIT));
        write(server, "first\n");
        assertEquals("first\n", read(client, 6));
        cut.set(true);
        write(server, "x".repeat(1000));
        CompletableFuture<TlsException> failure = CompletableFuture.supplyAsync(() -> {
            try {
                client.cleartext().input().readNBytes(1000);
                return null;
            } catch (TlsException e) {
                return e;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        TlsException e = failure.get(30, TimeUnit.SECONDS);
        assertEquals("ERR_WEFT_TLS_TRUNCATED", e == null ? null : e.code());

        SecurePair early = Tls.createSecurePair(clientContext(), provider, false, false, true);
        early.encrypted().output().close(); // the transport ends before the handshake
        TlsException before = assertThrows(TlsException.class, () -> early.awaitSecure(WAIT));
        assertEquals("ECONNRESET", before.code());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void sixtyFourMebibytesEachWayWithBoundedBuffers(JsseProvider provider) throws Exception {
        SecurePair server = Tls.createSecurePair(serverContext(), provider, true, false, false);
        SecurePair client = Tls.createSecurePair(clientContext(), provider, false, false, true);
        join(server, client, 16384);
        long size = 64L << 20;
        CompletableFuture<Long> toServer = send(client, size, 1);
        CompletableFuture<Long> toClient = send(server, size, 2);
        CompletableFuture<Long> atServer = receive(server, size);
        CompletableFuture<Long> atClient = receive(client, size);
        assertEquals(toServer.get(80, TimeUnit.SECONDS), atServer.get(80, TimeUnit.SECONDS));
        assertEquals(toClient.get(80, TimeUnit.SECONDS), atClient.get(80, TimeUnit.SECONDS));
        // bounded: a writer far ahead of its reader stays blocked, it is not buffered
        SecurePair s2 = Tls.createSecurePair(serverContext(), provider, true, false, false);
        SecurePair c2 = Tls.createSecurePair(clientContext(), provider, false, false, true);
        join(s2, c2, 16384);
        assertTrue(c2.awaitSecure(WAIT));
        CompletableFuture<Long> unread = send(c2, size, 3);
        // 64 MiB written with nobody reading: the writer stays blocked
        org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !unread.isDone());
        c2.destroy();
    }

    /** Writes {@code size} bytes of a pattern; returns their CRC. */
    static CompletableFuture<Long> send(SecurePair p, long size, int seed) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] chunk = new byte[65536];
            java.util.Random r = new java.util.Random(seed);
            CRC32 crc = new CRC32();
            try {
                for (long sent = 0; sent < size; sent += chunk.length) {
                    r.nextBytes(chunk);
                    crc.update(chunk);
                    p.cleartext().output().write(chunk);
                }
                p.cleartext().output().flush();
            } catch (IOException e) {
                return -1L;
            }
            return crc.getValue();
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    }

    /** Reads exactly {@code size} bytes; returns their CRC. */
    static CompletableFuture<Long> receive(SecurePair p, long size) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] buf = new byte[65536];
            CRC32 crc = new CRC32();
            long got = 0;
            try {
                while (got < size) {
                    int n = p.cleartext().input().read(buf, 0, (int) Math.min(buf.length, size - got));
                    if (n < 0) {
                        return -2L;
                    }
                    crc.update(buf, 0, n);
                    got += n;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return crc.getValue();
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aClientPairOverASocketTalksToOpensslServer(JsseProvider provider, @TempDir Path dir) throws Exception {
        try (Reversing server = reversingServer(dir); Socket socket = server.connect()) {
            SecurePair client = Tls.createSecurePair(clientContext(), provider, false, false, true);
            pump(socket.getInputStream(), client.encrypted().output(), 16384);
            pump(client.encrypted().input(), socket.getOutputStream(), 16384);
            assertTrue(client.awaitSecure(WAIT));
            assertTrue(client.authorized());
            write(client, "hello openssl\n");
            assertEquals("lssnepo olleh\n", read(client, 14));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aPairNegotiatesWhatItsContextSays(JsseProvider provider, @TempDir Path dir) throws Exception {
        // openssl offers TLS 1.3 and every suite; the pair's context allows TLS 1.2 and one suite
        try (Reversing server = reversingServer(dir); Socket socket = server.connect()) {
            SecureContext limited = Tls.createSecureContext(ContextOptions.builder()
                    .ca(TestCerts.ROOT.certificatePem()).maxVersion("TLSv1.2")
                    .ciphers("ECDHE-ECDSA-AES256-GCM-SHA384").build());
            SecurePair client = Tls.createSecurePair(limited, provider, false, false, true);
            pump(socket.getInputStream(), client.encrypted().output(), 16384);
            pump(client.encrypted().input(), socket.getOutputStream(), 16384);
            assertTrue(client.awaitSecure(WAIT));
            assertEquals("TLSv1.2", client.protocol());
            write(client, "limited\n");
            assertEquals("detimil\n", read(client, 8));
            // s_server -rev reports the handshake on stderr
            Tool openssl = server.tool();
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> openssl.stderr().contains("Ciphersuite: "));
            assertTrue(openssl.stderr().contains("Ciphersuite: ECDHE-ECDSA-AES256-GCM-SHA384"), openssl.stderr());
            String offered = openssl.stderr().lines().filter(l -> l.startsWith("Client cipher list: ")).findFirst()
                    .orElseThrow();
            assertEquals(java.util.List.of("ECDHE-ECDSA-AES256-GCM-SHA384"), java.util.Arrays.stream(offered
                    .substring("Client cipher list: ".length()).split(":")).filter(c -> !c.endsWith("_SCSV"))
                    .toList(), offered);
        }
    }

    /** {@code openssl s_server -rev} (it answers each line reversed) with the test credentials, one client. */
    static Reversing reversingServer(Path dir) throws IOException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, TestCerts.SERVER.chainPem());
        Files.writeString(key, TestCerts.SERVER.privateKeyPem());
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Tool server = Tool.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", cert.toString(),
                "-key", key.toString(), "-naccept", "1", "-rev");
        server.awaitStdout("ACCEPT", WAIT);
        return new Reversing(server, port);
    }

    /** A running {@code openssl s_server -rev} and its port. */
    record Reversing(Tool tool, int port) implements AutoCloseable {
        Socket connect() throws IOException {
            return new Socket(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public void close() {
            tool.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aServerPairOverASocketServesOpensslClientIncludingAKeyUpdate(JsseProvider provider, @TempDir Path dir)
            throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, TestCerts.ROOT.certificatePem());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<SecurePair> served = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    Socket s = listener.accept();
                    SecurePair pair = Tls.createSecurePair(serverContext(), provider, true, false, false);
                    pump(s.getInputStream(), pair.encrypted().output(), 16384);
                    pump(pair.encrypted().input(), s.getOutputStream(), 16384);
                    served.complete(pair);
                    pair.cleartext().input().transferTo(pair.cleartext().output()); // echo
                    pair.cleartext().output().flush();
                } catch (Exception e) {
                    served.completeExceptionally(e);
                }
            });
            try (Tool client = Tool.start(dir, "openssl", "s_client", "-connect", "127.0.0.1:"
                    + listener.getLocalPort(), "-CAfile", ca.toString(), "-verify_return_error", "-servername",
                    "localhost")) {
                SecurePair pair = served.get(30, TimeUnit.SECONDS);
                assertTrue(pair.awaitSecure(WAIT));
                client.write("hello pair\n");
                client.awaitStdout("hello pair", WAIT);
                client.write("K\n"); // s_client: send a KeyUpdate, asking for one back
                org.awaitility.Awaitility.await().atMost(WAIT).until(() -> client.stderr().contains("KEYUPDATE"));
                Thread.sleep(200); // s_client takes a whole stdin read as one command: keep the next line apart
                client.write("after key update\n");
                client.awaitStdout("after key update", WAIT);
                assertTrue(client.stdout().contains("Verify return code: 0 (ok)"), client.stdout());
            }
        }
    }
}
