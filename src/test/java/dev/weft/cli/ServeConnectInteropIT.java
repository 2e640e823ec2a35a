package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import dev.weft.tls.JsseProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Node's v0.6 documented example end to end with real peers: {@code openssl s_client} against {@code weft serve} (with the
 * certificate it generates), and {@code weft connect} against {@code openssl s_server}, on every provider.
 */
class ServeConnectInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern BOUND = Pattern.compile("server bound 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern CERT_FILE = Pattern.compile("self-signed certificate for .*: (\\S+)");

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void opensslClientVerifiesWeftServeAndSeesTheDocumentedEcho(JsseProvider provider) throws Exception {
        try (Tool serve = Tool.start(null, Tool.weftCli("serve", "--port", "0", "--provider", provider.cliName(),
                "--print-cert")
                .toArray(String[]::new))) {
            serve.awaitStdout("server bound", WAIT);
            Matcher bound = BOUND.matcher(serve.stdout());
            Matcher certFile = CERT_FILE.matcher(serve.stdout());
            assertTrue(bound.find() && certFile.find(), serve.stdout());
            assertTrue(serve.stdout().contains("sha256 fingerprint "), serve.stdout());
            Path cert = Path.of(certFile.group(1));
            try (Tool client = Tool.start(null, "openssl", "s_client", "-connect", "127.0.0.1:" + bound.group(1),
                    "-CAfile", cert.toString(), "-verify_return_error", "-servername", "localhost")) {
                client.awaitStdout("welcome!", WAIT);
                client.write("hello from openssl\n");
                client.awaitStdout("hello from openssl", WAIT);
                assertTrue(client.stdout().contains("Verify return code: 0 (ok)"), client.stdout());
            }
            serve.awaitStdout("server connected unauthorized", WAIT);
            serve.awaitStdout("unauthorized\n{}\n", WAIT); // --print-cert: no client certificate, Node's {}
            Files.deleteIfExists(cert);
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void weftConnectTalksToOpensslServer(JsseProvider provider, @TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path ca = dir.resolve("ca.pem");
        Files.writeString(cert, TestCerts.SERVER.chainPem());
        Files.writeString(key, TestCerts.SERVER.privateKeyPem());
        Files.writeString(ca, TestCerts.ROOT.certificatePem());
        int port = Tool.freePort();
        try (Tool server = Tool.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", key.toString(), "-naccept", "1", "-rev")) {
            server.awaitStdout("ACCEPT", WAIT);
            List<String> cmd = new ArrayList<>(Tool.weftCli("connect", "127.0.0.1:" + port, "--ca", ca.toString(),
                    "--provider", provider.cliName(), "--print-cert=detailed"));
            try (Tool connect = Tool.start(dir, cmd.toArray(String[]::new))) {
                connect.write("hello openssl\n");
                connect.closeStdin();
                assertEquals(0, connect.await(WAIT), connect.stderr());
                assertTrue(connect.stdout().contains("lssnepo olleh"), connect.stdout() + connect.stderr());
                assertTrue(connect.stderr().contains("client connected authorized"), connect.stderr());
                String json = dev.weft.tls.PeerCertificate.detailed(List.of(TestCerts.SERVER.certificate(),
                        TestCerts.ROOT.certificate())).toJson(true);
                assertTrue(connect.stderr().contains(json), "--print-cert=detailed: " + connect.stderr());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void weftConnectExitsWithTheCodeWhenVerificationFails(JsseProvider provider, @TempDir Path dir)
            throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        var self = dev.weft.cert.Certs.selfSigned("localhost").build();
        Files.writeString(cert, self.certificatePem());
        Files.writeString(key, self.privateKeyPem());
        int port = Tool.freePort();
        try (Tool server = Tool.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", key.toString(), "-naccept", "1")) {
            server.awaitStdout("ACCEPT", WAIT);
            try (Tool connect = Tool.start(dir, Tool.weftCli("connect", "127.0.0.1:" + port, "--provider",
                    provider.cliName()).toArray(String[]::new))) {
                connect.closeStdin();
                assertEquals(1, connect.await(WAIT));
                assertTrue(connect.stderr().contains("DEPTH_ZERO_SELF_SIGNED_CERT"), connect.stderr());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void opensslAgreesOnAlpnVersionAndCipher(JsseProvider provider) throws Exception {
        try (Tool serve = Tool.start(null, Tool.weftCli("serve", "--port", "0", "--provider", provider.cliName(),
                "--alpn", "http/1.1,h2", "--max-version", "TLSv1.2", "--ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384")
                .toArray(String[]::new))) {
            serve.awaitStdout("server bound", WAIT);
            Matcher bound = BOUND.matcher(serve.stdout());
            Matcher certFile = CERT_FILE.matcher(serve.stdout());
            assertTrue(bound.find() && certFile.find(), serve.stdout());
            try (Tool client = Tool.start(null, "openssl", "s_client", "-connect", "127.0.0.1:" + bound.group(1),
                    "-CAfile", certFile.group(1), "-verify_return_error", "-alpn", "h2,http/1.1")) {
                client.awaitStdout("welcome!", WAIT);
                assertTrue(client.stdout().contains("ALPN protocol: http/1.1"), "the server's preference wins: "
                        + client.stdout());
                assertTrue(client.stdout().contains("Protocol  : TLSv1.2"), client.stdout());
                assertTrue(client.stdout().contains("Cipher    : ECDHE-ECDSA-AES256-GCM-SHA384"), client.stdout());
            }
            Files.deleteIfExists(Path.of(certFile.group(1)));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void weftConnectOffersAlpnToOpenssl(JsseProvider provider, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        int port = Tool.freePort();
        try (Tool server = Tool.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", "cert.pem",
                "-key", "key.pem", "-naccept", "1", "-alpn", "h2", "-rev")) {
            server.awaitStdout("ACCEPT", WAIT);
            try (Tool connect = Tool.start(dir, Tool.weftCli("connect", "127.0.0.1:" + port, "--ca", "ca.pem",
                    "--provider", provider.cliName(), "--alpn", "http/1.1,h2").toArray(String[]::new))) {
                connect.write("abc\n");
                connect.closeStdin();
                assertEquals(0, connect.await(WAIT), connect.stderr());
                assertTrue(connect.stderr().contains("alpn h2"), connect.stderr());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void opensslReceivesEachSniCertificateFromWeftServe(JsseProvider provider, @TempDir Path dir) throws Exception {
        var a = dev.weft.cert.Certs.server("a.example.com").signedBy(TestCerts.ROOT).build();
        var wild = dev.weft.cert.Certs.server("wild.example.com").dns("*.example.org").signedBy(TestCerts.ROOT)
                .build();
        Files.writeString(dir.resolve("a-cert.pem"), a.chainPem());
        Files.writeString(dir.resolve("a-key.pem"), a.privateKeyPem());
        Files.writeString(dir.resolve("w-cert.pem"), wild.chainPem());
        Files.writeString(dir.resolve("w-key.pem"), wild.privateKeyPem());
        try (Tool serve = Tool.start(dir, Tool.weftCli("serve", "--port", "0", "--provider", provider.cliName(),
                "--sni", "a.example.com=a-cert.pem,a-key.pem", "--sni", "*.example.org=w-cert.pem,w-key.pem")
                .toArray(String[]::new))) {
            serve.awaitStdout("server bound", WAIT);
            Matcher bound = BOUND.matcher(serve.stdout());
            assertTrue(bound.find(), serve.stdout());
            for (String[] expect : new String[][] {{"a.example.com", "CN = a.example.com"},
                    {"x.example.org", "CN = wild.example.com"}, {"other.test", "CN = localhost"}}) {
                try (Tool client = Tool.start(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + bound.group(1),
                        "-servername", expect[0])) {
                    client.awaitStdout("welcome!", WAIT);
                    assertTrue(client.stdout().contains("subject=" + expect[1]), expect[0] + ": " + client.stdout());
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void serveTakesHandshakeAndIdleTimeouts() throws Exception {
        try (Tool serve = Tool.start(null, Tool.weftCli("serve", "--port", "0", "--handshake-timeout", "300ms",
                "--idle-timeout", "2s").toArray(String[]::new))) {
            serve.awaitStdout("server bound", WAIT);
            Matcher bound = BOUND.matcher(serve.stdout());
            assertTrue(bound.find(), serve.stdout());
            try (var silent = new java.net.Socket("127.0.0.1", Integer.parseInt(bound.group(1)))) {
                silent.setSoTimeout(5000);
                assertEquals(-1, silent.getInputStream().read(), "cut off at the handshake deadline");
            }
            serve.awaitStdout("ERR_TLS_HANDSHAKE_TIMEOUT", WAIT);
        }
        try (Tool bad = Tool.start(null, Tool.weftCli("serve", "--idle-timeout", "soon").toArray(String[]::new))) {
            assertEquals(2, bad.await(WAIT), "a bad duration is a usage error");
            assertTrue(bad.stderr().contains("500ms"), bad.stderr());
        }
    }

    /**
     * Under a small descriptor limit (ulimit -n 160), a server takes the connections that fit, drops the rest at
     * once as maxConnections would (Conscrypt costs three descriptors each, the others one), says why in one
     * WARNING, never reaches "Too many open files", and serves again once connections end.
     */
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aServerAtItsDescriptorLimitDropsCleanlyAndSaysWhy(JsseProvider p) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -n 160 && exec \"$0\" \"$@\""));
        cmd.addAll(Tool.weftCli("serve", "--mode", "echo", "--port", "0", "--provider", p.cliName()));
        try (Tool serve = Tool.start(null, cmd.toArray(String[]::new))) {
            serve.awaitStdout("server bound", WAIT);
            Matcher bound = BOUND.matcher(serve.stdout());
            assertTrue(bound.find(), serve.stdout());
            int port = Integer.parseInt(bound.group(1));
            dev.weft.tls.ClientOptions options = dev.weft.tls.ClientOptions.builder().rejectUnauthorized(false)
                    .handshakeTimeout(Duration.ofSeconds(10)).build();
            List<dev.weft.tls.TlsSocket> held = new ArrayList<>();
            int dropped = 0;
            try {
                for (int i = 0; i < 120; i++) {
                    try {
                        dev.weft.tls.TlsSocket s = dev.weft.tls.Tls.connect(port, "127.0.0.1", options);
                        held.add(s);
                        s.write("x");
                        assertEquals('x', s.getInputStream().read(), "a connection that fits is served");
                    } catch (java.io.IOException e) {
                        dropped++;
                    }
                }
                assertTrue(held.size() >= 5 && dropped > 0, held.size() + " served, " + dropped + " dropped");
                org.awaitility.Awaitility.await().atMost(WAIT)
                        .until(() -> serve.stderr().contains("dropping connections past"));
                assertTrue(serve.stderr().contains(p.cliName() + " uses "
                        + (p == JsseProvider.CONSCRYPT ? 3 : 1) + " file descriptors"), serve.stderr());
            } finally {
                for (dev.weft.tls.TlsSocket s : held) {
                    s.close();
                }
            }
            org.awaitility.Awaitility.await().atMost(WAIT).ignoreExceptions().until(() -> {
                try (dev.weft.tls.TlsSocket again = dev.weft.tls.Tls.connect(port, "127.0.0.1", options)) {
                    again.write("y");
                    return again.getInputStream().read() == 'y';
                }
            });
            assertTrue(!serve.stderr().contains("Too many open files"), serve.stderr());
        }
    }

}
