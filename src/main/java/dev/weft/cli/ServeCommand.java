package dev.weft.cli;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.PeerCertificate;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft serve}: the echo server of Node's tls documentation. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"The TLS echo server of Node's tls documentation: greets each client with 'welcome!' and echoes what it sends.",
                "Without --key/--cert it makes a self-signed ECDSA P-256 certificate for localhost, 127.0.0.1 and"
                        + " ::1, writes it to a file it names (trust it with openssl's -CAfile) and prints its"
                        + " SHA-256 fingerprint."},
        footer = {"", "Examples:", "  ./weft serve",
                "  openssl s_client -connect 127.0.0.1:8000 -CAfile <the file it names>",
                "  ./weft serve --port 8443 --key key.pem --cert cert.pem --ca client-ca.pem --request-cert",
                "", "SIGTERM or SIGINT drains: new connections are refused, open ones have --drain-timeout to finish,"
                        + " then are closed with close_notify; exit code 0. A second signal closes them at once."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8000", description = "Port to listen on (0 picks one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
    String host;

    @Mixin
    ProviderOption provider;

    @Mixin
    NegotiationOptions negotiation;

    @Option(names = "--key", description = "Private key, PEM.")
    Path key;

    @Option(names = "--cert", description = "Certificate chain, PEM, leaf first.")
    Path cert;

    @Option(names = "--passphrase", description = "Passphrase of an encrypted key.")
    String passphrase;

    @Option(names = "--ca", description = "Trusted CA(s) for client certificates, PEM (repeatable).")
    List<Path> ca = List.of();

    @Option(names = "--request-cert", description = "Ask clients for a certificate.")
    boolean requestCert;

    @Option(names = "--reject-unauthorized",
            description = "With --request-cert, refuse clients whose certificate does not verify (default: accept"
                    + " and print why they are unauthorized, as Node's documented example does).")
    boolean rejectUnauthorized;

    @Option(names = "--mode", defaultValue = "greet",
            description = "greet: greet with 'welcome!' and print each connection; echo: a pure echo, silent, for"
                    + " load generators and conformance tools. Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--sni", paramLabel = "NAME=CERT,KEY", description = "Serve clients asking for NAME (SNI;"
            + " *.domain covers one label) with this certificate chain and key (repeatable; the last match wins).")
    List<String> sni = List.of();

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time a client has from accept to finish its handshake (500ms, 10s, 2m). Default: 120s.")
    java.time.Duration handshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close a connection with no reads or writes for this long (500ms, 10s, 2m). Default: none.")
    java.time.Duration idleTimeout;

    @Option(names = "--watch", description = "Reload --key and --cert when they change (also through a symlink swap,"
            + " as Kubernetes does for secrets); a broken pair is refused and the current one stays.")
    boolean watch;

    @Option(names = "--print-cert", description = "Print each client's certificate as Node's getPeerCertificate()"
            + " JSON ({} when it sent none).")
    boolean printCert;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "30s", description = "On SIGTERM or SIGINT: stop accepting, let open connections finish for"
            + " this long, then close the rest with close_notify and exit 0 (a second signal cuts at once)."
            + " Default: ${DEFAULT-VALUE}.")
    java.time.Duration drainTimeout;

    @Option(names = "--ocsp-response", paramLabel = "FILE", description = "Staple this DER OCSP response (from"
            + " openssl ocsp -respout, or the CA's responder) when a client asks (status_request); read again when"
            + " the file changes, so a job can refresh it (nginx's ssl_stapling_file). Conscrypt only"
            + " (--provider conscrypt).")
    Path ocspResponse;

    @Option(names = "--max-connections", defaultValue = "0", description = "Drop connections past this many (0: no limit).")
    int maxConnections;

    enum Mode { greet, echo }

    /**
     * The server's operational lines (listening, stopped accepting, shut down, certificates near expiry) at INFO,
     * though the command line logs only warnings elsewhere. Held here: the JDK keeps loggers only weakly.
     */
    private static final java.util.logging.Logger SERVER_LOG = java.util.logging.Logger.getLogger("dev.weft.tls.server");

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("java.util.logging.config.file") == null) {
            SERVER_LOG.setLevel(java.util.logging.Level.INFO);
            for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
                h.setLevel(java.util.logging.Level.INFO);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        ServerOptions.Builder b = ServerOptions.builder().provider(provider.provider())
                .requestCert(requestCert).rejectUnauthorized(rejectUnauthorized)
                .alpnProtocols(negotiation.alpn());
        if (handshakeTimeout != null) {
            b.handshakeTimeout(handshakeTimeout);
        }
        b.idleTimeout(idleTimeout);
        negotiation.applyTo(b);
        if ((key == null) != (cert == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give --key and --cert together");
        }
        if (key != null) {
            b.key(key).cert(cert);
        } else {
            HeldCertificate self = Certs.selfSigned("localhost").san("127.0.0.1", "::1").build();
            Path file = Files.createTempFile("weft-serve-", "-cert.pem");
            Files.writeString(file, self.certificatePem());
            b.key(self.privateKeyPem()).cert(self.certificatePem());
            out.println("generated a self-signed certificate for localhost, 127.0.0.1, ::1: " + file);
            out.println("sha256 fingerprint " + fingerprint(self));
        }
        if (passphrase != null) {
            b.passphrase(passphrase);
        }
        ca.forEach(b::ca);
        if (ocspResponse != null) {
            if (!Files.isReadable(ocspResponse)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--ocsp-response: cannot read "
                        + ocspResponse);
            }
            b.ocspResponder(new OcspResponseFile(ocspResponse));
        }
        boolean greet = mode == Mode.greet;
        TlsServer server = Tls.createServer(b.build(), socket -> handle(socket, greet, printCert, out));
        for (String entry : sni) {
            int eq = entry.indexOf('=');
            int comma = entry.indexOf(',', eq + 1);
            if (eq <= 0 || comma < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--sni takes NAME=CERT,KEY, got '" + entry + "'");
            }
            server.addContext(entry.substring(0, eq), Tls.createSecureContext(dev.weft.tls.ContextOptions.builder()
                    .cert(Path.of(entry.substring(eq + 1, comma))).key(Path.of(entry.substring(comma + 1)))
                    .build()));
        }
        if (watch) {
            if (key == null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--watch needs --key and --cert");
            }
            server.watchCredentials(cert, key, java.time.Duration.ofSeconds(1));
        }
        server.maxConnections(maxConnections);
        server.onClientError((e, remote) -> {
            if (greet) {
                synchronized (out) {
                    out.println("client error " + remote + ": " + e.code() + " " + e.getMessage());
                    out.flush();
                }
            }
        });
        server.listen(port, host);
        synchronized (out) {
            out.println("server bound " + server.address().getAddress().getHostAddress() + ":"
                    + server.address().getPort() + " (" + server.provider().cliName() + ")");
            out.flush();
        }
        ShutdownSignals.drainOnSignal(server, drainTimeout).await();
        return 0;
    }

    private static void handle(TlsSocket socket, boolean greet, boolean printCert, PrintWriter out)
            throws IOException {
        if (greet || printCert) {
            synchronized (out) {
                if (greet) {
                    out.println("server connected " + (socket.authorized() ? "authorized"
                            : "unauthorized" + (socket.authorizationError() == null ? ""
                                    : " (" + socket.authorizationError() + ")")));
                }
                if (printCert) {
                    out.println(socket.peerCertificate().map(PeerCertificate::toJson).orElse("{}"));
                }
                out.flush();
            }
        }
        if (greet) {
            socket.write("welcome!\n");
        }
        // Node's socket.pipe(socket): weft's transferTo holds no buffer while the connection is idle
        socket.getInputStream().transferTo(socket.getOutputStream());
    }

    static String fingerprint(HeldCertificate c) throws NoSuchAlgorithmException, CertificateEncodingException {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(c.certificate().getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    }
}
