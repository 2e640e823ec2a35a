package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Tls#socketFactory}, {@link Tls#sslContext} and {@link Tls#serverSocketFactory} in the hands of real
 * clients that only take a factory or a context: the JDK's {@code HttpsURLConnection} and {@code HttpClient}, and
 * {@code openssl s_client}; against a weft server and {@code openssl s_server -www}; on every provider. Refusals are
 * compared with what {@link Tls#connect} reports for the same server (itself held to Node by the conformance
 * tests).
 */
class SocketFactoryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A server certificate that names another host only, signed by the test root. */
    private static final HeldCertificate OTHER_HOST = Certs.server("other.example").signedBy(TestCerts.ROOT).build();

    private static ClientOptions.Builder trusting(JsseProvider provider) {
        return ClientOptions.builder().provider(provider).ca(TestCerts.ROOT.certificatePem())
                .handshakeTimeout(Duration.ofSeconds(10));
    }

    private static ServerOptions serverOptions(JsseProvider provider, HeldCertificate cert) {
        return ServerOptions.builder().provider(provider).key(cert.privateKeyPem()).cert(cert.chainPem()).build();
    }

    /** A weft server answering every HTTP request with a one-line body naming the server's provider. */
    private static TlsServer httpServer(JsseProvider provider, HeldCertificate cert) throws IOException {
        return Tls.createServer(serverOptions(provider, cert), SocketFactoryIT::answerHttp)
                .listen(0, "127.0.0.1");
    }

    private static void answerHttp(TlsSocket socket) throws IOException {
        answer(socket.getInputStream(), socket.getOutputStream(), "weft " + socket.provider().cliName() + " "
                + socket.protocol());
    }

    /** Reads one request's head and answers it, closing the connection after. */
    private static void answer(InputStream in, OutputStream out, String body) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        byte[] b = (body + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    private static String getWithUrlConnection(SSLSocketFactory factory, String url) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) URI.create(url).toURL().openConnection();
        c.setSSLSocketFactory(factory);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try (InputStream in = c.getInputStream()) {
            assertEquals(200, c.getResponseCode());
            assertNotNull(c.getCipherSuite(), "the socket's session is the connection's");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    private static String getWithHttpClient(SSLContext context, String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            return r.body();
        }
    }

    /** The Node code that {@code failure} (thrown by a JDK client) carries from weft. */
    private static String codeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TlsException e) {
                return e.code();
            }
            if (t instanceof dev.weft.tls.internal.handshake.RecordingTrustManager.Rejected r) {
                return r.code();
            }
        }
        fail("no weft code in " + failure, failure);
        return null;
    }

    /** What {@link Tls#connect} reports for the same server and options: the reference for the factories. */
    private static String connectCode(int port, String host, ClientOptions options) {
        TlsException e = assertThrows(TlsException.class, () -> Tls.connect(port, host, options).close());
        return e.code();
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void urlConnectionAndHttpClientGetFromWeftServer(JsseProvider provider) throws Exception {
        try (TlsServer server = httpServer(provider, TestCerts.SERVER)) {
            String url = "https://localhost:" + server.address().getPort() + "/";
            ClientOptions options = trusting(provider).build();
            assertTrue(getWithUrlConnection(Tls.socketFactory(options), url).startsWith("weft " + provider.cliName()));
            assertTrue(getWithHttpClient(Tls.sslContext(options), url).startsWith("weft " + provider.cliName()));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void urlConnectionAndHttpClientGetFromOpensslServer(JsseProvider provider, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        int port = Tool.freePort();
        try (Tool server = Tool.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                "cert.pem", "-key", "key.pem", "-www")) {
            server.awaitStdout("ACCEPT", WAIT);
            String url = "https://localhost:" + port + "/";
            ClientOptions options = trusting(provider).build();
            assertTrue(getWithUrlConnection(Tls.socketFactory(options), url).contains("s_server"));
            assertTrue(getWithHttpClient(Tls.sslContext(options), url).contains("s_server"));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aServerForAnotherHostIsRefusedWithTheCodeConnectGives(JsseProvider provider) throws Exception {
        try (TlsServer server = httpServer(provider, OTHER_HOST)) {
            int port = server.address().getPort();
            String url = "https://localhost:" + port + "/";
            ClientOptions options = trusting(provider).build();
            String expected = connectCode(port, "localhost", options);
            assertEquals("ERR_TLS_CERT_ALTNAME_INVALID", expected);
            IOException viaFactory = assertThrows(IOException.class,
                    () -> getWithUrlConnection(Tls.socketFactory(options), url));
            assertInstanceOf(SSLHandshakeException.class, viaFactory);
            assertEquals(expected, codeOf(viaFactory));
            assertTrue(viaFactory.getMessage().startsWith(expected), viaFactory.getMessage());
            Exception viaContext = assertThrows(IOException.class,
                    () -> getWithHttpClient(Tls.sslContext(options), url));
            assertEquals(expected, codeOf(viaContext));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void anUntrustedServerIsRefusedUnlessRejectUnauthorizedIsOff(JsseProvider provider) throws Exception {
        HeldCertificate otherRoot = Certs.ca("Another Root").build();
        HeldCertificate stranger = Certs.server("localhost", "127.0.0.1").signedBy(otherRoot).build();
        try (TlsServer server = httpServer(provider, stranger)) {
            int port = server.address().getPort();
            String url = "https://localhost:" + port + "/";
            ClientOptions options = trusting(provider).build();
            String expected = connectCode(port, "localhost", options);
            IOException viaFactory = assertThrows(IOException.class,
                    () -> getWithUrlConnection(Tls.socketFactory(options), url));
            assertEquals(expected, codeOf(viaFactory));
            Exception viaContext = assertThrows(IOException.class,
                    () -> getWithHttpClient(Tls.sslContext(options), url));
            assertEquals(expected, codeOf(viaContext));

            ClientOptions lax = trusting(provider).rejectUnauthorized(false).build();
            assertTrue(getWithUrlConnection(Tls.socketFactory(lax), url).startsWith("weft"));
            assertTrue(getWithHttpClient(Tls.sslContext(lax), url).startsWith("weft"));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aSilentServerEndsTheHandshakeAtTheDeadline(JsseProvider provider) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            SSLSocketFactory factory = Tls.socketFactory(trusting(provider)
                    .handshakeTimeout(Duration.ofMillis(300)).build());
            try (SSLSocket s = (SSLSocket) factory.createSocket("localhost", silent.getLocalPort())) {
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class, s::startHandshake);
                assertEquals("ERR_TLS_HANDSHAKE_TIMEOUT", codeOf(e));
                assertThrows(IOException.class, () -> s.getInputStream().read(),
                        "a failed handshake fails every later read");
                assertEquals("SSL_NULL_WITH_NULL_NULL", s.getSession().getCipherSuite());
            } finally {
                held.get(10, TimeUnit.SECONDS).close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void layeredSocketSpeaksOverAnExistingConnection(JsseProvider provider) throws Exception {
        try (TlsServer server = Tls.createServer(serverOptions(provider, TestCerts.SERVER), s -> {
            s.getInputStream().transferTo(s.getOutputStream());
        }).listen(0, "127.0.0.1")) {
            SSLSocketFactory factory = Tls.socketFactory(trusting(provider).build());
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
            try (SSLSocket s = (SSLSocket) factory.createSocket(plain, "localhost", plain.getPort(), true)) {
                s.getOutputStream().write("layered\n".getBytes(StandardCharsets.US_ASCII));
                byte[] back = s.getInputStream().readNBytes(8);
                assertEquals("layered\n", new String(back, StandardCharsets.US_ASCII));
                assertEquals("TLSv1.3", s.getSession().getProtocol());
            }
            assertTrue(plain.isClosed(), "autoClose: closing the TLS socket closes the connection");
        }
    }

    /** Handshakes an engine of weft's context made without a host, with {@code sni} and endpoint identification. */
    private static void handshakeHostless(SSLContext context, int port, String sni, String identification)
            throws IOException {
        javax.net.ssl.SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        javax.net.ssl.SSLParameters p = engine.getSSLParameters();
        p.setServerNames(sni == null ? java.util.List.of() : java.util.List.of(new javax.net.ssl.SNIHostName(sni)));
        p.setEndpointIdentificationAlgorithm(identification);
        engine.setSSLParameters(p);
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
        try (SSLSocket s = dev.weft.tls.internal.engine.EngineSocket.client(raw, engine)) {
            s.startHandshake();
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void anEngineMadeWithoutAHostIsCheckedAgainstItsServerName(JsseProvider provider) throws Exception {
        try (TlsServer server = httpServer(provider, TestCerts.SERVER)) {
            int port = server.address().getPort();
            SSLContext context = Tls.sslContext(trusting(provider).build());
            handshakeHostless(context, port, "localhost", "HTTPS");
            handshakeHostless(context, port, null, null); // nothing to check the name against, and nobody asked
            IOException wrongName = assertThrows(IOException.class,
                    () -> handshakeHostless(context, port, "other.example", null));
            assertEquals("ERR_TLS_CERT_ALTNAME_INVALID", codeOf(wrongName));
            IOException noName = assertThrows(IOException.class, () -> handshakeHostless(context, port, null, "HTTPS"));
            assertEquals("ERR_TLS_CERT_ALTNAME_INVALID", codeOf(noName));
        }
    }

    /** Serves HTTP on a weft server socket from the factory, one virtual thread per accepted socket. */
    private static final class FactoryServer implements AutoCloseable {
        final SSLServerSocket listening;
        final CompletableFuture<Throwable> firstFailure = new CompletableFuture<>();

        FactoryServer(ServerOptions options) throws IOException {
            listening = (SSLServerSocket) Tls.serverSocketFactory(options).createServerSocket(0, 50,
                    InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!listening.isClosed()) {
                    try {
                        SSLSocket s = (SSLSocket) listening.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                answer(s.getInputStream(), s.getOutputStream(), "factory "
                                        + s.getSession().getProtocol());
                            } catch (IOException e) {
                                firstFailure.complete(e);
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listening.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listening.close();
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void serverSocketFactoryServesHttpClientUrlConnectionAndOpenssl(JsseProvider provider, @TempDir Path dir)
            throws Exception {
        try (FactoryServer server = new FactoryServer(serverOptions(provider, TestCerts.SERVER))) {
            String url = "https://localhost:" + server.port() + "/";
            ClientOptions options = trusting(JsseProvider.SUN).build();
            assertEquals("factory TLSv1.3\n", getWithHttpClient(Tls.sslContext(options), url));
            assertEquals("factory TLSv1.3\n", getWithUrlConnection(Tls.socketFactory(options), url));
            Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
            try (Tool client = Tool.start(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                    "-servername", "localhost", "-CAfile", "ca.pem", "-verify_return_error", "-quiet")) {
                client.write("GET / HTTP/1.0\r\n\r\n");
                client.awaitStdout("factory TLSv1.3", WAIT);
                client.closeStdin();
                assertEquals(0, client.await(WAIT), client.stderr());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void serverSocketFactoryAsksForClientCertificates(JsseProvider provider, @TempDir Path dir) throws Exception {
        ServerOptions options = ServerOptions.builder().provider(provider).key(TestCerts.SERVER.privateKeyPem())
                .cert(TestCerts.SERVER.chainPem()).ca(TestCerts.ROOT.certificatePem()).requestCert(true).build();
        try (FactoryServer server = new FactoryServer(options)) {
            String url = "https://localhost:" + server.port() + "/";
            ClientOptions withCertificate = trusting(provider).key(TestCerts.CLIENT.privateKeyPem())
                    .cert(TestCerts.CLIENT.chainPem()).build();
            assertEquals("factory TLSv1.3\n", getWithUrlConnection(Tls.socketFactory(withCertificate), url));
            Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
            try (Tool client = Tool.start(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
                    "-CAfile", "ca.pem", "-quiet")) {
                client.write("GET / HTTP/1.0\r\n\r\n");
                Throwable refused = server.firstFailure.get(30, TimeUnit.SECONDS);
                assertEquals("ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE", codeOf(refused));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void serverSocketFactoryRefusesPlainHttpWithTheServersCode(JsseProvider provider) throws Exception {
        try (FactoryServer server = new FactoryServer(serverOptions(provider, TestCerts.SERVER));
                Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Throwable failure = server.firstFailure.get(30, TimeUnit.SECONDS);
            assertInstanceOf(SSLHandshakeException.class, failure);
            assertEquals("ERR_SSL_HTTP_REQUEST", codeOf(failure));
        }
    }
}
