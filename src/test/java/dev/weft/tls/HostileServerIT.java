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
class HostileServerIT {
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
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
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
            TlsException again = assertThrows(TlsException.class, () -> c.getOutputStream().write(1));
            assertEquals("ERR_STREAM_WRITE_AFTER_END", again.code(), "through the stream too");
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aServerEndingWithoutCloseNotifyIsAnEndMarkedTruncated(JsseProvider p) throws Exception {
        for (boolean closeNotify : new boolean[] {true, false}) {
            try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p), s -> {
                s.write("bye");
                if (closeNotify) {
                    s.close();
                } else {
                    s.destroy();
                }
            }); TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                    .provider(p).ca(TestCerts.ROOT.certificatePem()).build())) {
                assertEquals("bye", EchoServers.read(c, 3));
                assertEquals(-1, c.getInputStream().read());
                assertEquals(!closeNotify, c.truncated(), closeNotify ? "clean end" : "truncated");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void garbageAfterTheHandshakeIsATlsErrorWithACode(JsseProvider p) throws Exception {
        // a proxy that forwards faithfully until the client sends application data, then flips a byte in the
        // next record from the server: the client's read must fail with a code, not hang or return bad data
        try (TlsServer server = EchoServers.start(p);
                ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicBoolean clientSentData = new java.util.concurrent.atomic.AtomicBoolean();
            Thread.ofVirtual().start(() -> {
                try (Socket client = proxy.accept();
                        Socket upstream = new Socket("127.0.0.1", server.address().getPort())) {
                    Thread.ofVirtual().start(() -> {
                        try {
                            byte[] b = new byte[16384];
                            int records = 0;
                            for (int n; (n = client.getInputStream().read(b)) > 0; ) {
                                records += b[0] == 23 ? 1 : 0;
                                if (records >= 1) { // TLS 1.2: the Finished is a handshake record, 23 is data
                                    clientSentData.set(true);
                                }
                                upstream.getOutputStream().write(b, 0, n);
                            }
                        } catch (IOException ignored) {
                            // done
                        }
                    });
                    byte[] b = new byte[16384];
                    for (int n; (n = upstream.getInputStream().read(b)) > 0; ) {
                        if (clientSentData.get() && n > 10) {
                            b[n - 1] ^= 0x5a; // corrupt the record's tag
                        }
                        client.getOutputStream().write(b, 0, n);
                    }
                } catch (IOException ignored) {
                    // done
                }
            });
            try (TlsSocket c = Tls.connect(proxy.getLocalPort(), "127.0.0.1", ClientOptions.builder().provider(p)
                    .maxVersion("TLSv1.2").ca(TestCerts.ROOT.certificatePem()).build())) {
                c.write("first");
                TlsException e = assertThrows(TlsException.class, () -> c.getInputStream().readNBytes(5));
                assertEquals("ERR_WEFT_TLS_PROTOCOL", e.code(), e.getMessage());
            }
        }
    }

    /**
     * A server that refuses a client without a certificate (openssl s_server -Verify, TLS 1.3) says so with a
     * certificate_required alert after the client's handshake: the client's read fails with Node's code for it,
     * not an end of stream.
     */
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aFatalAlertFromTheServerIsAnErrorWithItsCode(JsseProvider p, @org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path cert = dir.resolve("cert.pem");
        java.nio.file.Path key = dir.resolve("key.pem");
        java.nio.file.Files.writeString(cert, TestCerts.SERVER.chainPem());
        java.nio.file.Files.writeString(key, TestCerts.SERVER.privateKeyPem());
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (dev.weft.testing.Tool server = dev.weft.testing.Tool.start(dir, "openssl", "s_server", "-accept",
                "127.0.0.1:" + port, "-cert", cert.toString(), "-key", key.toString(), "-naccept", "1", "-rev",
                "-Verify", "1", "-tls1_3")) {
            server.awaitStdout("ACCEPT", Duration.ofSeconds(30));
            TlsException e = assertThrows(TlsException.class, () -> {
                try (TlsSocket c = Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(p)
                        .ca(TestCerts.ROOT.certificatePem()).build())) {
                    c.write("hello\n");
                    c.getInputStream().readAllBytes();
                }
            });
            assertEquals("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", e.code(), e.toString());
        }
    }
}
