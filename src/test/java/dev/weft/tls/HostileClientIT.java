package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.ProcessSockets;
import dev.weft.testing.RawPeers.End;
import dev.weft.testing.RawPeers;
import dev.weft.testing.TestCerts;
import dev.weft.testing.TricklingProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server under hostile clients, once per provider (the whole class runs for SUN, BC and CONSCRYPT in turn).
 * Each test asserts the outcome: an alert or a close within a bound, the code the client-error handler (or the
 * handler's read) got, and the next normal client served. The last test bursts a few thousand hostile connections
 * of mixed kinds and asserts that nothing leaked since the class began: file descriptors, platform threads, heap,
 * and no socket of any server of this class left in CLOSE_WAIT.
 *
 * <p>Issue 7's list, and where each item is tested:
 * <pre>
 * plaintext HTTP ............................ refusedWithItsCode[plain HTTP, HTTP POST, proxy CONNECT]
 * garbage ................................... refusedWithItsCode[random garbage]
 * invalid record type ....................... refusedWithItsCode[invalid record type]
 * records before the ClientHello ............ refusedWithItsCode[application data first, alert first,
 *                                               change_cipher_spec first]
 * oversized records / handshake messages .... refusedWithItsCode[oversized record, handshake message longer than
 *                                               any record]
 * truncated ClientHello, then silence ....... truncatedClientHelloThenSilenceIsCutAtTheDeadline
 * ClientHello in tiny records (must succeed)  acceptsAClientHelloSplitIntoOneByteRecords
 * ClientHello in 1-byte writes (must succeed) acceptsAClientHelloSentOneByteAtATime
 * SSLv2 / SSLv3 / TLS 1.0 / TLS 1.1 hellos .. refusedWithItsCode[SSLv2-format hello, SSLv3 hello, TLS 1.0 hello,
 *                                               TLS 1.1 hello]
 * no shared cipher .......................... refusedWithItsCode[no shared cipher]
 * malformed ALPN and SNI .................... refusedWithItsCode[malformed ALPN, malformed SNI]
 * renegotiation ............................. refusesClientInitiatedRenegotiation
 * silent connections ........................ silentConnectionIsCutAtTheHandshakeDeadline,
 *                                             refusedWithItsCode[connect and close],
 *                                             idleConnectionsAreClosedAndActiveOnesAreNot (silent after handshake)
 * slowloris ................................. slowlorisIsCutAtTheDeadlineWhileOthersAreServed
 * flood past maxConnections ................. floodPastMaxConnectionsIsDroppedAtOnceAndServiceResumes
 * RST mid-record ............................ resetMidRecordIsThatConnectionsAlone (in the ClientHello, and in
 *                                             an application-data record after the handshake)
 * half-close ................................ halfCloseIsAnEndTheServerAnswersAndCloses (FIN mid-hello; FIN
 *                                             after data; close_notify then reading on: truncated() tells the
 *                                             two ends apart, the reply arrives where the provider half-closes)
 * non-reading peer under a large write ...... aPeerThatNeverReadsStallsTheWriterWithFlatHeapAndCloseReleasesIt
 * close() with connections open ............. closeWithHostileConnectionsOpen (close(), then closeNow())
 * no leak (fds, threads, heap, CLOSE_WAIT) .. zzBurstOfHostileConnectionsLeavesNothingBehind (last)
 * </pre>
 */
@ParameterizedClass(name = "{0}")
@EnumSource(JsseProvider.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileClientIT {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
    /** How late after its deadline a close may come on a loaded 2-core machine. */
    private static final Duration MARGIN = Duration.ofMillis(1500);
    /** How long any refusal or close may take, at most. */
    private static final Duration BOUND = HANDSHAKE_TIMEOUT.plus(MARGIN);

    @Parameter
    JsseProvider provider;

    private final List<TlsException> clientErrors = new CopyOnWriteArrayList<>();

    // ---- what the last test compares with: taken before the first test of each provider

    /** The ports of every server this class started for the current provider. */
    private static final Set<Integer> serverPorts = ConcurrentHashMap.newKeySet();
    private static long fdsBefore;
    private static List<String> threadsBefore;
    private static long heapBefore;

    @BeforeParameterizedClassInvocation
    static void baseline(JsseProvider provider) throws Exception {
        serverPorts.clear();
        // warm up: classes loaded, the provider initialised, the watchdog and the virtual-thread carriers started
        try (TlsServer s = EchoServers.start(ServerOptions.builder().provider(provider), EchoServers.ECHO)) {
            for (int i = 0; i < 4; i++) {
                try (TlsSocket c = client(s.address().getPort(), provider)) {
                    EchoServers.roundTrip(c, "warm");
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> s.connections() == 0);
        }
        fdsBefore = ProcessSockets.openFileDescriptors();
        threadsBefore = ProcessSockets.platformThreads();
        heapBefore = ProcessSockets.heapAfterGc();
    }

    // ---- helpers

    private TlsServer server() throws IOException {
        return server(ServerOptions.builder(), EchoServers.ECHO);
    }

    private TlsServer server(ServerOptions.Builder options, ConnectionHandler handler) throws IOException {
        TlsServer s = EchoServers.start(options.provider(provider).handshakeTimeout(HANDSHAKE_TIMEOUT), handler);
        s.onClientError((e, remote) -> clientErrors.add(e));
        serverPorts.add(s.address().getPort());
        return s;
    }

    private static TlsSocket client(int port, JsseProvider provider) throws TlsException {
        return Tls.connect(port, "127.0.0.1", ClientOptions.builder().ca(TestCerts.ROOT.certificatePem())
                .provider(provider).handshakeTimeout(Duration.ofSeconds(10)).build());
    }

    private TlsSocket client(TlsServer server) throws TlsException {
        return client(server.address().getPort(), provider);
    }

    private void assertServed(TlsServer server, String after) throws IOException {
        try (TlsSocket c = client(server)) {
            assertEquals("still serving", EchoServers.roundTrip(c, "still serving"), "the next client after " + after);
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

    /** A SunJSSE client trusting the test root, over {@code plain} (already connected to the server). */
    private static SSLSocket sunClient(Socket plain, String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", TestCerts.ROOT.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS", "SunJSSE");
        c.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true);
        s.setEnabledProtocols(new String[] {protocol});
        s.setSoTimeout(5_000);
        return s;
    }

    // ---- 1. first flights that are not a TLS 1.2+ ClientHello: refused with a code, the next client served

    /** Where the provider refuses what the peer sent: the same code on every provider. */
    private static final String REFUSED = "ERR_WEFT_HANDSHAKE_FAILURE";

    static Stream<Arguments> refusals() {
        byte[] garbage = new byte[300];
        new java.util.Random(7).nextBytes(garbage);
        garbage[1] = 0x42; // not 3: never a record version
        byte[] hello = RawPeers.realClientHello();
        byte[] oversizedHandshake = RawPeers.record(22, 0x0303, new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        byte[] noSharedCipher = RawPeers.legacyClientHello(0x0303); // TLS 1.2 with only CBC-SHA suites
        byte[] badAlpn = RawPeers.realClientHello("h2", "http/1.1");
        int alpn = RawPeers.extensionData(badAlpn, 16);
        assertTrue(alpn > 0, "the hello offers ALPN");
        badAlpn[alpn + 2] = (byte) 0xf0; // the first protocol name runs past the list
        byte[] badSni = RawPeers.realClientHello();
        int sni = RawPeers.extensionData(badSni, 0);
        assertTrue(sni > 0, "the hello asks for a name");
        badSni[sni + 4] = (byte) 0xf0; // the host name runs past the list
        return Stream.of(
                Arguments.of("plain HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        "ERR_SSL_HTTP_REQUEST"),
                Arguments.of("HTTP POST", "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"
                        .getBytes(StandardCharsets.US_ASCII), "ERR_SSL_HTTP_REQUEST"),
                Arguments.of("proxy CONNECT", "CONNECT a:443 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                        "ERR_SSL_HTTPS_PROXY_REQUEST"),
                Arguments.of("random garbage", garbage, "ERR_SSL_WRONG_VERSION_NUMBER"),
                // the record layer's codes and alerts are held to openssl and Node 24 by RecordLayerOracleIT
                Arguments.of("invalid record type", RawPeers.record(99, 0x0303, new byte[40]),
                        "ERR_SSL_UNEXPECTED_MESSAGE"),
                Arguments.of("application data first", RawPeers.record(23, 0x0303, new byte[40]),
                        "ERR_SSL_UNEXPECTED_MESSAGE"),
                Arguments.of("alert first", RawPeers.record(21, 0x0303, new byte[] {2, 40}),
                        "ERR_SSL_UNEXPECTED_MESSAGE"),
                Arguments.of("change_cipher_spec first", concat(RawPeers.record(20, 0x0303, new byte[] {1}), hello),
                        "ERR_SSL_UNEXPECTED_MESSAGE"),
                Arguments.of("oversized record", RawPeers.record(22, 0x0301, new byte[20_000]),
                        "ERR_SSL_DATA_LENGTH_TOO_LONG"),
                Arguments.of("handshake message longer than any record", oversizedHandshake,
                        "ERR_SSL_EXCESSIVE_MESSAGE_SIZE"),
                Arguments.of("SSLv2-format hello", RawPeers.sslv2ClientHello(), "ERR_SSL_UNSUPPORTED_PROTOCOL"),
                Arguments.of("SSLv3 hello", RawPeers.legacyClientHello(0x0300), "ERR_SSL_UNSUPPORTED_PROTOCOL"),
                Arguments.of("TLS 1.0 hello", RawPeers.legacyClientHello(0x0301), "ERR_SSL_UNSUPPORTED_PROTOCOL"),
                Arguments.of("TLS 1.1 hello", RawPeers.legacyClientHello(0x0302), "ERR_SSL_UNSUPPORTED_PROTOCOL"),
                Arguments.of("no shared cipher", noSharedCipher, "ERR_SSL_NO_SHARED_CIPHER"),
                Arguments.of("malformed ALPN", badAlpn, REFUSED),
                Arguments.of("malformed SNI", badSni, REFUSED),
                Arguments.of("connect and close", new byte[0], "ECONNRESET"));
    }

    /** {@code code}, or from {@code SUN=a,BC=b,CONSCRYPT=c} the one for this class's provider. */
    private String expected(String code) {
        if (!code.contains("=")) {
            return code;
        }
        return Arrays.stream(code.split(",")).filter(c -> c.startsWith(provider.name() + "=")).findFirst()
                .orElseThrow().substring(provider.name().length() + 1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedWithItsCode(String what, byte[] flight, String code) throws Exception {
        // with ALPN configured, so that the providers read the client's ALPN list
        try (TlsServer server = server(ServerOptions.builder().alpnProtocols("h2", "http/1.1"), EchoServers.ECHO)) {
            try (Socket peer = RawPeers.connect(server.address().getPort())) {
                if (flight.length > 0) {
                    RawPeers.send(peer, flight);
                    End end = RawPeers.awaitEnd(peer, BOUND.plus(MARGIN));
                    assertClosedWithin(end, BOUND, what);
                    assertTrue(end.nothingOrAlert(), what + ": an alert or nothing, got "
                            + java.util.HexFormat.of().formatHex(end.received(), 0, Math.min(16, end.received().length)));
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !clientErrors.isEmpty());
            assertEquals(1, clientErrors.size(), what + ": one error per connection: " + codes());
            assertEquals(expected(code), clientErrors.getFirst().code(), what + ": " + clientErrors.getFirst());
            assertServed(server, what);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
        }
    }

    // ---- 2. the handshake deadline: silent, truncated and trickling clients

    @Order(2)
    @Test
    void silentConnectionIsCutAtTheHandshakeDeadline() throws Exception {
        try (TlsServer server = server(); Socket silent = RawPeers.connect(server.address().getPort())) {
            End end = RawPeers.awaitEnd(silent, BOUND.plus(MARGIN));
            assertClosedWithin(end, BOUND, "silent connection");
            assertTrue(end.after().toMillis() >= HANDSHAKE_TIMEOUT.toMillis() - 50, "closed before the deadline");
            assertEquals(0, end.received().length, "a silent client gets no bytes");
            awaitClientError("ERR_TLS_HANDSHAKE_TIMEOUT");
            assertServed(server, "a silent client");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
        }
    }

    @Order(3)
    @Test
    void truncatedClientHelloThenSilenceIsCutAtTheDeadline() throws Exception {
        byte[] hello = RawPeers.realClientHello();
        try (TlsServer server = server()) {
            for (int cut : new int[] {3, 9, hello.length / 2, hello.length - 1}) {
                clientErrors.clear();
                try (Socket peer = RawPeers.connect(server.address().getPort())) {
                    RawPeers.send(peer, Arrays.copyOf(hello, cut));
                    End end = RawPeers.awaitEnd(peer, BOUND.plus(MARGIN));
                    assertClosedWithin(end, BOUND, "hello cut at " + cut);
                    assertEquals(0, end.received().length, "hello cut at " + cut + ": no bytes back");
                }
                awaitClientError("ERR_TLS_HANDSHAKE_TIMEOUT");
            }
            assertServed(server, "truncated hellos");
        }
    }

    @Order(4)
    @Test
    void slowlorisIsCutAtTheDeadlineWhileOthersAreServed() throws Exception {
        byte[] hello = RawPeers.realClientHello();
        try (TlsServer server = server(); Socket slow = RawPeers.connect(server.address().getPort())) {
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
            assertServed(server, "nothing: a normal client is served meanwhile");
            End end = RawPeers.awaitEnd(slow, BOUND.plus(MARGIN));
            assertClosedWithin(end, BOUND, "slowloris");
            awaitClientError("ERR_TLS_HANDSHAKE_TIMEOUT");
            assertTrue(sent.get() < hello.length, "the deadline must come before the hello was complete");
            trickle.join(Duration.ofSeconds(2));
            assertServed(server, "a slowloris");
        }
    }

    // ---- 3. a ClientHello cut small must still succeed

    @Order(5)
    @Test
    void acceptsAClientHelloSplitIntoOneByteRecords() throws Exception {
        try (TlsServer server = server();
                TricklingProxy proxy = TricklingProxy.start(server.address().getPort(),
                        TricklingProxy.Mode.TINY_RECORDS);
                TlsSocket c = client(proxy.port(), provider)) {
            assertEquals("through tiny records", EchoServers.roundTrip(c, "through tiny records"));
        }
        assertEquals(List.of(), codes());
    }

    @Order(6)
    @Test
    void acceptsAClientHelloSentOneByteAtATime() throws Exception {
        try (TlsServer server = server();
                TricklingProxy proxy = TricklingProxy.start(server.address().getPort(),
                        TricklingProxy.Mode.SINGLE_BYTE_WRITES);
                TlsSocket c = client(proxy.port(), provider)) {
            assertEquals("byte by byte", EchoServers.roundTrip(c, "byte by byte"));
        }
        assertEquals(List.of(), codes());
    }

    // ---- 4. renegotiation

    @Order(7)
    @Test
    void refusesClientInitiatedRenegotiation() throws Exception {
        CompletableFuture<Throwable> handlerEnded = new CompletableFuture<>();
        try (TlsServer server = server(ServerOptions.builder(), s -> {
            try {
                EchoServers.echo(s);
                handlerEnded.complete(null);
            } catch (Throwable t) {
                handlerEnded.complete(t);
            }
        }); SSLSocket c = sunClient(RawPeers.connect(server.address().getPort()), "TLSv1.2")) {
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
            assertTrue(System.nanoTime() - start < BOUND.toNanos(), "refused within the bound");
            Throwable t = handlerEnded.get(5, TimeUnit.SECONDS);
            // weft sees the ClientHello's record on the wire before the provider does, on every provider
            assertTrue(t instanceof TlsException te && te.code().equals("ERR_TLS_SESSION_ATTACK"),
                    () -> "the handler's read: " + t);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
            assertServed(server, "a renegotiation");
        }
    }

    // ---- 5. half-close and resets

    @Order(8)
    @Test
    void halfCloseIsAnEndTheServerAnswersAndCloses() throws Exception {
        record Seen(String data, boolean truncated, String replyError, boolean canHalfClose) {
        }
        List<Seen> seen = new CopyOnWriteArrayList<>();
        try (TlsServer server = server(ServerOptions.builder(), s -> {
            String data = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String replyError = null;
            try {
                s.write("bye");
            } catch (IOException e) {
                replyError = e.toString();
            }
            seen.add(new Seen(data, s.truncated(), replyError, s.canHalfClose()));
        })) {
            int port = server.address().getPort();

            // a FIN in the middle of the ClientHello: an end, reported at once, not at the deadline
            byte[] hello = RawPeers.realClientHello();
            try (Socket peer = RawPeers.connect(port)) {
                RawPeers.send(peer, Arrays.copyOf(hello, hello.length / 2));
                peer.shutdownOutput();
                End end = RawPeers.awaitEnd(peer, BOUND.plus(MARGIN));
                assertClosedWithin(end, BOUND, "FIN mid-hello");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !clientErrors.isEmpty());
            assertEquals(List.of("ECONNRESET"), codes(), "a FIN mid-hello is the peer going away, not a timeout");

            // a FIN after data, without close_notify, while the client still reads: an end marked truncated
            try (Socket plain = RawPeers.connect(port); SSLSocket c = sunClient(plain, "TLSv1.3")) {
                c.startHandshake();
                c.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().flush();
                plain.shutdownOutput(); // TCP half-close under the TLS layer
                long start = System.nanoTime();
                byte[] got = readToEnd(c.getInputStream());
                assertTrue(System.nanoTime() - start < BOUND.toNanos(), "the server closed within the bound");
                await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
                assertEquals("abc", seen.getFirst().data());
                assertTrue(seen.getFirst().truncated(), "a bare FIN is a truncation");
                assertEquals(0, got.length, "no provider writes after a truncated end");
            }

            // close_notify from a client that keeps reading (TLS 1.3 half-close): a clean end, and the reply arrives
            // where the server's provider can write after the peer's close_notify
            try (TlsSocket c = Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(JsseProvider.SUN)
                    .ca(TestCerts.ROOT.certificatePem()).build())) {
                assertTrue(c.canHalfClose());
                c.write("xyz");
                c.end();
                long start = System.nanoTime();
                byte[] got = readToEnd(c.getInputStream());
                assertTrue(System.nanoTime() - start < BOUND.toNanos(), "the server closed within the bound");
                await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
                assertEquals("xyz", seen.get(1).data());
                assertFalse(seen.get(1).truncated(), "close_notify is a clean end");
                if (seen.get(1).canHalfClose()) {
                    assertEquals("bye", new String(got, StandardCharsets.US_ASCII), "the reply after the client's end");
                } else { // Bouncy Castle and Conscrypt close when the peer's close_notify comes
                    assertEquals(0, got.length);
                    assertTrue(seen.get(1).replyError() != null);
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
            assertEquals(1, clientErrors.size(), codes().toString());
        }
    }

    /** Everything until the end; a reset counts as the end. */
    private static byte[] readToEnd(InputStream in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // an end too
        }
        return out.toByteArray();
    }

    @Order(9)
    @Test
    void resetMidRecordIsThatConnectionsAlone() throws Exception {
        CompletableFuture<Throwable> handlerEnded = new CompletableFuture<>();
        try (TlsServer server = server(ServerOptions.builder(), s -> {
            try {
                EchoServers.echo(s);
                handlerEnded.complete(null);
            } catch (Throwable t) {
                handlerEnded.complete(t);
            }
        }); TlsSocket bystander = client(server)) {
            int port = server.address().getPort();
            // in the middle of the ClientHello's record
            byte[] hello = RawPeers.realClientHello();
            try (Socket raw = RawPeers.connect(port)) {
                RawPeers.send(raw, Arrays.copyOf(hello, hello.length / 2));
                raw.setSoLinger(true, 0); // RST instead of FIN
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !clientErrors.isEmpty());
            assertEquals(List.of("ECONNRESET"), codes(), "a reset mid-hello");

            // in the middle of an application-data record after the handshake
            try (Socket plain = RawPeers.connect(port)) {
                SSLSocket c = sunClient(plain, "TLSv1.3");
                c.startHandshake();
                c.getOutputStream().write('a');
                assertEquals('a', c.getInputStream().read());
                RawPeers.send(plain, new byte[] {23, 3, 3, 0, 100, 1, 2, 3, 4, 5, 6, 7, 8}); // 8 of 100 bytes
                plain.setSoLinger(true, 0);
            }
            Throwable t = handlerEnded.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof TlsException te && te.code().equals("ECONNRESET"),
                    () -> "the handler's read fails with Node's code: " + t);
            assertEquals("bystander", EchoServers.roundTrip(bystander, "bystander"), "others live on");
            assertServed(server, "resets");
        }
    }

    // ---- 6. silence after the handshake

    @Order(10)
    @Test
    void idleConnectionsAreClosedAndActiveOnesAreNot() throws Exception {
        try (TlsServer server = server(ServerOptions.builder().idleTimeout(Duration.ofMillis(400)),
                EchoServers.ECHO); TlsSocket idle = client(server); TlsSocket busy = client(server)) {
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) { // 800 ms of traffic, each gap well under the limit
                assertEquals("b", EchoServers.roundTrip(busy, "b"));
                Thread.sleep(100); // the pace of the busy client, not a wait for a condition
            }
            assertEquals(-1, readOrEnd(idle), "the idle connection was closed by the server");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
            assertEquals("still", EchoServers.roundTrip(busy, "still"), "the busy one lives on");
        }
    }

    private static int readOrEnd(TlsSocket s) {
        try {
            return s.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- 7. a flood past maxConnections

    @Order(11)
    @Test
    void floodPastMaxConnectionsIsDroppedAtOnceAndServiceResumes() throws Exception {
        List<InetSocketAddress> dropped = new CopyOnWriteArrayList<>();
        try (TlsServer server = server()) {
            server.maxConnections(2).onDrop(dropped::add);
            int port = server.address().getPort();
            byte[] hello = RawPeers.realClientHello();
            try (TlsSocket a = client(server); TlsSocket b = client(server)) {
                assertEquals("a", EchoServers.roundTrip(a, "a"));
                assertEquals("b", EchoServers.roundTrip(b, "b"));
                int flood = 300;
                long slowest = 0;
                for (int i = 0; i < flood; i++) {
                    try (Socket raw = RawPeers.connect(port)) {
                        RawPeers.send(raw, hello);
                        End end = RawPeers.awaitEnd(raw, BOUND.plus(MARGIN));
                        assertTrue(end.closed() && end.received().length == 0, "flood #" + i + ": " + end.how());
                        slowest = Math.max(slowest, end.after().toMillis());
                    }
                }
                assertTrue(slowest < BOUND.toMillis(), "dropped only after " + slowest + " ms");
                await().atMost(Duration.ofSeconds(5)).until(() -> dropped.size() == flood);
                assertEquals(List.of(), codes(), "a drop is not a client error (Node)");
                assertEquals(2, server.connections());
                assertEquals("a again", EchoServers.roundTrip(a, "a again"), "open connections live on");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 0);
            assertServed(server, "a flood");
        }
    }

    // ---- 8. a peer that never reads

    @Order(12)
    @Test
    void aPeerThatNeverReadsStallsTheWriterWithFlatHeapAndCloseReleasesIt() throws Exception {
        CompletableFuture<TlsSocket> serverSide = new CompletableFuture<>();
        AtomicLong written = new AtomicLong();
        AtomicLong lastWrite = new AtomicLong(System.nanoTime());
        CompletableFuture<Exception> writerEnded = new CompletableFuture<>();
        try (TlsServer server = server(ServerOptions.builder(), s -> {
            serverSide.complete(s);
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 1600; i++) { // 100 MiB at a client that never reads
                    s.getOutputStream().write(chunk);
                    written.addAndGet(chunk.length);
                    lastWrite.set(System.nanoTime());
                }
                writerEnded.complete(null);
            } catch (Exception e) {
                writerEnded.complete(e);
            }
        }); TlsSocket idleReader = client(server)) {
            TlsSocket s = serverSide.get(10, TimeUnit.SECONDS);
            long heapBefore = ProcessSockets.heapAfterGc();
            // the writer stalls: after a while nothing more is written, long before 100 MiB
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> written.get() > 0 && System.nanoTime() - lastWrite.get() > 500_000_000L);
            assertTrue(written.get() < 32L << 20, "wrote " + written.get() + " bytes to a peer that reads nothing");
            long heapGrowth = ProcessSockets.heapAfterGc() - heapBefore;
            assertTrue(heapGrowth < 32L << 20, "heap grew by " + heapGrowth + " bytes");
            long start = System.nanoTime();
            s.close(); // from another thread than the blocked writer
            Exception e = writerEnded.get(5, TimeUnit.SECONDS);
            assertTrue(e != null, "the blocked write must fail once the connection is closed");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 2000, "close released the blocked writer after " + ms + " ms");
            System.out.printf("back-pressure %s: stalled after %d KiB, heap %+d KiB, close released the writer in %d ms%n",
                    provider, written.get() >> 10, heapGrowth >> 10, ms);
        }
    }

    // ---- 9. close() and closeNow() with hostile connections open

    @Order(13)
    @Test
    void closeWithHostileConnectionsOpen() throws Exception {
        TlsServer server = server();
        int port = server.address().getPort();
        try (TlsSocket open = client(server); Socket silent = RawPeers.connect(port);
                Socket half = RawPeers.connect(port)) {
            RawPeers.send(half, Arrays.copyOf(RawPeers.realClientHello(), 20));
            assertEquals("before", EchoServers.roundTrip(open, "before"));
            // accepted, not only queued: a connection still in the listen backlog is reset when the port closes
            await().atMost(Duration.ofSeconds(5)).until(() -> server.connections() == 3);
            long start = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - start < BOUND.toNanos(), "close() returns at once");
            assertFalse(server.isListening());
            assertEquals("ECONNREFUSED", assertThrows(TlsException.class, () -> client(server)).code());
            assertEquals("after close", EchoServers.roundTrip(open, "after close"), "open connections run on");
            // the ones still in their handshake meet their deadline as before
            assertClosedWithin(RawPeers.awaitEnd(silent, BOUND.plus(MARGIN)), BOUND, "silent after close()");
            assertClosedWithin(RawPeers.awaitEnd(half, BOUND.plus(MARGIN)), BOUND, "half a hello after close()");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(
                    List.of("ERR_TLS_HANDSHAKE_TIMEOUT", "ERR_TLS_HANDSHAKE_TIMEOUT"), codes()));
            assertFalse(server.awaitClose(Duration.ofMillis(100)), "'close' waits for the open connection");
        }
        assertTrue(server.awaitClose(Duration.ofSeconds(5)), "'close' once the last connection ended");
        assertEquals(0, server.connections());

        // closeNow(): everything ends at once, the handshakes long before their deadline
        TlsServer now = server(ServerOptions.builder().handshakeTimeout(Duration.ofSeconds(30)), EchoServers.ECHO);
        try (TlsSocket open = client(now); Socket silent = RawPeers.connect(now.address().getPort())) {
            assertEquals("x", EchoServers.roundTrip(open, "x"));
            await().atMost(Duration.ofSeconds(5)).until(() -> now.connections() == 2);
            now.closeNow();
            assertClosedWithin(RawPeers.awaitEnd(silent, BOUND.plus(MARGIN)), BOUND, "silent at closeNow()");
            assertEquals(-1, readOrEnd(open));
            assertTrue(now.awaitClose(Duration.ofSeconds(5)));
        }
    }

    // ---- 10. no leak: last

    /** One hostile connection of kind {@code kind}; returns how it ended, as seen by the client. */
    private static RawPeers.How hostile(int port, int kind, byte[][] flights) throws Exception {
        byte[] hello = flights[0];
        try (Socket raw = RawPeers.connect(port)) {
            switch (kind) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> RawPeers.send(raw, flights[kind + 1]); // refused flights
                case 8 -> {
                    return RawPeers.How.EOF; // connect and close
                }
                case 9 -> { // half a hello, then RST
                    RawPeers.send(raw, Arrays.copyOf(hello, hello.length / 2));
                    raw.setSoLinger(true, 0);
                    return RawPeers.How.RESET;
                }
                case 10 -> { // half a hello, then FIN
                    RawPeers.send(raw, Arrays.copyOf(hello, hello.length / 2));
                    raw.shutdownOutput();
                }
                case 11 -> { // silent: the deadline
                }
                case 12 -> { // a handshake, data, then a bare FIN while reading
                    SSLSocket c = sunClient(raw, "TLSv1.3");
                    c.startHandshake();
                    c.getOutputStream().write('a');
                    c.getOutputStream().flush();
                    raw.shutdownOutput();
                    readToEnd(c.getInputStream());
                    return RawPeers.How.EOF;
                }
                case 13 -> { // a handshake, then RST mid-record
                    SSLSocket c = sunClient(raw, "TLSv1.2");
                    c.startHandshake();
                    RawPeers.send(raw, new byte[] {23, 3, 3, 0, 100, 1, 2, 3});
                    raw.setSoLinger(true, 0);
                    return RawPeers.How.RESET;
                }
                default -> throw new IllegalArgumentException("kind " + kind);
            }
            return RawPeers.awaitEnd(raw, BOUND.plus(MARGIN)).how();
        }
    }

    @Order(100)
    @Test
    void zzBurstOfHostileConnectionsLeavesNothingBehind() throws Exception {
        byte[] hello = RawPeers.realClientHello();
        byte[][] flights = {hello,
                "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "\u0001\u0002\u0003 not tls at all".getBytes(StandardCharsets.US_ASCII),
                RawPeers.sslv2ClientHello(),
                RawPeers.legacyClientHello(0x0301),
                RawPeers.record(99, 0x0303, new byte[40]),
                RawPeers.record(22, 0x0301, new byte[20_000]),
                RawPeers.record(23, 0x0303, new byte[40]),
                RawPeers.legacyClientHello(0x0303)}; // no shared cipher
        int kinds = 14;
        int total = 2800;
        List<String> stillOpen = new CopyOnWriteArrayList<>();
        AtomicInteger done = new AtomicInteger();
        List<String> failed = new CopyOnWriteArrayList<>();
        AtomicInteger cut = new AtomicInteger();
        long start = System.nanoTime();
        try (TlsServer server = server(ServerOptions.builder().idleTimeout(Duration.ofSeconds(2)),
                EchoServers.ECHO)) {
            int port = server.address().getPort();
            try (var pool = Executors.newFixedThreadPool(12, Thread.ofVirtual().factory())) {
                for (int i = 0; i < total; i++) {
                    int kind = i % kinds;
                    pool.submit(() -> {
                        try {
                            if (hostile(port, kind, flights) == RawPeers.How.STILL_OPEN) {
                                stillOpen.add("kind " + kind);
                            }
                        } catch (IOException e) {
                            if (kind < 12) {
                                failed.add("kind " + kind + ": " + e);
                            } else {
                                // a full handshake that took longer than the 500 ms deadline on a loaded machine:
                                // the server cut it off, which is its right; what it left behind is checked below
                                cut.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.add("kind " + kind + ": " + e);
                        }
                        done.incrementAndGet();
                        return null;
                    });
                }
            }
            long burstMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(total, done.get(), "every hostile connection ran");
            assertEquals(List.of(), failed, "hostile connections that failed on the client's side");
            assertTrue(cut.get() < total / kinds, cut.get() + " of the handshakes were cut at the deadline");
            assertEquals(List.of(), stillOpen, "every hostile connection was closed within the bound");
            assertServed(server, "the burst");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 0);
            // every server of this class, this one still listening: no accepted socket whose peer has gone is left
            // unclosed
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertEquals(List.of(), ProcessSockets.closeWait(serverPorts),
                            "sockets in CLOSE_WAIT on ports " + serverPorts));
            System.out.printf("burst %s: %d hostile connections in %d ms, %d client errors, %d handshakes cut%n",
                    provider, total, burstMs, clientErrors.size(), cut.get());
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertEquals(List.of(), ProcessSockets.closeWait(serverPorts), "CLOSE_WAIT after the servers closed");
            long fds = ProcessSockets.openFileDescriptors();
            assertTrue(fds <= fdsBefore + 10, "file descriptors: " + fdsBefore + " before, " + fds + " now");
            List<String> threads = new ArrayList<>(ProcessSockets.platformThreads());
            threadsBefore.forEach(threads::remove);
            // the JDK's virtual-thread carriers come and go; JUnit's timeout thread runs this test, Awaitility's this check
            threads.removeIf(name -> name.startsWith("ForkJoinPool-") || name.startsWith("junit-timeout-thread")
                    || name.startsWith("awaitility"));
            assertEquals(List.of(), threads, "platform threads not there before");
            long heap = ProcessSockets.heapAfterGc();
            assertTrue(heap <= heapBefore + (48L << 20), "heap after GC: " + (heapBefore >> 20) + " MiB before, "
                    + (heap >> 20) + " MiB now");
        });
    }
}
