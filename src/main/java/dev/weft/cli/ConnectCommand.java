package dev.weft.cli;

import dev.weft.tls.ClientOptions;
import dev.weft.tls.ErrorCode;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft connect}: the echo client of Node's tls documentation. */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {"The TLS client of Node's tls documentation: connects, reports on stderr whether the server is authorized, copies"
                + " stdin to the connection and the connection to stdout, and exits when the server ends it.",
                "A failed handshake exits 1 with the error code and message."},
        footer = {"", "Examples:", "  ./weft connect 127.0.0.1:8000 --ca /tmp/weft-serve-123-cert.pem",
                "  ./weft connect --starttls smtp 127.0.0.1:2525 --ca starttls-cert.pem",
                "  echo hello | ./weft connect localhost:8000 --insecure"})
final class ConnectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "Server to connect to ([::1]:8000 for IPv6).")
    String target;

    @Mixin
    ProviderOption provider;

    @Mixin
    NegotiationOptions negotiation;

    @Option(names = "--key", description = "Client private key, PEM.")
    Path key;

    @Option(names = "--cert", description = "Client certificate chain, PEM.")
    Path cert;

    @Option(names = "--passphrase", description = "Passphrase of an encrypted key.")
    String passphrase;

    @Option(names = "--ca", description = "Trusted CA(s), PEM (repeatable). Default: the JDK's roots.")
    List<Path> ca = List.of();

    @Option(names = "--servername", description = "SNI name, also checked against the certificate. \"\" sends none.")
    String servername;

    @Option(names = "--insecure", description = "Do not refuse a server whose certificate does not verify"
            + " (rejectUnauthorized: false); still report why.")
    boolean insecure;

    @Option(names = "--print-cert", arity = "0..1", fallbackValue = "plain", paramLabel = "detailed",
            description = "Print the server's certificate to stderr as Node's getPeerCertificate() JSON;"
                    + " --print-cert=detailed adds the issuer chain.")
    String printCert;

    @Option(names = "--starttls", paramLabel = "PROTOCOL", description = "Speak PROTOCOL's plaintext preamble"
            + " first, then upgrade the connection to TLS (STARTTLS). Supported: smtp.")
    String starttls;

    @Override
    public Integer call() throws Exception {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new ParameterException(spec.commandLine(), "expected HOST:PORT, got '" + target + "'");
        }
        String host = target.substring(0, colon).replaceAll("^\\[|\\]$", "");
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "bad port in '" + target + "'");
        }
        ClientOptions.Builder b = ClientOptions.builder().provider(provider.provider()).rejectUnauthorized(!insecure)
                .servername(servername).alpnProtocols(negotiation.alpn());
        negotiation.applyTo(b);
        if (key != null) {
            b.key(key);
        }
        if (cert != null) {
            b.cert(cert);
        }
        if (passphrase != null) {
            b.passphrase(passphrase);
        }
        ca.forEach(b::ca);
        PrintStream err = System.err;
        if (starttls != null && !starttls.equals("smtp")) {
            throw new ParameterException(spec.commandLine(), "--starttls supports smtp, not '" + starttls + "'");
        }
        try (TlsSocket socket = starttls == null ? Tls.connect(port, host, b.build())
                : smtpStartTls(host, port, b.build())) {
            err.println("client connected " + (socket.authorized() ? "authorized"
                    : "unauthorized (" + socket.authorizationError() + ")"));
            if (negotiation.alpn().length > 0) {
                err.println("alpn " + socket.alpnProtocol().orElse("none"));
            }
            if (printCert != null) {
                boolean detailed = printCert.equals("detailed");
                err.println(socket.peerCertificate(detailed).map(c -> c.toJson(detailed)).orElse("{}"));
            }
            Thread.ofVirtual().name("weft-stdin").start(() -> pumpStdin(socket));
            InputStream in = socket.getInputStream();
            OutputStream out = System.out;
            byte[] buf = new byte[16384];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    lastRead = System.nanoTime();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    throw e;
                }
            }
        }
        return 0;
    }

    /**
     * SMTP's preamble in plaintext (greeting, EHLO, STARTTLS), then {@link Tls#upgrade}. Replies are read a byte
     * at a time from the socket itself, so nothing past the 220 is consumed before TLS starts.
     */
    private static TlsSocket smtpStartTls(String host, int port, ClientOptions options) throws IOException {
        java.net.Socket plain = new java.net.Socket();
        try {
            plain.connect(new java.net.InetSocketAddress(host, port),
                    (int) Math.max(1, options.handshakeTimeout().toMillis()));
            plain.setSoTimeout((int) Math.max(1, options.handshakeTimeout().toMillis()));
            InputStream in = plain.getInputStream();
            expect(in, "220", "greeting");
            send(plain, "EHLO weft.invalid");
            if (!expect(in, "250", "EHLO").contains("STARTTLS")) {
                throw new dev.weft.tls.TlsException(ErrorCode.STARTTLS_UNSUPPORTED, "the SMTP server at " + host + ":"
                        + port + " does not advertise STARTTLS");
            }
            send(plain, "STARTTLS");
            expect(in, "220", "STARTTLS");
            plain.setSoTimeout(0);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
        return Tls.upgrade(plain, host, options);
    }

    private static void send(java.net.Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Reads one SMTP reply (all its lines) and returns it; fails unless its code is {@code code}. */
    private static String expect(InputStream in, String code, String what) throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c == -1) {
                    throw new dev.weft.tls.TlsException(ErrorCode.ECONNRESET, "the SMTP server closed the connection during "
                            + what + (reply.isEmpty() ? "" : " after: " + reply.toString().strip()));
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                if (!line.toString().startsWith(code)) {
                    throw new dev.weft.tls.TlsException(ErrorCode.STARTTLS_REFUSED, "the SMTP server answered "
                            + what + " with: " + reply.toString().strip());
                }
                return reply.toString();
            }
        }
    }

    private static void pumpStdin(TlsSocket socket) {
        try {
            System.in.transferTo(socket.getOutputStream());
            if (socket.canHalfClose()) {
                socket.end(); // as Node's stdin.pipe(socket): end our side, read on until the server ends
            } else {
                // The provider cannot half-close: wait for the server to go quiet, then close (as nc -q 1).
                long last;
                do {
                    last = lastRead;
                    Thread.sleep(QUIET.toMillis());
                } while (lastRead != last);
                socket.close();
            }
        } catch (IOException e) {
            // the connection ended first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final java.time.Duration QUIET = java.time.Duration.ofSeconds(1);
    private static volatile long lastRead;
}
