import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The echo server of Node's tls documentation, written with weft. Run it with {@code ./weft sample EchoServer [--port 8000]}.
 * It writes its self-signed certificate to server-cert.pem, which EchoClient (and openssl's -CAfile) trusts.
 */
public class EchoServer {
    public static void main(String[] args) throws Exception {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8000;

        HeldCertificate cert = Certs.selfSigned("localhost").san("127.0.0.1").build();
        Files.writeString(Path.of("server-cert.pem"), cert.certificatePem());

        ServerOptions options = ServerOptions.builder()
                .key(cert.privateKeyPem())
                .cert(cert.certificatePem())
                .build();

        TlsServer server = Tls.createServer(options, socket -> {
            System.out.println("server connected " + (socket.authorized() ? "authorized" : "unauthorized"));
            socket.write("welcome!\n");
            socket.getInputStream().transferTo(socket.getOutputStream());
        });
        server.listen(port, "127.0.0.1", () -> System.out.println("server bound"));
        System.out.println("listening on port " + server.address().getPort());
    }
}
