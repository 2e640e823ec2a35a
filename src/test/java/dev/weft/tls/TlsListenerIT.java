package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The metrics listener, per provider, against real weft peers: what it sees agrees with the connections and with
 * the JFR events; one that throws breaks nothing.
 */
class TlsListenerIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HeldCertificate OTHER_ROOT = Certs.ca("Weft Listener Other Root").build();
    private static final HeldCertificate UNTRUSTED_CLIENT = Certs.client("stranger").signedBy(OTHER_ROOT).build();

    /** Records every call as a line, and keeps the open-connections gauge. */
    static final class Counting implements TlsListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Duration> durations = new CopyOnWriteArrayList<>();
        final List<List<X509Certificate>> served = new CopyOnWriteArrayList<>();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();

        @Override
        public void handshakeCompleted(JsseProvider provider, String protocol, String cipher, boolean resumed,
                Duration duration) {
            calls.add("ok " + provider.cliName() + " " + protocol + " " + cipher + " " + resumed);
            durations.add(duration);
        }

        @Override
        public void handshakeFailed(JsseProvider provider, String code, Duration duration) {
            calls.add("failed " + provider.cliName() + " " + code);
            durations.add(duration);
        }

        @Override
        public void connectionOpened() {
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        }

        @Override
        public void connectionClosed() {
            open.decrementAndGet();
        }

        @Override
        public void clientError(String code) {
            calls.add("clientError " + code);
        }

        @Override
        public void connectionDropped() {
            calls.add("dropped");
        }

        @Override
        public void certificatesServed(List<X509Certificate> certificates) {
            served.add(certificates);
        }

        long count(String prefix) {
            return calls.stream().filter(c -> c.startsWith(prefix)).count();
        }
    }

    private static ClientOptions.Builder trusting(JsseProvider p) {
        return ClientOptions.builder().provider(p).ca(TestCerts.ROOT.certificatePem());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void seesHandshakesErrorsDropsAndOpenConnectionsAsJfrDoes(JsseProvider p, @TempDir Path dir) throws Exception {
        Counting server = new Counting();
        Counting client = new Counting();
        Path file = dir.resolve("weft.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.weft.Handshake");
            recording.enable("dev.weft.ClientError");
            recording.enable("dev.weft.Drop");
            recording.start();
            try (TlsServer s = EchoServers.start(ServerOptions.builder().provider(p).listener(server)
                    .requestCert(true).ca(TestCerts.ROOT.certificatePem()), EchoServers.ECHO)) {
                int port = s.address().getPort();
                ClientOptions withCert = trusting(p).listener(client).key(TestCerts.CLIENT.privateKeyPem())
                        .cert(TestCerts.CLIENT.certificatePem()).build();
                // a full TLS 1.3 handshake, held open: the gauge shows it
                try (TlsSocket c = Tls.connect(port, "127.0.0.1", withCert)) {
                    assertEquals("ok", EchoServers.roundTrip(c, "ok"));
                    assertEquals(1, server.open.get());
                    String expected = "ok " + p.cliName() + " TLSv1.3 " + c.cipher().standardName() + " false";
                    assertEquals(List.of(expected), client.calls);
                    await().atMost(WAIT).until(() -> server.count("ok") == 1);
                    assertEquals(List.of(expected), server.calls);
                }
                // TLS 1.2, then resumed: the flag is what each end's socket says
                ClientOptions tls12 = withCert.toBuilder().maxVersion("TLSv1.2").build();
                TlsSession session;
                try (TlsSocket c = Tls.connect(port, "127.0.0.1", tls12)) {
                    assertEquals("a", EchoServers.roundTrip(c, "a"));
                    session = c.session();
                }
                boolean resumed;
                try (TlsSocket c = Tls.connect(port, "127.0.0.1", tls12.toBuilder().session(session).build())) {
                    assertEquals("b", EchoServers.roundTrip(c, "b"));
                    resumed = c.isSessionReused();
                    assertEquals("ok " + p.cliName() + " TLSv1.2 " + c.cipher().standardName() + " " + resumed,
                            client.calls.getLast());
                }
                assertTrue(resumed, "every provider resumes TLS 1.2 sessions (SessionResumptionIT)");
                // a client certificate from an unknown CA: the server's handshake fails with the code
                try (TlsSocket c = Tls.connect(port, "127.0.0.1", trusting(p).listener(client)
                        .key(UNTRUSTED_CLIENT.privateKeyPem()).cert(UNTRUSTED_CLIENT.certificatePem()).build())) {
                    c.write("x");
                    c.getInputStream().read();
                } catch (java.io.IOException expectedFailure) {
                    // TLS 1.3: the client may finish before the server refuses its certificate
                }
                await().atMost(WAIT).until(() -> server.count("failed") == 1);
                assertTrue(server.calls.contains("failed " + p.cliName() + " UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
                        server.calls.toString());
                // the client's own failure: the server is not trusted
                assertThrows(TlsException.class, () -> Tls.connect(port, "127.0.0.1",
                        ClientOptions.builder().provider(p).listener(client).build()));
                assertEquals("failed " + p.cliName() + " UNABLE_TO_VERIFY_LEAF_SIGNATURE", client.calls.getLast());
                // plain HTTP on the TLS port: refused before any handshake, a client error only
                try (Socket raw = new Socket("127.0.0.1", port)) {
                    raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
                    raw.getInputStream().readAllBytes();
                }
                await().atMost(WAIT).until(() -> server.calls.contains("clientError ERR_SSL_HTTP_REQUEST"));
                await().atMost(WAIT).until(() -> s.connections() == 0);
                assertEquals(0, server.open.get(), "every opened connection was closed");
                // past maxConnections: dropped
                s.maxConnections(1);
                try (TlsSocket held = Tls.connect(port, "127.0.0.1", withCert)) {
                    assertThrows(TlsException.class, () -> Tls.connect(port, "127.0.0.1",
                            withCert.toBuilder().handshakeTimeout(Duration.ofSeconds(5)).build()));
                    assertEquals("held", EchoServers.roundTrip(held, "held"));
                    assertEquals(1, server.open.get());
                }
                await().atMost(WAIT).until(() -> s.connections() == 0);
                assertEquals(1, server.count("dropped"));
                assertEquals(0, server.open.get());
            }
            recording.stop();
            recording.dump(file);
        }
        assertTrue(server.durations.stream().allMatch(d -> d.toNanos() > 0));
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<String> jfrServer = new ArrayList<>();
        List<String> jfrClient = new ArrayList<>();
        for (RecordedEvent e : events) {
            String line = switch (e.getEventType().getName()) {
                case "dev.weft.Handshake" -> "failed".equals(e.getString("outcome"))
                        ? "failed " + e.getString("provider") + " " + e.getString("code")
                        : "ok " + e.getString("provider") + " " + e.getString("protocol") + " "
                                + e.getString("cipher") + " " + e.getBoolean("resumed");
                case "dev.weft.ClientError" -> "clientError " + e.getString("code");
                case "dev.weft.Drop" -> "dropped";
                default -> null;
            };
            boolean serverSide = !e.getEventType().getName().equals("dev.weft.Handshake") || e.getBoolean("server");
            (serverSide ? jfrServer : jfrClient).add(line);
        }
        // every client here had the listener: each end's calls are exactly its events
        assertEquals(sorted(server.calls), sorted(jfrServer));
        assertEquals(sorted(client.calls), sorted(jfrClient));
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    /** Throws from every method. */
    static final class Throwing implements TlsListener {
        final AtomicInteger calls = new AtomicInteger();

        private void boom() {
            calls.incrementAndGet();
            throw new IllegalStateException("listener failure (expected by the test)");
        }

        @Override
        public void handshakeCompleted(JsseProvider provider, String protocol, String cipher, boolean resumed,
                Duration duration) {
            boom();
        }

        @Override
        public void handshakeFailed(JsseProvider provider, String code, Duration duration) {
            boom();
        }

        @Override
        public void connectionOpened() {
            boom();
        }

        @Override
        public void connectionClosed() {
            boom();
        }

        @Override
        public void clientError(String code) {
            boom();
        }

        @Override
        public void connectionDropped() {
            boom();
        }

        @Override
        public void certificatesServed(List<X509Certificate> certificates) {
            boom();
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aThrowingListenerBreaksNoConnection(JsseProvider p) throws Exception {
        Throwing listener = new Throwing();
        try (TlsServer s = EchoServers.start(ServerOptions.builder().provider(p).listener(listener),
                EchoServers.ECHO)) {
            int port = s.address().getPort();
            assertEquals(1, listener.calls.get(), "certificatesServed on listen");
            for (int i = 0; i < 2; i++) {
                try (TlsSocket c = Tls.connect(port, "127.0.0.1", trusting(p).listener(listener).build())) {
                    assertEquals("still fine", EchoServers.roundTrip(c, "still fine"));
                }
            }
            assertThrows(TlsException.class, () -> Tls.connect(port, "127.0.0.1",
                    ClientOptions.builder().provider(p).listener(listener).build()));
            try (Socket raw = new Socket("127.0.0.1", port)) {
                raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
                raw.getInputStream().readAllBytes();
            }
            await().atMost(WAIT).until(() -> s.connections() == 0);
            s.maxConnections(1);
            try (TlsSocket held = Tls.connect(port, "127.0.0.1", trusting(p).build())) {
                assertThrows(TlsException.class, () -> Tls.connect(port, "127.0.0.1",
                        trusting(p).handshakeTimeout(Duration.ofSeconds(5)).build()));
                assertEquals("held", EchoServers.roundTrip(held, "held"));
            }
            await().atMost(WAIT).until(() -> s.connections() == 0);
            s.maxConnections(0);
            try (TlsSocket c = Tls.connect(port, "127.0.0.1", trusting(p).build())) {
                assertEquals("after all that", EchoServers.roundTrip(c, "after all that"));
            }
            assertTrue(s.isListening());
        }
        // listen 1; per good connection: opened, 2 completed, closed (x2, 8); the failed client: its own failure,
        // and on the server opened, failed, clientError, closed (5); HTTP: opened, clientError, closed (3);
        // held: opened, completed x2, closed (4) and the drop (1); the last: 4 ... at least every kind was called
        assertTrue(listener.calls.get() >= 20, "calls: " + listener.calls.get());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void servedCertificatesFollowContextsAndReloads(JsseProvider p) throws Exception {
        Counting listener = new Counting();
        HeldCertificate other = Certs.server("other.test").signedBy(TestCerts.ROOT).build();
        HeldCertificate renewed = Certs.server("localhost", "127.0.0.1").signedBy(TestCerts.ROOT).build();
        TlsServer s = Tls.createServer(ServerOptions.builder().provider(p).listener(listener)
                .key(TestCerts.SERVER.privateKeyPem()).cert(TestCerts.SERVER.chainPem()).build(), EchoServers.ECHO);
        try (s) {
            assertEquals(List.of(), listener.served, "nothing is served before listen");
            s.listen(0, "127.0.0.1");
            assertEquals(List.of(List.of(TestCerts.SERVER.certificate())), listener.served);
            s.addContext("other.test", Tls.createSecureContext(ContextOptions.builder()
                    .key(other.privateKeyPem()).cert(other.certificatePem()).build()));
            assertEquals(List.of(TestCerts.SERVER.certificate(), other.certificate()), listener.served.getLast());
            s.setSecureContext(Tls.createSecureContext(ContextOptions.builder()
                    .key(renewed.privateKeyPem()).cert(renewed.certificatePem()).build()));
            assertEquals(List.of(renewed.certificate(), other.certificate()), listener.served.getLast());
            assertEquals(listener.served.getLast(), s.servedCertificates());
            assertEquals(3, listener.served.size());
            // what the server serves is what a client gets
            try (TlsSocket c = Tls.connect(s.address().getPort(), "127.0.0.1", trusting(p).build())) {
                assertEquals(renewed.certificate(), c.peerCertificateChain().getFirst());
            }
            await().atMost(WAIT).until(() -> listener.count("ok ") == 1);
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void keylogIsRefusedWithItsCodeOnEveryProvider(JsseProvider p) throws Exception {
        ServerOptions server = ServerOptions.builder().provider(p).keylog(line -> { })
                .key(TestCerts.SERVER.privateKeyPem()).cert(TestCerts.SERVER.chainPem()).build();
        TlsException e = assertThrows(TlsException.class, () -> Tls.createServer(server, EchoServers.ECHO));
        assertEquals("ERR_WEFT_KEYLOG_UNSUPPORTED", e.code());
        assertTrue(e.getMessage().contains(p.cliName()), e.getMessage());
        try (TlsServer s = EchoServers.start(p)) {
            TlsException c = assertThrows(TlsException.class, () -> Tls.connect(s.address().getPort(), "127.0.0.1",
                    trusting(p).keylog(line -> { }).build()));
            assertEquals("ERR_WEFT_KEYLOG_UNSUPPORTED", c.code());
            assertTrue(c.getMessage().contains(p.cliName()), c.getMessage());
            assertEquals(0, s.connections(), "refused before connecting");
        }
    }
}
