import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.SecureContext;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * STARTTLS the SMTP way: a plain TCP server that greets, advertises STARTTLS in its EHLO reply, and on
 * {@code STARTTLS} answers {@code 220 Ready to start TLS} and upgrades the same connection with
 * {@link Tls#upgradeServer}; then it echoes whatever arrives over TLS. It is not a mail server.
 *
 * <p>Run it with {@code ./weft sample StartTlsServer [--port 2525]} (provider from {@code WEFT_PROVIDER}) and
 * talk to it with {@code openssl s_client -starttls smtp -connect 127.0.0.1:2525 -CAfile starttls-cert.pem}
 * or {@code ./weft connect --starttls smtp 127.0.0.1:2525 --ca starttls-cert.pem}.
 *
 * <p>Commands are read from the socket's own stream one byte at a time, never through a BufferedReader: a
 * buffering reader would read past {@code STARTTLS} and keep bytes that are not its to keep (CVE-2011-0411).
 */
public class StartTlsServer {
    public static void main(String[] args) throws Exception {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 2525;

        HeldCertificate cert = Certs.selfSigned("localhost").san("127.0.0.1").build();
        Path certFile = Path.of("starttls-cert.pem").toAbsolutePath();
        Files.writeString(certFile, cert.certificatePem());
        System.out.println("certificate written to " + certFile);

        SecureContext context = Tls.createSecureContext(dev.weft.tls.ContextOptions.builder()
                .key(cert.privateKeyPem()).cert(cert.certificatePem()).build());
        ServerOptions options = ServerOptions.builder().secureContext(context).build();
        System.out.println("provider " + JsseProvider.resolve(null).cliName());

        try (ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("listening on port " + listener.getLocalPort());
            while (true) {
                Socket s = listener.accept();
                Thread.ofVirtual().start(() -> session(s, options));
            }
        }
    }

    static void session(Socket plain, ServerOptions options) {
        try (plain) {
            InputStream in = plain.getInputStream();
            reply(plain, "220 localhost weft STARTTLS sample");
            for (String line; (line = readLine(in)) != null; ) {
                String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(plain, "250-localhost greets you\r\n250-8BITMIME\r\n250 STARTTLS");
                    case "HELO" -> reply(plain, "250 localhost");
                    case "NOOP" -> reply(plain, "250 OK");
                    case "QUIT" -> {
                        reply(plain, "221 Bye");
                        return;
                    }
                    case "STARTTLS" -> {
                        reply(plain, "220 Ready to start TLS");
                        try (TlsSocket tls = Tls.upgradeServer(plain, options)) {
                            System.out.println("server upgraded " + tls.protocol());
                            tls.getInputStream().transferTo(tls.getOutputStream());
                        }
                        return;
                    }
                    default -> reply(plain, "530 Must issue a STARTTLS command first");
                }
            }
        } catch (TlsException e) {
            System.out.println("upgrade failed " + e.code());
        } catch (IOException e) {
            // the client went away
        }
    }

    /** One CRLF-terminated line, read byte by byte so nothing after it is consumed; null at the end. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
            if (b.length() > 1000) {
                throw new IOException("line too long");
            }
        }
        return c == -1 && b.isEmpty() ? null : b.toString();
    }

    static void reply(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
