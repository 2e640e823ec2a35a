package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** STARTTLS: {@link Tls#upgrade} and {@link Tls#upgradeServer} on a plain connection (Node scenario 43). */
class StartTlsIT {
    interface PlainServer {
        void serve(Socket s) throws Exception;
    }

    /** Accepts one plain connection on 127.0.0.1 and runs {@code body} on it; the future holds its outcome. */
    static final class OnePlain implements AutoCloseable {
        final ServerSocket listener;
        final CompletableFuture<Object> outcome = new CompletableFuture<>();

        OnePlain(PlainServer body) throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try (Socket s = listener.accept()) {
                    body.serve(s);
                    outcome.complete("done");
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
        }

        Socket connect() throws IOException {
            return new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        Object await() throws Exception {
            return outcome.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    /** Reads one line from the socket's own stream, byte by byte: nothing past the line is consumed. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static ServerOptions serverOptions(JsseProvider provider) {
        return ServerOptions.builder().provider(provider).key(TestCerts.SERVER.privateKeyPem())
                .cert(TestCerts.SERVER.chainPem()).build();
    }

    static ClientOptions clientOptions(JsseProvider provider) {
        return ClientOptions.builder().provider(provider).ca(TestCerts.ROOT.certificatePem()).build();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void upgradesBothEndsOfAPlainConnection(JsseProvider provider) throws Exception {
        CompletableFuture<TlsSocket> serverSide = new CompletableFuture<>();
        try (OnePlain server = new OnePlain(s -> {
            assertEquals("STARTTLS", readLine(s.getInputStream()));
            send(s, "OK\r\n");
            try (TlsSocket tls = Tls.upgradeServer(s, serverOptions(provider))) {
                serverSide.complete(tls);
                EchoServers.echo(tls);
            }
        }); Socket plain = server.connect()) {
            send(plain, "STARTTLS\r\n");
            assertEquals("OK", readLine(plain.getInputStream()));
            try (TlsSocket client = Tls.upgrade(plain, "localhost", clientOptions(provider))) {
                assertTrue(client.authorized(), () -> "not authorized: " + client.authorizationError());
                assertNull(client.authorizationError());
                assertEquals("TLSv1.3", client.protocol());
                assertEquals(provider, client.provider());
                assertEquals("localhost", client.servername().orElseThrow());
                assertEquals("CN=localhost", "CN=" + client.peerCertificate().orElseThrow().subject().get("CN").getFirst());
                assertEquals("secret data\n", EchoServers.roundTrip(client, "secret data\n"));
                TlsSocket s = serverSide.get(10, TimeUnit.SECONDS);
                assertTrue(s.isServer());
                assertFalse(s.authorized(), "no requestCert: a server never authorizes its client (Node)");
                assertEquals("TLSv1.3", s.protocol());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aClientHelloAlreadyWaitingAtUpgradeIsUsedNotRefused(JsseProvider provider) throws Exception {
        try (OnePlain server = new OnePlain(s -> {
            assertEquals("STARTTLS", readLine(s.getInputStream()));
            send(s, "220 Ready to start TLS\r\n");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> s.getInputStream().available() > 0); // a fast client's ClientHello
            try (TlsSocket tls = Tls.upgradeServer(s, serverOptions(provider))) {
                EchoServers.echo(tls);
            }
        }); Socket plain = server.connect()) {
            send(plain, "STARTTLS\r\n");
            assertEquals("220 Ready to start TLS", readLine(plain.getInputStream()));
            try (TlsSocket client = Tls.upgrade(plain, "localhost", clientOptions(provider))) {
                assertTrue(client.authorized());
                assertEquals("early", EchoServers.roundTrip(client, "early"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void serverRefusesPlaintextPipelinedAfterStartTls(JsseProvider provider) throws Exception {
        try (OnePlain server = new OnePlain(s -> {
            assertEquals("STARTTLS", readLine(s.getInputStream()));
            send(s, "220 Ready to start TLS\r\n");
            Tls.upgradeServer(s, serverOptions(provider));
        }); Socket plain = server.connect()) {
            send(plain, "STARTTLS\r\nINJECTED\r\n");
            Object outcome = server.await();
            TlsException e = assertInstanceOf(TlsException.class, outcome);
            assertEquals("ERR_WEFT_STARTTLS_INJECTION", e.code(), e::toString);
            assertTrue(e.getMessage().contains("CVE-2011-0411"), e.getMessage());
            assertEquals("220 Ready to start TLS", readLine(plain.getInputStream()));
            assertEquals(-1, plain.getInputStream().read(), "the connection is closed, nothing taken as TLS");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void clientRefusesPlaintextSentAfterTheReply(JsseProvider provider) throws Exception {
        try (OnePlain server = new OnePlain(s -> {
            assertEquals("STARTTLS", readLine(s.getInputStream()));
            send(s, "220 Ready to start TLS\r\n250 INJECTED\r\n");
            s.getInputStream().read(); // until the client closes
        }); Socket plain = server.connect()) {
            send(plain, "STARTTLS\r\n");
            assertEquals("220 Ready to start TLS", readLine(plain.getInputStream()));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> plain.getInputStream().available() > 0);
            TlsException e = assertThrows(TlsException.class,
                    () -> Tls.upgrade(plain, "localhost", clientOptions(provider)));
            assertEquals("ERR_WEFT_STARTTLS_INJECTION", e.code());
            assertTrue(plain.isClosed());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void upgradeChecksTheServerIdentityAndCertificate(JsseProvider provider) throws Exception {
        try (OnePlain server = new OnePlain(s -> {
            send(s, "go\r\n");
            try (TlsSocket tls = Tls.upgradeServer(s, serverOptions(provider))) {
                EchoServers.echo(tls);
            }
        }); Socket plain = server.connect()) {
            assertEquals("go", readLine(plain.getInputStream()));
            TlsException e = assertThrows(TlsException.class,
                    () -> Tls.upgrade(plain, "example.com", clientOptions(provider)));
            assertEquals("ERR_TLS_CERT_ALTNAME_INVALID", e.code());
        }
        try (OnePlain server = new OnePlain(s -> {
            send(s, "go\r\n");
            try (TlsSocket tls = Tls.upgradeServer(s, serverOptions(provider))) {
                EchoServers.echo(tls);
            }
        }); Socket plain = server.connect()) {
            assertEquals("go", readLine(plain.getInputStream()));
            ClientOptions lenient = ClientOptions.builder().provider(provider).rejectUnauthorized(false).build();
            try (TlsSocket client = Tls.upgrade(plain, "localhost", lenient)) {
                assertFalse(client.authorized());
                assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", client.authorizationError());
                assertEquals("x", EchoServers.roundTrip(client, "x"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void upgradeServerKeepsTheHandshakeDeadline(JsseProvider provider) throws Exception {
        try (OnePlain server = new OnePlain(s -> Tls.upgradeServer(s, serverOptions(provider).toBuilder()
                .handshakeTimeout(Duration.ofMillis(300)).build())); Socket plain = server.connect()) {
            TlsException e = assertInstanceOf(TlsException.class, server.await());
            assertEquals("ERR_TLS_HANDSHAKE_TIMEOUT", e.code());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void upgradeServerVerifiesAClientCertificateWhenAsked(JsseProvider provider) throws Exception {
        CompletableFuture<TlsSocket> serverSide = new CompletableFuture<>();
        try (OnePlain server = new OnePlain(s -> {
            ServerOptions o = serverOptions(provider).toBuilder().requestCert(true).rejectUnauthorized(true)
                    .ca(TestCerts.ROOT.certificatePem()).build();
            try (TlsSocket tls = Tls.upgradeServer(s, o)) {
                serverSide.complete(tls);
                EchoServers.echo(tls);
            }
        }); Socket plain = server.connect()) {
            ClientOptions o = clientOptions(provider).toBuilder().key(TestCerts.CLIENT.privateKeyPem())
                    .cert(TestCerts.CLIENT.chainPem()).build();
            try (TlsSocket client = Tls.upgrade(plain, "127.0.0.1", o)) {
                assertEquals("y", EchoServers.roundTrip(client, "y"));
                TlsSocket s = serverSide.get(10, TimeUnit.SECONDS);
                assertTrue(s.authorized(), () -> "" + s.authorizationError());
                assertEquals("client1", s.peerCertificate().orElseThrow().subject().get("CN").getFirst());
            }
        }
    }

    private static <T> T assertInstanceOf(Class<T> type, Object o) {
        return org.junit.jupiter.api.Assertions.assertInstanceOf(type, o, () -> String.valueOf(o));
    }
}
