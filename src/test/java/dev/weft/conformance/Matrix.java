package dev.weft.conformance;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.Tool;
import dev.weft.tls.ClientOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * weft on each provider against TLS implementations no one here wrote: openssl, gnutls, node, Python's ssl and
 * curl as clients of a weft server; openssl, gnutls and node as servers for a weft client.
 *
 * <p>Each cell (provider x peer x case x protocol x key) runs alone, with its own server and peer process, and
 * ends PASS, FAIL, an EXPECTED difference (a peer or provider that cannot do something, with the reason), or
 * UNEXPECTED_PASS (an expected difference that no longer happens, so the list never goes stale).
 */
public final class Matrix {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final long LARGE = 64L << 20;
    static final Path PEERS = Path.of(System.getProperty("weft.project.dir", "."), "conformance", "peers");

    /** The outcome of one cell. */
    enum Outcome { PASS, FAIL, EXPECTED, UNEXPECTED_PASS }

    /** One cell of the matrix. */
    record Cell(JsseProvider provider, String peer, String kase, String version, String key) {
        String id() {
            return provider.cliName() + " " + peer + " " + kase + " " + version + " " + key;
        }
    }

    /** A cell's result. */
    record Result(Cell cell, Outcome outcome, String detail, long millis) {
    }

    /** A case: throws (AssertionError or otherwise) when the cell fails. */
    @FunctionalInterface
    interface Check {
        void run(Cell cell) throws Exception;
    }

    private record Case(String peer, String kase, List<String> versions, List<String> keys, Check check) {
    }

    /** Expected differences: a predicate on the cell and the reason. */
    private record Expected(Predicate<Cell> applies, String reason) {
    }

    private final Path dir;
    private final Fixtures fx;
    private final List<Case> cases = new ArrayList<>();
    private final List<Expected> expected = new ArrayList<>();

    Matrix(Path dir) throws IOException {
        this.dir = dir;
        this.fx = new Fixtures(dir);
        defineServerSide();
        defineClientSide();
    }

    // ---------------------------------------------------------------- weft as server

    private static final List<String> BOTH = List.of("TLSv1.2", "TLSv1.3");
    private static final List<String> KEYS = List.of("rsa", "ec");

    private void defineServerSide() {
        for (String peer : List.of("openssl", "gnutls", "node", "python")) {
            cases.add(new Case(peer + "-client", "echo", BOTH, KEYS, c -> {
                try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain(c.key()), fx.serverKey(c.key()),
                        null)) {
                    String out = clientPeer(peer, s.port(), c.version(), "echo", 0, null);
                    require(out.contains("hello"), "no echo", out);
                    require(out.contains("verdict unauthorized -"), "server verdict", out);
                }
            }));
            // a server asking for client certificates (lenient) reports each client as Node would
            for (String[] k : new String[][] {{"client-cert-accepted", "client1", "verdict authorized"},
                    {"client-cert-missing", null, "verdict unauthorized UNABLE_TO_GET_ISSUER_CERT"},
                    {"client-cert-wrong-ca", "client2", "verdict unauthorized UNABLE_TO_VERIFY_LEAF_SIGNATURE"}}) {
                cases.add(new Case(peer + "-client", k[0], BOTH, List.of("ec"), c -> {
                    try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"),
                            fx.root)) {
                        String out = clientPeer(peer, s.port(), c.version(), "echo", 0, k[1]);
                        require(out.contains(k[2]), "expected '" + k[2] + "'", out);
                    }
                }));
            }
            cases.add(new Case(peer + "-client", "version-floor", List.of("TLSv1.1"), List.of("ec"), c -> {
                try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"),
                        null)) {
                    String out = clientPeer(peer, s.port(), "TLSv1.1", "echo", 0, null);
                    require(!out.contains("hello"), "a TLS 1.1 client was served", out);
                    require(s.awaitClientError(), "no client error reported", out);
                }
            }));
            cases.add(new Case(peer + "-client", "close-notify", List.of("TLSv1.3"), List.of("ec"), c -> {
                try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"),
                        null)) {
                    String out = clientPeer(peer, s.port(), c.version(), "echo", 0, null);
                    require(out.contains("hello"), "no echo", out);
                    require(s.awaitEnd(), "the server did not see a clean end of stream", out);
                }
            }));
        }
        defineNegotiationCases();
        defineClientLargeTransfer();
        for (String peer : List.of("node", "python")) {
            cases.add(new Case(peer + "-client", "large-64MiB", List.of("TLSv1.3"), List.of("ec"), c -> {
                try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"),
                        null)) {
                    String down = clientPeer(peer, s.port(), c.version(), "download", LARGE, null);
                    require(down.contains("sha256 " + Bulk.digest(LARGE)), "download digest", down);
                    String up = clientPeer(peer, s.port(), c.version(), "upload", LARGE, null);
                    require(up.contains("sha256 " + Bulk.digest(LARGE)), "upload digest", up);
                }
            }));
        }
        cases.add(new Case("curl", "https-get", BOTH, KEYS, c -> {
            try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain(c.key()), fx.serverKey(c.key()),
                    null)) {
                String v = c.version().equals("TLSv1.2") ? "1.2" : "1.3";
                Tool t = Tool.run(WAIT, dir, "curl", "-sS", "--cacert", fx.root.toString(), "--tlsv" + v,
                        "--tls-max", v, "https://127.0.0.1:" + s.port() + "/conformance");
                require(t.exitCode() == 0 && t.stdout().contains("weft conformance ok"), "curl", t.stdout()
                        + t.stderr());
            }
        }));
    }

    /** SNI, ALPN, a cipher named in OpenSSL's syntax, and resumption, with openssl and GnuTLS clients. */
    private void defineNegotiationCases() {
        cases.add(new Case("openssl-client", "starttls-smtp", List.of("TLSv1.3"), List.of("ec"), c -> {
            try (ServerSocket plain = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                Thread.ofVirtual().start(() -> smtpStartTls(plain, c.provider()));
                String out = lineClient(List.of("openssl", "s_client", "-starttls", "smtp", "-connect",
                        "127.0.0.1:" + plain.getLocalPort(), "-CAfile", fx.root.toString(), "-verify_return_error",
                        "-no_ign_eof"));
                require(out.contains("hello") && out.contains("Verify return code: 0 (ok)"), "echo over STARTTLS",
                        out);
            }
        }));
        cases.add(new Case("openssl-client", "close-notify-from-weft", BOTH, List.of("ec"), c -> {
            try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"), null);
                    Tool t = Tool.start(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                            fx.root.toString(), "-msg", opensslVersionFlag(c.version()))) {
                t.write("bye\n");
                org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !t.isAlive()
                        || (t.stdout() + t.stderr()).lines().anyMatch(l -> l.startsWith("<<< ")
                                && l.contains("close_notify")));
                String out = t.stdout() + t.stderr();
                require(out.contains("bye") && out.lines().anyMatch(l -> l.startsWith("<<< ")
                        && l.contains("close_notify")), "the server's close_notify, received", out);
            }
        }));
        cases.add(new Case("openssl-client", "keyupdate", List.of("TLSv1.3"), List.of("ec"), c -> {
            try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"), null);
                    Tool t = Tool.start(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                            fx.root.toString(), "-tls1_3")) {
                t.write("hello\n").awaitStdout("hello", WAIT);
                t.write("K\n"); // a KeyUpdate that asks the server to update its keys too
                org.awaitility.Awaitility.await().atMost(WAIT).until(() -> t.stderr().contains("KEYUPDATE")
                        || t.stdout().contains("KEYUPDATE"));
                t.write("after the update\n").awaitStdout("after the update", WAIT);
            }
        }));
        cases.add(new Case("openssl-client", "ed25519", List.of("TLSv1.3"), List.of("ed25519"), c -> {
            try (WeftServer s = WeftServer.start(c.provider(), fx.file("ed25519-chain.pem"),
                    fx.file("ed25519-key.pem"), null)) {
                String out = lineClient(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                        fx.root.toString(), "-no_ign_eof", "-tls1_3"));
                require(out.contains("hello") && out.contains("ED25519"), "an Ed25519 handshake", out);
            }
        }));
        cases.add(new Case("openssl-client", "sni", BOTH, List.of("ec"), c -> {
            try (WeftServer s = WeftServer.startWith(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"), o -> { })) {
                s.server().addContext("a.example.com", fx.sniContext());
                String out = lineClient(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                        fx.root.toString(), "-no_ign_eof", opensslVersionFlag(c.version()), "-servername",
                        "a.example.com"));
                require(out.contains("subject=CN = a.example.com"), "the SNI context's certificate", out);
            }
        }));
        cases.add(new Case("gnutls-client", "sni", BOTH, List.of("ec"), c -> {
            try (WeftServer s = WeftServer.startWith(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"), o -> { })) {
                s.server().addContext("a.example.com", fx.sniContext());
                String out = lineClient(List.of("gnutls-cli", "--x509cafile", fx.root.toString(), "-p",
                        String.valueOf(s.port()), "--priority", gnutlsPriority(c.version()), "--sni-hostname",
                        "a.example.com", "--verify-hostname", "a.example.com", "127.0.0.1"));
                require(out.contains("CN=a.example.com"), "the SNI context's certificate", out);
                require(out.contains("hello"), "no echo", out);
            }
        }));
        cases.add(new Case("openssl-client", "alpn", BOTH, List.of("ec"), c -> {
            try (WeftServer s = WeftServer.startWith(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"),
                    o -> o.alpnProtocols("h2", "http/1.1"))) {
                String out = lineClient(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                        fx.root.toString(), "-no_ign_eof", opensslVersionFlag(c.version()), "-alpn", "http/1.1,h2"));
                require(out.contains("ALPN protocol: h2"), "the server's preference", out);
            }
        }));
        cases.add(new Case("openssl-client", "alpn-no-overlap", BOTH, List.of("ec"), c -> {
            try (WeftServer s = WeftServer.startWith(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"),
                    o -> o.alpnProtocols("h2"))) {
                String out = lineClient(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                        fx.root.toString(), "-no_ign_eof", opensslVersionFlag(c.version()), "-alpn", "foo"));
                require(!out.contains("hello") && out.contains("no application protocol"),
                        "refused with a no_application_protocol alert", out);
            }
        }));
        cases.add(new Case("gnutls-client", "alpn", BOTH, List.of("ec"), c -> {
            try (WeftServer s = WeftServer.startWith(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"),
                    o -> o.alpnProtocols("h2", "http/1.1"))) {
                String out = lineClient(List.of("gnutls-cli", "--x509cafile", fx.root.toString(), "-p",
                        String.valueOf(s.port()), "--priority", gnutlsPriority(c.version()), "--alpn", "http/1.1",
                        "--alpn", "h2", "127.0.0.1"));
                require(out.contains("Application protocol: h2"), "the server's preference", out);
            }
        }));
        cases.add(new Case("openssl-client", "cipher-named", List.of("TLSv1.2"), KEYS, c -> {
            String suite = c.key().equals("ec") ? "ECDHE-ECDSA-AES128-GCM-SHA256" : "ECDHE-RSA-CHACHA20-POLY1305";
            try (WeftServer s = WeftServer.startWith(c.provider(), fx.serverChain(c.key()), fx.serverKey(c.key()),
                    o -> o.ciphers(suite))) {
                String out = lineClient(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                        fx.root.toString(), "-no_ign_eof", "-tls1_2"));
                require(out.contains("Cipher is " + suite), "negotiated as named", out);
            }
        }));
        cases.add(new Case("openssl-client", "resumption", BOTH, List.of("ec"), c -> {
            try (WeftServer s = WeftServer.start(c.provider(), fx.serverChain("ec"), fx.serverKey("ec"), null)) {
                // an exchange first, so that TLS 1.3 tickets (sent after the handshake) are read and saved
                Path session = dir.resolve("session-" + c.provider().cliName() + "-" + c.version() + ".pem");
                List<String> connect = List.of("openssl", "s_client", "-connect", "127.0.0.1:" + s.port(), "-CAfile",
                        fx.root.toString(), "-no_ign_eof", opensslVersionFlag(c.version()));
                List<String> first = new ArrayList<>(connect);
                first.addAll(List.of("-sess_out", session.toString()));
                require(lineClient(first).contains("hello"), "first connection", "");
                List<String> second = new ArrayList<>(connect);
                second.addAll(List.of("-sess_in", session.toString()));
                String out = lineClient(second);
                require(out.contains("Reused, TLSv1."), "the second connection did not resume", out);
            }
        }));
    }

    /**
     * A one-connection SMTP-style server: greeting, EHLO with STARTTLS, then weft's upgradeServer and an echo of
     * each line over TLS.
     */
    private void smtpStartTls(ServerSocket plain, JsseProvider provider) {
        try (Socket sock = plain.accept()) {
            InputStream in = sock.getInputStream();
            OutputStream out = sock.getOutputStream();
            out.write("220 weft ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            for (String line; (line = smtpLine(in)) != null; ) {
                if (line.toUpperCase(Locale.ROOT).startsWith("EHLO")) {
                    out.write("250-weft\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (line.equalsIgnoreCase("STARTTLS")) {
                    out.write("220 Ready to start TLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    try (TlsSocket tls = Tls.upgradeServer(sock, ServerOptions.builder().provider(provider)
                            .key(fx.serverKey("ec")).cert(fx.serverChain("ec")).build())) {
                        tls.getInputStream().transferTo(tls.getOutputStream());
                    }
                    return;
                } else {
                    out.write("250 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException ignored) {
            // the client decides what it saw
        }
    }

    /** One CRLF-ended line, read byte by byte so that nothing of the TLS stream is read ahead. */
    private static String smtpLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return b.toString().strip();
            }
            b.append((char) c);
        }
        return null;
    }

    /** Runs a client peer against a weft server and returns what it printed. */
    private String clientPeer(String peer, int port, String version, String mode, long n, String clientCert) {
        String cert = clientCert == null ? null : fx.file(clientCert + "-cert.pem").toString();
        String key = clientCert == null ? null : fx.file(clientCert + "-key.pem").toString();
        String ca = fx.root.toString();
        return switch (peer) {
            case "openssl" -> {
                List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                        "-CAfile", ca, "-quiet", "-no_ign_eof", opensslVersionFlag(version)));
                if (version.equals("TLSv1.1")) {
                    cmd.addAll(List.of("-cipher", "DEFAULT:@SECLEVEL=0"));
                }
                if (cert != null) {
                    cmd.addAll(List.of("-cert", cert, "-key", key));
                }
                yield lineClient(cmd);
            }
            case "gnutls" -> {
                List<String> cmd = new ArrayList<>(List.of("gnutls-cli", "--x509cafile", ca, "-p",
                        String.valueOf(port), "--priority", gnutlsPriority(version), "127.0.0.1"));
                if (cert != null) {
                    cmd.addAll(List.of("--x509certfile", cert, "--x509keyfile", key));
                }
                yield lineClient(cmd);
            }
            case "node" -> script(List.of("node", PEERS.resolve("client.js").toString(), String.valueOf(port), ca,
                    version, mode, String.valueOf(n)), cert, key);
            case "python" -> script(List.of("python3", PEERS.resolve("client.py").toString(), String.valueOf(port),
                    ca, version, mode, String.valueOf(n)), cert, key);
            default -> throw new IllegalArgumentException(peer);
        };
    }

    private String lineClient(List<String> cmd) {
        try (Tool t = Tool.start(dir, cmd.toArray(String[]::new))) {
            t.write("hello\n");
            // wait for the echo or for the client to give up; then end stdin (a close_notify from the client)
            org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> t.stdout().contains("hello") || !t.isAlive());
            t.closeStdin();
            t.await(WAIT);
            return t.stdout() + "\n" + t.stderr();
        }
    }

    private String script(List<String> cmd, String cert, String key) {
        List<String> all = new ArrayList<>(cmd);
        if (cert != null) {
            all.addAll(List.of(cert, key));
        }
        Tool t = Tool.run(WAIT, dir, all.toArray(String[]::new));
        return t.stdout() + "\n" + t.stderr();
    }

    static String opensslVersionFlag(String version) {
        return switch (version) {
            case "TLSv1.1" -> "-tls1_1";
            case "TLSv1.2" -> "-tls1_2";
            default -> "-tls1_3";
        };
    }

    static String gnutlsPriority(String version) {
        String v = switch (version) {
            case "TLSv1.1" -> "+VERS-TLS1.1";
            case "TLSv1.2" -> "+VERS-TLS1.2";
            default -> "+VERS-TLS1.3";
        };
        return "NORMAL:-VERS-ALL:" + v + (version.equals("TLSv1.1") ? ":%VERIFY_ALLOW_SIGN_WITH_SHA1" : "");
    }

    // ---------------------------------------------------------------- weft as client

    private void defineClientSide() {
        for (String peer : List.of("openssl", "gnutls", "node")) {
            cases.add(new Case(peer + "-server", "echo", BOTH, KEYS, c -> {
                try (PeerServer s = serverPeer(peer, c.version(), fx.serverChain(c.key()), fx.serverKey(c.key()),
                        null)) {
                    try (TlsSocket t = Tls.connect(s.port(), "127.0.0.1", ClientOptions.builder()
                            .provider(c.provider()).ca(fx.root).build())) {
                        require(t.authorized(), "not authorized: " + t.authorizationError(), "");
                        require(t.protocol().equals(c.version()), "protocol " + t.protocol(), "");
                        t.write("hello\n");
                        String back = new String(t.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
                        require(back.equals(peer.equals("openssl") ? "olleh\n" : "hello\n"), "echo " + back, "");
                    }
                }
            }));
            cases.add(new Case(peer + "-server", "expired", List.of("TLSv1.3"), List.of("ec"), c -> {
                try (PeerServer s = serverPeer(peer, c.version(), fx.file("expired-chain.pem"),
                        fx.file("expired-key.pem"), null)) {
                    TlsException e = expectFailure(() -> Tls.connect(s.port(), "127.0.0.1", ClientOptions.builder()
                            .provider(c.provider()).ca(fx.root).build()));
                    require(e.code().equals("CERT_HAS_EXPIRED"), "code " + e.code(), e.getMessage());
                }
            }));
            cases.add(new Case(peer + "-server", "hostname-mismatch", List.of("TLSv1.3"), List.of("ec"), c -> {
                try (PeerServer s = serverPeer(peer, c.version(), fx.serverChain("ec"), fx.serverKey("ec"), null)) {
                    TlsException e = expectFailure(() -> Tls.connect(s.port(), "127.0.0.1", ClientOptions.builder()
                            .provider(c.provider()).ca(fx.root).servername("evil.test").build()));
                    require(e.code().equals("ERR_TLS_CERT_ALTNAME_INVALID"), "code " + e.code(), e.getMessage());
                }
            }));
            cases.add(new Case(peer + "-server", "client-cert", BOTH, List.of("ec"), c -> {
                try (PeerServer s = serverPeer(peer, c.version(), fx.serverChain("ec"), fx.serverKey("ec"),
                        fx.root)) {
                    try (TlsSocket t = Tls.connect(s.port(), "127.0.0.1", ClientOptions.builder()
                            .provider(c.provider()).ca(fx.root).key(fx.file("client1-key.pem"))
                            .cert(fx.file("client1-cert.pem")).build())) {
                        t.write("hello\n");
                        String back = new String(t.getInputStream().readNBytes(6), StandardCharsets.UTF_8);
                        require(back.equals(peer.equals("openssl") ? "olleh\n" : "hello\n"), "echo " + back, "");
                    }
                }
            }));
            cases.add(new Case(peer + "-server", "version-floor", List.of("TLSv1.1"), List.of("ec"), c -> {
                try (PeerServer s = serverPeer(peer, "TLSv1.1", fx.serverChain("ec"), fx.serverKey("ec"), null)) {
                    TlsException e = expectFailure(() -> Tls.connect(s.port(), "127.0.0.1", ClientOptions.builder()
                            .provider(c.provider()).ca(fx.root).build()));
                    require(!e.code().isEmpty(), "no code", e.getMessage());
                }
            }));
        }
    }

    /** weft as a client sending 64 MiB to a node echo server while reading the echo, checked by SHA-256. */
    private void defineClientLargeTransfer() {
        cases.add(new Case("node-server", "large-64MiB", List.of("TLSv1.3"), List.of("ec"), c -> {
            try (PeerServer s = serverPeer("node", c.version(), fx.serverChain("ec"), fx.serverKey("ec"), null);
                    TlsSocket t = Tls.connect(s.port(), "127.0.0.1", ClientOptions.builder().provider(c.provider())
                            .ca(fx.root).build())) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        Bulk.write(t.getOutputStream(), LARGE);
                        t.getOutputStream().flush();
                    } catch (IOException ignored) {
                        // the reader reports a short stream
                    }
                });
                String echoed = Bulk.read(t.getInputStream(), LARGE);
                writer.join();
                require(echoed.equals(Bulk.digest(LARGE)), "echo digest", echoed);
            }
        }));
    }

    private static TlsException expectFailure(ThrowingConnect connect) {
        try (TlsSocket s = connect.connect()) {
            throw new AssertionError("connected, " + s.protocol() + ", authorized " + s.authorized());
        } catch (TlsException e) {
            return e;
        }
    }

    @FunctionalInterface
    private interface ThrowingConnect {
        TlsSocket connect() throws TlsException;
    }

    /** A peer server process and its port. */
    record PeerServer(Tool tool, int port) implements AutoCloseable {
        @Override
        public void close() {
            tool.close();
        }
    }

    private PeerServer serverPeer(String peer, String version, Path chain, Path key, Path clientCa)
            throws IOException {
        return switch (peer) {
            case "openssl" -> {
                int port = freePort();
                List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                        "-cert", chain.toString(), "-cert_chain", chain.toString(), "-key", key.toString(), "-rev",
                        opensslVersionFlag(version)));
                if (version.equals("TLSv1.1")) {
                    cmd.addAll(List.of("-cipher", "DEFAULT:@SECLEVEL=0"));
                }
                if (clientCa != null) {
                    cmd.addAll(List.of("-Verify", "1", "-CAfile", clientCa.toString(), "-verify_return_error"));
                }
                Tool t = Tool.start(dir, cmd.toArray(String[]::new));
                t.awaitStdout("ACCEPT", WAIT);
                yield new PeerServer(t, port);
            }
            case "gnutls" -> {
                int port = freePort();
                List<String> cmd = new ArrayList<>(List.of("env", "LD_PRELOAD=" + fx.bindShim(), "gnutls-serv",
                        "--echo", "-p", String.valueOf(port), "--x509certfile", chain.toString(), "--x509keyfile",
                        key.toString(), "--priority", gnutlsPriority(version)));
                if (clientCa != null) {
                    cmd.addAll(List.of("--require-client-cert", "--verify-client-cert", "--x509cafile",
                            clientCa.toString()));
                }
                Tool t = Tool.start(dir, cmd.toArray(String[]::new));
                awaitListening(t, port); // gnutls-serv buffers its "listening" line when stdout is a pipe
                yield new PeerServer(t, port);
            }
            case "node" -> {
                List<String> cmd = new ArrayList<>(List.of("node", PEERS.resolve("server.js").toString(),
                        chain.toString(), key.toString(), version));
                if (clientCa != null) {
                    cmd.add(clientCa.toString());
                }
                Tool t = Tool.start(dir, cmd.toArray(String[]::new));
                t.awaitStdout("listening ", WAIT);
                Matcher m = Pattern.compile("listening (\\d+)").matcher(t.stdout());
                require(m.find(), "node server port", t.stdout());
                yield new PeerServer(t, Integer.parseInt(m.group(1)));
            }
            default -> throw new IllegalArgumentException(peer);
        };
    }

    private static void awaitListening(Tool t, int port) {
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).until(() -> {
            require(t.isAlive(), "server exited", t.stdout() + t.stderr());
            try (java.net.Socket probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void require(boolean ok, String what, String output) {
        if (!ok) {
            throw new AssertionError(what + (output.isEmpty() ? "" : ": " + output.strip().replace('\n', ' ')));
        }
    }

    // ---------------------------------------------------------------- expected differences

    /** Declares that cells matching {@code applies} are expected to fail, for {@code reason}. */
    Matrix expect(Predicate<Cell> applies, String reason) {
        expected.add(new Expected(applies, reason));
        return this;
    }

    // ---------------------------------------------------------------- running

    /** Runs every cell that {@code filter} admits. */
    List<Result> run(Predicate<Cell> filter, java.util.function.Consumer<Result> progress) {
        List<Result> results = new ArrayList<>();
        for (JsseProvider provider : JsseProvider.values()) {
            for (Case k : cases) {
                for (String version : k.versions()) {
                    for (String key : k.keys()) {
                        Cell cell = new Cell(provider, k.peer(), k.kase(), version, key);
                        if (!filter.test(cell)) {
                            continue;
                        }
                        Result r = runCell(cell, k.check());
                        results.add(r);
                        progress.accept(r);
                    }
                }
            }
        }
        return results;
    }

    private Result runCell(Cell cell, Check check) {
        long start = System.nanoTime();
        String failure = null;
        try {
            check.run(cell);
        } catch (Throwable t) {
            failure = t.getClass().getSimpleName() + ": " + t.getMessage()
                    + (t.getCause() != null ? " (" + t.getCause().getMessage() + ")" : "");
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        Expected why = expected.stream().filter(e -> e.applies().test(cell)).findFirst().orElse(null);
        if (why == null) {
            return new Result(cell, failure == null ? Outcome.PASS : Outcome.FAIL, failure == null ? "" : failure, ms);
        }
        return failure == null ? new Result(cell, Outcome.UNEXPECTED_PASS, "expected to fail: " + why.reason(), ms)
                : new Result(cell, Outcome.EXPECTED, why.reason() + " (" + abbreviate(failure) + ")", ms);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 160 ? one.substring(0, 160) + "..." : one;
    }

    /** The report as Markdown: tool versions, a provider x peer/case table, then every non-pass in detail. */
    static String report(List<Result> results, Map<String, String> versions) {
        StringBuilder md = new StringBuilder("# weft conformance report\n\n");
        md.append("Generated by `conformance/run` on ").append(Instant.now().toString(), 0, 19).append("Z.\n\n");
        md.append("| tool | version |\n|---|---|\n");
        versions.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        Map<String, Map<JsseProvider, List<Result>>> rows = new LinkedHashMap<>();
        for (Result r : results) {
            rows.computeIfAbsent(r.cell().peer() + " | " + r.cell().kase(), x -> new LinkedHashMap<>())
                    .computeIfAbsent(r.cell().provider(), x -> new ArrayList<>()).add(r);
        }
        md.append("\n| peer | case |");
        for (JsseProvider p : JsseProvider.values()) {
            md.append(' ').append(p.cliName()).append(" |");
        }
        md.append("\n|---|---|---|---|---|\n");
        rows.forEach((row, byProvider) -> {
            md.append("| ").append(row).append(" |");
            for (JsseProvider p : JsseProvider.values()) {
                md.append(' ').append(summary(byProvider.getOrDefault(p, List.of()))).append(" |");
            }
            md.append('\n');
        });
        long pass = results.stream().filter(r -> r.outcome() == Outcome.PASS).count();
        md.append("\n").append(results.size()).append(" cells: ").append(pass).append(" pass");
        for (Outcome o : List.of(Outcome.EXPECTED, Outcome.FAIL, Outcome.UNEXPECTED_PASS)) {
            long n = results.stream().filter(r -> r.outcome() == o).count();
            md.append(", ").append(n).append(' ').append(o.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        md.append(".\n\nA cell is one provider, peer, case, protocol version (TLSv1.1 only in version-floor cases) "
                + "and server key (rsa = RSA-2048, ec = ECDSA P-256).\n");
        List<Result> notes = results.stream().filter(r -> r.outcome() != Outcome.PASS).toList();
        if (!notes.isEmpty()) {
            md.append("\n## Cells that did not simply pass\n\n| cell | outcome | detail |\n|---|---|---|\n");
            for (Result r : notes) {
                md.append("| ").append(r.cell().id()).append(" | ").append(r.outcome()).append(" | ")
                        .append(abbreviate(r.detail()).replace("|", "\\|")).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String summary(List<Result> rs) {
        if (rs.isEmpty()) {
            return "–";
        }
        if (rs.stream().allMatch(r -> r.outcome() == Outcome.PASS)) {
            return "pass";
        }
        if (rs.stream().allMatch(r -> r.outcome() == Outcome.PASS || r.outcome() == Outcome.EXPECTED)) {
            return rs.stream().anyMatch(r -> r.outcome() == Outcome.PASS) ? "pass / expected" : "expected";
        }
        return "**" + rs.stream().filter(r -> r.outcome() == Outcome.FAIL || r.outcome() == Outcome.UNEXPECTED_PASS)
                .count() + " unexpected**";
    }

    // ---------------------------------------------------------------- fixtures and the weft server

    /** Fresh certificates for one run, written as files the peers read. */
    static final class Fixtures {
        final Path dir;
        final Path root;
        private Path shim;

        Fixtures(Path dir) throws IOException {
            this.dir = dir;
            HeldCertificate ca = Certs.ca("Weft Conformance Root").build();
            HeldCertificate other = Certs.ca("Weft Conformance Other Root").build();
            HeldCertificate inter = Certs.intermediate("Weft Conformance Intermediate").pathLength(0).signedBy(ca)
                    .build();
            root = write("root.pem", ca.certificatePem());
            write("other-root.pem", other.certificatePem());
            writeLeaf("server-rsa", Certs.server("localhost", "127.0.0.1").keyType(KeyType.RSA_2048)
                    .signedBy(inter).build());
            writeLeaf("server-ec", Certs.server("localhost", "127.0.0.1").signedBy(inter).build());
            writeLeaf("expired", Certs.server("localhost", "127.0.0.1").expired().signedBy(ca).build());
            writeLeaf("client1", Certs.client("client1").signedBy(ca).build());
            writeLeaf("client2", Certs.client("client2").signedBy(other).build());
            writeLeaf("sni-a", Certs.server("a.example.com").signedBy(inter).build());
            writeLeaf("ed25519", Certs.server("localhost", "127.0.0.1").keyType(KeyType.ED25519).signedBy(inter)
                    .build());
        }

        private void writeLeaf(String name, HeldCertificate leaf) throws IOException {
            write(name + "-cert.pem", leaf.certificatePem());
            write(name + "-chain.pem", leaf.chainPem()); // the leaf and its intermediates, not the root
            write(name + "-key.pem", leaf.privateKeyPem());
        }

        private Path write(String name, String content) throws IOException {
            return Files.writeString(dir.resolve(name), content);
        }

        Path file(String name) {
            return dir.resolve(name);
        }

        Path serverChain(String key) {
            return file("server-" + key + "-chain.pem");
        }

        Path serverKey(String key) {
            return file("server-" + key + "-key.pem");
        }

        /** A context for a.example.com, for SNI cases. */
        dev.weft.tls.SecureContext sniContext() throws IOException {
            return Tls.createSecureContext(dev.weft.tls.ContextOptions.builder().cert(file("sni-a-chain.pem"))
                    .key(file("sni-a-key.pem")).build());
        }

        /** The LD_PRELOAD shim that keeps gnutls-serv on loopback, compiled once per run. */
        synchronized Path bindShim() {
            if (shim == null) {
                Path so = dir.resolve("bind-loopback.so");
                Tool.check(dir, "gcc", "-shared", "-fPIC", "-O2", "-o", so.toString(),
                        PEERS.resolve("bind-loopback.c").toString(), "-ldl");
                shim = so;
            }
            return shim;
        }
    }

    /**
     * The weft server under test: writes a verdict line ({@code verdict authorized|unauthorized CODE}), then
     * serves one command line: {@code download N}, {@code upload N} (replies the SHA-256 of N bytes), an HTTP
     * GET, or anything else, which it echoes with the rest of the stream.
     */
    static final class WeftServer implements AutoCloseable {
        private final TlsServer server;
        private final List<TlsException> clientErrors = new CopyOnWriteArrayList<>();
        private final List<String> ends = new CopyOnWriteArrayList<>();

        private WeftServer(JsseProvider provider, Path chain, Path key, Path clientCa,
                java.util.function.Consumer<ServerOptions.Builder> more) throws IOException {
            ServerOptions.Builder o = ServerOptions.builder().provider(provider).key(key).cert(chain);
            if (clientCa != null) {
                o.requestCert(true).rejectUnauthorized(false).ca(clientCa);
            }
            more.accept(o);
            server = Tls.createServer(o.build(), this::serve);
            server.onClientError((e, remote) -> clientErrors.add(e));
            server.listen(0, "127.0.0.1");
        }

        static WeftServer start(JsseProvider provider, Path chain, Path key, Path clientCa) throws IOException {
            return new WeftServer(provider, chain, key, clientCa, o -> { });
        }

        /** A server with more options ({@code more}), e.g. ALPN or ciphers. */
        static WeftServer startWith(JsseProvider provider, Path chain, Path key,
                java.util.function.Consumer<ServerOptions.Builder> more) throws IOException {
            return new WeftServer(provider, chain, key, null, more);
        }

        /** The server itself, e.g. to add SNI contexts. */
        TlsServer server() {
            return server;
        }

        int port() {
            return server.address().getPort();
        }

        boolean awaitClientError() {
            return awaitTrue(() -> !clientErrors.isEmpty());
        }

        boolean awaitEnd() {
            return awaitTrue(() -> ends.contains("end"));
        }

        private static boolean awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(condition);
                return true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                return false;
            }
        }

        private void serve(TlsSocket s) throws IOException {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String first = readLine(in);
            if (first != null && first.startsWith("GET ")) {
                while (!readLine(in).isEmpty()) {
                    // skip the request headers
                }
                byte[] body = "weft conformance ok\n".getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            String verdict = s.authorized() ? "authorized" : "unauthorized "
                    + (s.authorizationError() == null ? "-" : s.authorizationError());
            out.write(("verdict " + verdict + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (first == null) {
                ends.add("end");
                return;
            }
            if (first.equals("bye")) {
                out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return; // the handler's return closes the connection with close_notify
            }
            if (first.startsWith("download ")) {
                Bulk.write(out, Long.parseLong(first.substring(9).trim()));
                out.flush();
                return;
            }
            if (first.startsWith("upload ")) {
                String digest = Bulk.read(in, Long.parseLong(first.substring(7).trim()));
                out.write(("sha256 " + digest + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readToEnd(in);
                return;
            }
            out.write((first + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            byte[] buf = new byte[16384];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            ends.add("end");
        }

        private static void readToEnd(InputStream in) throws IOException {
            in.transferTo(OutputStream.nullOutputStream());
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    return sb.toString().replace("\r", "");
                }
                sb.append((char) b);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        @Override
        public void close() {
            server.closeNow();
        }
    }

    /** The deterministic bulk data both ends agree on: byte i is {@code i % 251}. */
    static final class Bulk {
        private Bulk() {
        }

        static void write(OutputStream out, long n) throws IOException {
            byte[] period = period();
            for (long sent = 0; sent < n; ) {
                int len = (int) Math.min(period.length, n - sent);
                out.write(period, 0, len);
                sent += len;
            }
        }

        static String read(InputStream in, long n) throws IOException {
            MessageDigest md = sha256();
            byte[] buf = new byte[65536];
            long left = n;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException("upload ended after " + (n - left) + " of " + n + " bytes");
                }
                md.update(buf, 0, r);
                left -= r;
            }
            return HexFormat.of().formatHex(md.digest());
        }

        static String digest(long n) throws IOException {
            MessageDigest md = sha256();
            byte[] period = period();
            for (long done = 0; done < n; ) {
                int len = (int) Math.min(period.length, n - done);
                md.update(period, 0, len);
                done += len;
            }
            return HexFormat.of().formatHex(md.digest());
        }

        /** 251 x 261 = 65511 bytes: a whole number of periods, so chunks continue the pattern. */
        private static byte[] period() {
            byte[] p = new byte[251 * 261];
            for (int i = 0; i < p.length; i++) {
                p[i] = (byte) (i % 251);
            }
            return p;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
