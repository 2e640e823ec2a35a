import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.ClientOptions;
import dev.weft.tls.ContextOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsListener;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * The five-minute server: mutual TLS, two names served by SNI, metrics through a {@link TlsListener} and weft's
 * JFR events, with the certificates made in code. It starts the server, connects as a client with a certificate
 * to each name and once without one, and prints what each side saw.
 *
 * <p>Run it with {@code ./weft sample MutualTlsServer} (provider from {@code WEFT_PROVIDER}: sun, bc or conscrypt).
 */
public class MutualTlsServer {
    public static void main(String[] args) throws Exception {
        // 1. Certificates: a CA, a server certificate per name, a client certificate (or PEM files you have).
        HeldCertificate ca = Certs.ca("Example CA").build();
        HeldCertificate api = Certs.server("api.localhost").signedBy(ca).build();
        HeldCertificate admin = Certs.server("admin.localhost").signedBy(ca).build();
        HeldCertificate alice = Certs.client("alice").signedBy(ca).build();

        // 2. Metrics: a listener, called on each connection's thread (bind it to Micrometer: MicrometerMetrics).
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        TlsListener metrics = new TlsListener() {
            @Override
            public void handshakeCompleted(JsseProvider provider, String protocol, String cipher, boolean resumed,
                    Duration duration) {
                completed.incrementAndGet();
            }

            @Override
            public void handshakeFailed(JsseProvider provider, String code, Duration duration) {
                failed.incrementAndGet();
            }
        };

        // 3. JFR: weft's events (dev.weft.Handshake, dev.weft.ClientError, dev.weft.Drop), here in-process;
        //    from outside: java -XX:StartFlightRecording ... then jfr print --events dev.weft.Handshake file.jfr
        Recording recording = new Recording();
        recording.enable("dev.weft.Handshake");
        recording.start();

        // 4. The server: only clients with a certificate from the CA; api.localhost by default, admin.localhost by SNI.
        ServerOptions options = ServerOptions.builder()
                .key(api.privateKeyPem()).cert(api.certificatePem())
                .ca(ca.certificatePem()).requestCert(true).rejectUnauthorized(true)
                .listener(metrics)
                .build();
        TlsServer server = Tls.createServer(options, socket ->
                socket.write("hello " + socket.servername().orElse("(no name)") + "\n"));
        server.addContext("admin.localhost", Tls.createSecureContext(ContextOptions.builder()
                .key(admin.privateKeyPem()).cert(admin.certificatePem()).ca(ca.certificatePem()).build()));
        server.listen(0, "127.0.0.1");
        int port = server.address().getPort();
        System.out.println("server " + server.provider().cliName() + " listening on port " + port);

        // 5. Clients: with alice's certificate to each name, then without a certificate.
        for (String name : List.of("api.localhost", "admin.localhost")) {
            ClientOptions client = ClientOptions.builder().servername(name).ca(ca.certificatePem())
                    .key(alice.privateKeyPem()).cert(alice.certificatePem()).build();
            try (TlsSocket socket = Tls.connect(port, "127.0.0.1", client)) {
                String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                System.out.println(name + ": " + reply + " (server authorized: " + socket.authorized() + ")");
            }
        }
        try (TlsSocket socket = Tls.connect(port, "127.0.0.1",
                ClientOptions.builder().servername("api.localhost").ca(ca.certificatePem()).build())) {
            // TLS 1.3: the client's handshake ends before the server has looked at its (missing) certificate
            byte[] reply = socket.getInputStream().readAllBytes();
            System.out.println("without a certificate: " + (reply.length == 0 ? "refused (closed, no reply)"
                    : "served (unexpected)"));
        } catch (dev.weft.tls.TlsException refused) {
            System.out.println("without a certificate: refused, " + refused.code());
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // the server reports on its own thread
        while (completed.get() + failed.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("metrics: " + completed.get() + " handshakes completed, " + failed.get() + " failed");
        server.close();

        recording.stop();
        Path file = Files.createTempFile("weft-sample-", ".jfr");
        recording.dump(file);
        long events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.weft.Handshake")).count();
        Files.delete(file);
        System.out.println("JFR: " + events + " dev.weft.Handshake events (server and client sides)");
    }
}
