import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.ContextOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.SecurePair;
import dev.weft.tls.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Node v0.6's createSecurePair: two pairs, a server and a client, joined by in-memory pipes (two copying threads),
 * with no socket anywhere. Run it with {@code ./weft sample SecurePairOverPipe}; the provider comes from
 * {@code WEFT_PROVIDER}.
 */
public class SecurePairOverPipe {
    public static void main(String[] args) throws Exception {
        HeldCertificate cert = Certs.selfSigned("localhost").build();
        var serverContext = Tls.createSecureContext(ContextOptions.builder()
                .key(cert.privateKeyPem()).cert(cert.certificatePem()).build());
        var clientContext = Tls.createSecureContext(ContextOptions.builder().ca(cert.certificatePem()).build());

        SecurePair server = Tls.createSecurePair(serverContext, true, false, false);
        SecurePair client = Tls.createSecurePair(clientContext, false, false, true);
        pipe(client.encrypted().input(), server.encrypted().output());
        pipe(server.encrypted().input(), client.encrypted().output());

        client.awaitSecure(Duration.ofSeconds(10));
        server.awaitSecure(Duration.ofSeconds(10));
        System.out.println("secure " + client.protocol() + " on " + JsseProvider.resolve(null).cliName()
                + ", client " + (client.authorized() ? "authorized" : "unauthorized " + client.authorizationError()));

        client.cleartext().output().write("hello through the pipe\n".getBytes(StandardCharsets.UTF_8));
        client.cleartext().output().close(); // close_notify: the server's cleartext input ends after the line
        String got = new String(server.cleartext().input().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print("server read: " + got);
        server.close();
        System.out.println("client saw the end: " + (client.cleartext().input().read() == -1));
    }

    /** An in-memory pipe: copies on a virtual thread, and ends the far side when the near side ends. */
    static void pipe(InputStream from, OutputStream to) {
        Thread.ofVirtual().start(() -> {
            try (to) {
                from.transferTo(to);
            } catch (IOException e) {
                // a pair stopped
            }
        });
    }
}
