package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raw-byte clients that are not TLS clients, per provider: each is refused within a bound with Node's code, the
 * peer gets an alert or a close (never a hang), and the next normal client is served.
 */
class HostileClientTest {
    record Case(String name, byte[] bytes, String code) {
    }

    static final byte[] TLS11_ONLY_HELLO = {22, 3, 1, 0, 45, 1, 0, 0, 41, 3, 2, // record, handshake, TLS 1.1
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // random
            0, 0, 2, 0, 0x2f, 1, 0}; // no session id, one suite, null compression, no extensions

    static final List<Case> CASES = List.of(
            new Case("plain HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    "ERR_SSL_HTTP_REQUEST"),
            new Case("garbage", "\u0001\u0002\u0003 not tls at all".getBytes(StandardCharsets.US_ASCII),
                    "ERR_SSL_WRONG_VERSION_NUMBER"),
            new Case("SSLv2 hello", new byte[] {(byte) 0x80, 0x2e, 1, 0, 2, 0, 0x15, 0, 0, 0, 0x10},
                    "ERR_SSL_UNSUPPORTED_PROTOCOL"),
            new Case("TLS 1.1 only", TLS11_ONLY_HELLO, "ERR_SSL_UNSUPPORTED_PROTOCOL"),
            new Case("connect and close", new byte[0], "ECONNRESET"));

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void eachIsRefusedWithItsCodeAndTheServerGoesOn(JsseProvider p) throws Exception {
        List<TlsException> errors = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                .handshakeTimeout(Duration.ofMillis(500)), EchoServers.ECHO)) {
            server.onClientError((e, remote) -> errors.add(e));
            for (Case c : CASES) {
                errors.clear();
                long start = System.nanoTime();
                try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
                    raw.setSoTimeout(5000);
                    if (c.bytes().length == 0) {
                        raw.close();
                    } else {
                        raw.getOutputStream().write(c.bytes());
                        raw.getOutputStream().flush();
                        drain(raw.getInputStream()); // an alert and a close, or a close: never a hang
                    }
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
                assertEquals(c.code(), errors.getFirst().code(), c.name() + ": " + errors.getFirst().getMessage());
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), c.name());
                assertEquals("next", served(server, p), "the next client is served after " + c.name());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void silentAndTricklingClientsAreCutOffAtTheDeadline(JsseProvider p) throws Exception {
        List<TlsException> errors = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                .handshakeTimeout(Duration.ofMillis(400)), EchoServers.ECHO)) {
            server.onClientError((e, remote) -> errors.add(e));
            try (Socket silent = new Socket("127.0.0.1", server.address().getPort());
                    Socket trickle = new Socket("127.0.0.1", server.address().getPort())) {
                silent.setSoTimeout(5000);
                trickle.setSoTimeout(5000);
                long start = System.nanoTime();
                // a slowloris: the first bytes of a ClientHello, one every 100 ms, well past the deadline
                for (int i = 0; i < 8; i++) {
                    try {
                        trickle.getOutputStream().write(TLS11_ONLY_HELLO[i]);
                    } catch (IOException closed) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertEquals("next", served(server, p), "a normal client is served meanwhile");
                drain(silent.getInputStream());
                drain(trickle.getInputStream());
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "cut off near the deadline");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> errors.size() >= 2);
            assertTrue(errors.stream().allMatch(e -> e.code().equals("ERR_TLS_HANDSHAKE_TIMEOUT")), errors.toString());
        }
    }

    private static void drain(InputStream in) {
        try {
            in.readAllBytes();
        } catch (IOException reset) {
            // a reset is an answer too
        }
    }

    private static String served(TlsServer server, JsseProvider p) throws Exception {
        try (TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder().provider(p)
                .ca(TestCerts.ROOT.certificatePem()).build())) {
            return EchoServers.roundTrip(c, "next");
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void idleConnectionsAreClosedAndActiveOnesAreNot(JsseProvider p) throws Exception {
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                .idleTimeout(Duration.ofMillis(400)), EchoServers.ECHO);
                TlsSocket idle = connect(server, p);
                TlsSocket busy = connect(server, p)) {
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) { // 800 ms of traffic, each gap well under the limit
                assertEquals("b", EchoServers.roundTrip(busy, "b"));
                Thread.sleep(100);
            }
            assertEquals(-1, readOrEnd(idle), "the idle connection was closed by the server");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
            assertEquals("still", EchoServers.roundTrip(busy, "still"), "the busy one lives on");
        }
    }

    private static TlsSocket connect(TlsServer server, JsseProvider p) throws TlsException {
        return Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder().provider(p)
                .ca(TestCerts.ROOT.certificatePem()).build());
    }

    private static int readOrEnd(TlsSocket s) {
        try {
            return s.getInputStream().read();
        } catch (IOException e) {
            return -1;
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void hundredsOfHostileConnectionsLeaveNothingBehind(JsseProvider p) throws Exception {
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                .handshakeTimeout(Duration.ofMillis(300)), EchoServers.ECHO)) {
            served(server, p); // warm up: classes loaded, provider initialised
            long fdsBefore = openFileDescriptors();
            for (int round = 0; round < 60; round++) {
                for (Case c : CASES) {
                    try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
                        raw.setSoTimeout(5000);
                        if (c.bytes().length > 0) {
                            raw.getOutputStream().write(c.bytes());
                            drain(raw.getInputStream());
                        }
                    } catch (IOException ignored) {
                        // reset: fine
                    }
                }
                try (Socket silent = new Socket("127.0.0.1", server.address().getPort())) {
                    silent.setSoTimeout(50); // leave it to the server's deadline
                }
            }
            assertEquals("next", served(server, p));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> openFileDescriptors() <= fdsBefore + 10);
        }
    }

    private static long openFileDescriptors() throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void clientRenegotiationIsRefused(JsseProvider p) throws Exception {
        java.util.concurrent.CompletableFuture<Exception> handlerSaw = new java.util.concurrent.CompletableFuture<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p), s -> {
            try {
                EchoServers.echo(s);
                handlerSaw.complete(null);
            } catch (Exception e) {
                handlerSaw.complete(e);
            }
        })) {
            // SunJSSE's client renegotiates in TLS 1.2 when asked to start a second handshake
            try (TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                    .provider(JsseProvider.SUN).maxVersion("TLSv1.2").ca(TestCerts.ROOT.certificatePem()).build())) {
                assertEquals("a", EchoServers.roundTrip(c, "a"));
                try {
                    c.unwrap().startHandshake();
                    c.write("b");
                    c.getInputStream().read();
                } catch (IOException expected) {
                    // the server cut the connection
                }
            }
            Exception e = handlerSaw.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(e instanceof TlsException, "the handler's read must fail: " + e);
            assertEquals("ERR_TLS_SESSION_ATTACK", ((TlsException) e).code());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void truncatedTellsACloseNotifyFromATcpClose(JsseProvider p) throws Exception {
        List<Boolean> truncated = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p), s -> {
            byte[] buf = new byte[64];
            while (s.getInputStream().read(buf) >= 0) {
                // until the end, however it comes
            }
            truncated.add(s.truncated());
        })) {
            for (boolean clean : new boolean[] {true, false}) {
                int expected = truncated.size() + 1;
                TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(p).ca(TestCerts.ROOT.certificatePem()).build());
                c.write("x");
                if (clean) {
                    c.close(); // close_notify, then TCP close
                } else {
                    c.destroy(); // TCP close only
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> truncated.size() == expected);
            }
            assertEquals(List.of(false, true), truncated);
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aPeerThatNeverReadsStallsTheWriterWithFlatHeapAndCloseReleasesIt(JsseProvider p) throws Exception {
        java.util.concurrent.CompletableFuture<TlsSocket> serverSide = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CompletableFuture<Exception> writerEnded = new java.util.concurrent.CompletableFuture<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p), s -> {
            serverSide.complete(s);
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 1600; i++) { // 100 MiB at a client that never reads
                    s.getOutputStream().write(chunk);
                    written.addAndGet(chunk.length);
                }
                writerEnded.complete(null);
            } catch (Exception e) {
                writerEnded.complete(e);
            }
        });
                TlsSocket idleReader = connect(server, p)) {
            TlsSocket s = serverSide.get(10, java.util.concurrent.TimeUnit.SECONDS);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            // the writer stalls: after a while nothing more is written, long before 100 MiB
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long a = written.get();
                Thread.sleep(300);
                return a == written.get() && a > 0;
            });
            assertTrue(written.get() < 32L << 20, "wrote " + written.get() + " bytes to a peer that reads nothing");
            System.gc();
            long heapGrowth = (rt.totalMemory() - rt.freeMemory()) - heapBefore;
            assertTrue(heapGrowth < 32L << 20, "heap grew by " + heapGrowth + " bytes");
            long start = System.nanoTime();
            s.close(); // from another thread than the blocked writer
            Exception e = writerEnded.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(e != null, "the blocked write must fail once the connection is closed");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 2000, "close released the blocked writer after " + ms + " ms");
            System.out.printf("back-pressure %s: stalled after %d KiB, heap %+d KiB, close released the writer in %d ms%n",
                    p, written.get() >> 10, heapGrowth >> 10, ms);
        }
    }

    /** Raw first flights that are TLS-shaped but wrong: each gets a close within a bound and a code. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> malformedFlights() {
        byte[] appDataFirst = {23, 3, 3, 0, 5, 1, 2, 3, 4, 5}; // application data before any ClientHello
        byte[] alertFirst = {21, 3, 3, 0, 2, 2, 40}; // an alert before the ClientHello
        byte[] oversized = new byte[5 + 18000]; // a handshake record longer than TLS allows
        oversized[0] = 22;
        oversized[1] = 3;
        oversized[2] = 3;
        oversized[3] = (byte) (18000 >> 8);
        oversized[4] = (byte) 18000;
        byte[] hugeHandshake = {22, 3, 3, 0, 4, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff}; // a 16 MiB ClientHello, promised
        byte[] noSharedCipher = java.util.Arrays.copyOf(TLS11_ONLY_HELLO, TLS11_ONLY_HELLO.length);
        noSharedCipher[9] = 3; // TLS 1.2 hello offering only TLS_RSA_WITH_AES_128_CBC_SHA, which weft never enables
        noSharedCipher[10] = 3;
        byte[] badAlpn = SniTest.clientHelloWithServerNameList(new byte[] {0, 0, 6, 'a', '.', 't', 'e', 's', 't'});
        // turn the server_name extension (type 0) into ALPN (type 16) with a list that does not parse
        badAlpn[badAlpn.length - 16] = 0;
        badAlpn[badAlpn.length - 15] = 16;
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("application data first", appDataFirst),
                org.junit.jupiter.params.provider.Arguments.of("alert first", alertFirst),
                org.junit.jupiter.params.provider.Arguments.of("oversized record", oversized),
                org.junit.jupiter.params.provider.Arguments.of("handshake message longer than any record", hugeHandshake),
                org.junit.jupiter.params.provider.Arguments.of("no shared cipher", noSharedCipher),
                org.junit.jupiter.params.provider.Arguments.of("malformed ALPN", badAlpn));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("malformedFlights")
    void malformedTlsIsClosedWithACodeOnEveryProvider(String what, byte[] flight) throws Exception {
        for (JsseProvider p : JsseProvider.values()) {
            List<TlsException> errors = new CopyOnWriteArrayList<>();
            try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                    .handshakeTimeout(Duration.ofMillis(800)), EchoServers.ECHO)) {
                server.onClientError((e, remote) -> errors.add(e));
                long start = System.nanoTime();
                try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
                    raw.setSoTimeout(5000);
                    raw.getOutputStream().write(flight);
                    raw.getOutputStream().flush();
                    drain(raw.getInputStream());
                } catch (IOException reset) {
                    // a reset is a close too
                }
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), p + " " + what + ": no hang");
                await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
                assertTrue(!errors.getFirst().code().isEmpty(), p + " " + what);
                assertEquals("next", served(server, p), p + ": the next client is served after " + what);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void resetMidRecordIsThatConnectionsAlone(JsseProvider p) throws Exception {
        List<TlsException> errors = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                .handshakeTimeout(Duration.ofMillis(800)), EchoServers.ECHO)) {
            server.onClientError((e, remote) -> errors.add(e));
            try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
                raw.getOutputStream().write(java.util.Arrays.copyOf(TLS11_ONLY_HELLO, 20)); // half a record
                raw.setSoLinger(true, 0); // then RST instead of FIN
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
            assertEquals("next", served(server, p));
        }
    }
}
