package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.RawPeers;
import dev.weft.testing.RawPeers.End;
import dev.weft.testing.TestCerts;
import dev.weft.testing.TricklingProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * (From the hostile-peers work on issue 7.) The server under hostile clients that speak raw bytes over plain
 * sockets, once per provider. Each test asserts
 * the outcome (an alert or a close within a bound, the code the client-error handler got, the next client
 * served); the last one asserts that nothing leaked.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileClientSuiteTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    /** How late after its deadline a close may come on a loaded 2-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    private final List<TlsException> clientErrors = new CopyOnWriteArrayList<>();

    private TlsServer server(JsseProvider provider) throws IOException {
        return server(ServerOptions.builder().provider(provider), EchoServers.ECHO);
    }

    private TlsServer server(ServerOptions.Builder options, ConnectionHandler handler) throws IOException {
        TlsServer s = EchoServers.start(options.handshakeTimeout(HANDSHAKE_TIMEOUT), handler);
        s.onClientError((e, remote) -> clientErrors.add(e));
        return s;
    }

    private static TlsSocket client(TlsServer server, JsseProvider provider) throws TlsException {
        return client(server.address().getPort(), provider);
    }

    private static TlsSocket client(int port, JsseProvider provider) throws TlsException {
        return Tls.connect(port, "127.0.0.1", ClientOptions.builder().ca(TestCerts.ROOT.certificatePem())
                .provider(provider).handshakeTimeout(Duration.ofSeconds(10)).build());
    }

    private static void assertServed(TlsServer server, JsseProvider provider) throws IOException {
        try (TlsSocket c = client(server, provider)) {
            assertEquals("still serving", EchoServers.roundTrip(c, "still serving"));
        }
    }

    private void awaitClientError(String code) {
        await().atMost(Duration.ofSeconds(5)).until(() -> codes().contains(code));
    }

    private List<String> codes() {
        return clientErrors.stream().map(TlsException::code).toList();
    }

    private static void assertClosedWithin(End end, Duration bound, String what) {
        assertTrue(end.closed(), what + ": still open after " + end.after().toMillis() + " ms");
        assertTrue(end.after().compareTo(bound) <= 0, what + ": closed only after " + end.after().toMillis() + " ms");
    }

    // ---- 1. the handshake deadline

    @Order(1)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void closesASilentConnectionAtTheHandshakeDeadline(JsseProvider provider) throws Exception {
        try (TlsServer server = server(provider); Socket silent = RawPeers.connect(server.address().getPort())) {
            End end = RawPeers.awaitEnd(silent, HANDSHAKE_TIMEOUT.plus(MARGIN).plus(MARGIN));
            assertClosedWithin(end, HANDSHAKE_TIMEOUT.plus(MARGIN), "silent connection");
            assertTrue(end.after().toMillis() >= HANDSHAKE_TIMEOUT.toMillis() - 50, "closed before the deadline");
            assertEquals(0, end.received().length, "a silent client gets no bytes");
            awaitClientError("ERR_TLS_HANDSHAKE_TIMEOUT");
            assertServed(server, provider);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
        }
    }

    @Order(2)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void closesATruncatedClientHelloThenSilenceAtTheDeadline(JsseProvider provider) throws Exception {
        byte[] hello = RawPeers.realClientHello();
        for (int cut : new int[] {3, 9, hello.length / 2}) {
            clientErrors.clear();
            try (TlsServer server = server(provider); Socket peer = RawPeers.connect(server.address().getPort())) {
                RawPeers.send(peer, Arrays.copyOf(hello, cut));
                End end = RawPeers.awaitEnd(peer, HANDSHAKE_TIMEOUT.plus(MARGIN).plus(MARGIN));
                assertClosedWithin(end, HANDSHAKE_TIMEOUT.plus(MARGIN), "hello cut at " + cut);
                awaitClientError("ERR_TLS_HANDSHAKE_TIMEOUT");
            }
        }
    }

    @Order(3)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void closesSlowlorisAtTheDeadlineWhileServingOthers(JsseProvider provider) throws Exception {
        byte[] hello = RawPeers.realClientHello();
        try (TlsServer server = server(provider); Socket slow = RawPeers.connect(server.address().getPort())) {
            AtomicLong sent = new AtomicLong();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = slow.getOutputStream();
                    for (byte b : hello) {
                        out.write(b);
                        out.flush();
                        sent.incrementAndGet();
                        Thread.sleep(100); // the attack itself: one byte every 100 ms
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server: what the test waits for
                }
            });
            assertServed(server, provider); // a normal client is served meanwhile
            End end = RawPeers.awaitEnd(slow, HANDSHAKE_TIMEOUT.plus(MARGIN).plus(MARGIN));
            assertClosedWithin(end, HANDSHAKE_TIMEOUT.plus(MARGIN), "slowloris");
            awaitClientError("ERR_TLS_HANDSHAKE_TIMEOUT");
            assertTrue(sent.get() < hello.length, "the deadline must come before the hello was complete");
            trickle.join(Duration.ofSeconds(2));
            assertServed(server, provider);
        }
    }

    // ---- 2. clients that do not speak TLS 1.2+

    static Stream<Arguments> notTls() {
        byte[] garbage = new byte[300];
        new java.util.Random(7).nextBytes(garbage);
        garbage[1] = 0x42; // not 3: never a record version
        byte[] hello = RawPeers.realClientHello();
        byte[] appDataFirst = RawPeers.record(23, 0x0303, new byte[40]);
        byte[] invalidType = RawPeers.record(99, 0x0303, new byte[40]);
        byte[] ccsFirst = concat(RawPeers.record(20, 0x0303, new byte[] {1}), hello);
        byte[] oversized = RawPeers.record(22, 0x0301, new byte[20_000]);
        List<Arguments> cases = List.of(
                Arguments.of("plain HTTP", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        "ERR_SSL_HTTP_REQUEST"),
                Arguments.of("HTTP POST", "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"
                        .getBytes(StandardCharsets.US_ASCII), "ERR_SSL_HTTP_REQUEST"),
                Arguments.of("proxy CONNECT", "CONNECT a:443 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        "ERR_SSL_HTTPS_PROXY_REQUEST"),
                Arguments.of("random garbage", garbage, "ERR_SSL_WRONG_VERSION_NUMBER"),
                Arguments.of("invalid record type", invalidType, "ERR_SSL_UNEXPECTED_RECORD"),
                Arguments.of("application data before the hello", appDataFirst, "ERR_SSL_UNEXPECTED_RECORD"),
                Arguments.of("change_cipher_spec before the hello", ccsFirst, "ERR_SSL_UNEXPECTED_RECORD"),
                Arguments.of("oversized first record", oversized, "ERR_SSL_PACKET_LENGTH_TOO_LONG"),
                Arguments.of("SSLv2-format hello", RawPeers.sslv2ClientHello(), "ERR_SSL_UNSUPPORTED_PROTOCOL"),
                Arguments.of("SSLv3 hello", RawPeers.legacyClientHello(0x0300), "ERR_SSL_UNSUPPORTED_PROTOCOL"),
                Arguments.of("TLS 1.0 hello", RawPeers.legacyClientHello(0x0301), "ERR_SSL_UNSUPPORTED_PROTOCOL"),
                Arguments.of("TLS 1.1 hello", RawPeers.legacyClientHello(0x0302), "ERR_SSL_UNSUPPORTED_PROTOCOL"));
        return Arrays.stream(JsseProvider.values())
                .flatMap(p -> cases.stream().map(c -> Arguments.of(p, c.get()[0], c.get()[1], c.get()[2])));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }


    // ---- 3. a ClientHello cut small must still succeed

    @Order(5)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void acceptsAClientHelloSplitIntoOneByteRecords(JsseProvider provider) throws Exception {
        try (TlsServer server = server(provider);
                TricklingProxy proxy = TricklingProxy.start(server.address().getPort(),
                        TricklingProxy.Mode.TINY_RECORDS);
                TlsSocket c = client(proxy.port(), provider)) {
            assertEquals("through tiny records", EchoServers.roundTrip(c, "through tiny records"));
        }
        assertEquals(List.of(), codes());
    }

    @Order(6)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void acceptsAClientHelloSentOneByteAtATime(JsseProvider provider) throws Exception {
        try (TlsServer server = server(provider);
                TricklingProxy proxy = TricklingProxy.start(server.address().getPort(),
                        TricklingProxy.Mode.SINGLE_BYTE_WRITES);
                TlsSocket c = client(proxy.port(), provider)) {
            assertEquals("byte by byte", EchoServers.roundTrip(c, "byte by byte"));
        }
        assertEquals(List.of(), codes());
    }

    // ---- 4. renegotiation

    private static SSLSocket tls12Client(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestCerts.ROOT.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS", "SunJSSE");
        c.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket("127.0.0.1", port);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setSoTimeout(5_000);
        return s;
    }

    @Order(7)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void refusesClientInitiatedRenegotiationAndClosesTheConnection(JsseProvider provider) throws Exception {
        CompletableFuture<Throwable> handlerEnded = new CompletableFuture<>();
        try (TlsServer server = server(ServerOptions.builder().provider(provider), s -> {
            try {
                EchoServers.echo(s);
                handlerEnded.complete(null);
            } catch (Throwable t) {
                handlerEnded.complete(t);
            }
        }); SSLSocket c = tls12Client(server.address().getPort())) {
            c.startHandshake();
            assertEquals("TLSv1.2", c.getSession().getProtocol());
            c.getOutputStream().write('a');
            assertEquals('a', c.getInputStream().read());
            long start = System.nanoTime();
            boolean refused;
            try {
                c.startHandshake(); // client-initiated renegotiation
                c.getOutputStream().write('b');
                refused = c.getInputStream().read() == -1;
            } catch (IOException e) {
                refused = true;
            }
            assertTrue(refused, "renegotiation must not lead to an echo");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            Throwable t = handlerEnded.get(5, TimeUnit.SECONDS);
            // weft sees the ClientHello's record on the wire before the provider does, on every provider
            assertTrue(t instanceof TlsException te && te.code().equals("ERR_TLS_SESSION_ATTACK"),
                    () -> "the handler's read: " + t);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
            assertServed(server, provider);
        }
    }



    // ---- 5. end of stream

    @Order(8)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void writeAfterEndFailsWithErrStreamWriteAfterEnd(JsseProvider provider) throws Exception {
        try (TlsServer server = server(provider); TlsSocket c = client(server, provider)) {
            assertEquals("x", EchoServers.roundTrip(c, "x"));
            c.end();
            TlsException e = assertThrows(TlsException.class, () -> c.write("late"));
            assertEquals("ERR_STREAM_WRITE_AFTER_END", e.code());
            assertEquals("write after end", e.getMessage());
            TlsException again = assertThrows(TlsException.class, () -> c.getOutputStream().write(1));
            assertEquals("ERR_STREAM_WRITE_AFTER_END", again.code());
        }
    }

    @Order(9)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void endOfStreamWithoutCloseNotifyIsAnEndMarkedTruncated(JsseProvider provider) throws Exception {
        for (boolean closeNotify : new boolean[] {true, false}) {
            CompletableFuture<Boolean> serverSawTruncation = new CompletableFuture<>();
            try (TlsServer server = server(ServerOptions.builder().provider(provider), s -> {
                try {
                    InputStream in = s.getInputStream();
                    int n = 0;
                    while (in.read() >= 0) {
                        n++;
                    }
                    serverSawTruncation.complete(s.truncated());
                    assertEquals(3, n);
                } catch (Throwable t) {
                    serverSawTruncation.completeExceptionally(t);
                }
            })) {
                TlsSocket c = client(server, provider);
                c.write("abc");
                if (closeNotify) {
                    c.close();
                } else {
                    c.destroy();
                }
                assertEquals(!closeNotify, serverSawTruncation.get(5, TimeUnit.SECONDS),
                        closeNotify ? "close_notify is a clean end" : "a TCP end alone is a truncation");
            }
        }
    }

    @Order(10)
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void clientSeesTruncationToo(JsseProvider provider) throws Exception {
        for (boolean closeNotify : new boolean[] {true, false}) {
            try (TlsServer server = server(ServerOptions.builder().provider(provider), s -> {
                s.write("bye");
                if (closeNotify) {
                    s.close();
                } else {
                    s.destroy();
                }
            }); TlsSocket c = client(server, provider)) {
                assertEquals("bye", EchoServers.read(c, 3));
                assertEquals(-1, c.getInputStream().read());
                assertEquals(!closeNotify, c.truncated(), closeNotify ? "clean end" : "truncated");
            }
        }
    }

    // ---- 6. idle timeout


    // ---- 9. back-pressure


    // ---- 8. no leak: last


    private static java.util.Map<String, Long> descriptorKinds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().replaceAll("\\[\\d+\\]", "");
                } catch (IOException e) {
                    return "gone";
                }
            }).collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()));
        }
    }

}
