import dev.weft.tls.ClientOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsSocket;
import java.nio.file.Path;

/**
 * The echo client of Node's tls documentation, written with weft. Run it with {@code ./weft sample EchoClient [--port 8000]} next to
 * a running EchoServer: it trusts server-cert.pem, copies stdin to the server and the server to stdout.
 */
public class EchoClient {
    public static void main(String[] args) throws Exception {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8000;

        ClientOptions options = ClientOptions.builder()
                .ca(Path.of("server-cert.pem")) // necessary only because the server's certificate is self-signed
                .build();

        try (TlsSocket socket = Tls.connect(port, "localhost", options)) {
            System.out.println("client connected " + (socket.authorized() ? "authorized" : "unauthorized"));
            Thread.ofVirtual().start(() -> {
                try {
                    System.in.transferTo(socket.getOutputStream());
                    socket.end();
                } catch (Exception e) {
                    // the server ended the connection first
                }
            });
            socket.getInputStream().transferTo(System.out);
        }
    }
}
