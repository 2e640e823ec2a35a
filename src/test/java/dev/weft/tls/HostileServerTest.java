package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** weft's client against servers that are not TLS servers (issue 7; scenario 35), per provider. */
class HostileServerTest {
    /** A one-connection raw server doing {@code behaviour} with the accepted socket. */
    static int rawServer(ServerSocket ss, Consumer<Socket> behaviour) {
        Thread.ofVirtual().start(() -> {
            try (Socket s = ss.accept()) {
                behaviour.accept(s);
            } catch (IOException ignored) {
                // the test's client decides what it saw
            }
        });
        return ss.getLocalPort();
    }

    static TlsException connectFails(JsseProvider p, int port, Duration timeout) {
        return assertThrows(TlsException.class, () -> Tls.connect(port, "127.0.0.1", ClientOptions.builder()
                .provider(p).ca(TestCerts.ROOT.certificatePem()).handshakeTimeout(timeout).build()));
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void plaintextReplyIsWrongVersionNumber(JsseProvider p) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = rawServer(ss, s -> {
                try {
                    s.getInputStream().read(new byte[512]);
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                } catch (IOException | InterruptedException ignored) {
                    // done
                }
            });
            TlsException e = connectFails(p, port, Duration.ofSeconds(10));
            assertEquals("ERR_SSL_WRONG_VERSION_NUMBER", e.code(), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void closeAfterTheClientHelloIsEconnreset(JsseProvider p) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = rawServer(ss, s -> {
                try {
                    s.getInputStream().read(new byte[512]);
                } catch (IOException ignored) {
                    // then close
                }
            });
            TlsException e = connectFails(p, port, Duration.ofSeconds(10));
            assertEquals("ECONNRESET", e.code(), e.getMessage());
            assertTrue(e.getMessage().startsWith("Client network socket disconnected before secure TLS connection "
                    + "was established"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aStallingServerHitsTheClientsDeadline(JsseProvider p) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = rawServer(ss, s -> {
                try {
                    s.getInputStream().read(new byte[512]);
                    Thread.sleep(3000); // never answers within the client's deadline
                } catch (IOException | InterruptedException ignored) {
                    // done
                }
            });
            long start = System.nanoTime();
            TlsException e = connectFails(p, port, Duration.ofMillis(400));
            assertEquals("ERR_TLS_HANDSHAKE_TIMEOUT", e.code(), e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aClosedPortIsEconnrefusedAndWriteAfterEndFails(JsseProvider p) throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        assertEquals("ECONNREFUSED", connectFails(p, port, Duration.ofSeconds(5)).code());
        try (TlsServer server = EchoServers.start(p);
                TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(p).ca(TestCerts.ROOT.certificatePem()).build())) {
            c.end();
            TlsException e = assertThrows(TlsException.class, () -> c.write("x"));
            assertEquals("ERR_STREAM_WRITE_AFTER_END", e.code());
            assertEquals("write after end", e.getMessage());
        }
    }
}
