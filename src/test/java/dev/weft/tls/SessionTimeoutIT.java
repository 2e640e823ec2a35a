package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Node24;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Node's {@code sessionTimeout} on every provider, against a live Node 24 server given the same timeout (or none):
 * the lifetime of the session tickets each issues, as {@code openssl s_client} reads it from the session (TLS 1.2's
 * lifetime hint, TLS 1.3's ticket_lifetime), and whether a TLS 1.2 session resumes before and after the timeout
 * runs out, as the same {@code openssl s_client} sees it.
 */
class SessionTimeoutIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern HINT = Pattern.compile("lifetime hint: (\\d+)");

    @TempDir
    static Path dir;
    /** A Node 24 server per timeout ("-": none given). */
    private static final Map<String, Integer> NODE_PORTS = new ConcurrentHashMap<>();
    private static final List<Tool> NODES = new ArrayList<>();

    private static synchronized int nodeServer(String timeout) throws Exception {
        Integer port = NODE_PORTS.get(timeout);
        if (port != null) {
            return port;
        }
        if (!Files.exists(dir.resolve("server.js"))) {
            Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
            Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
            Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
            Files.writeString(dir.resolve("server.js"), """
                    const tls = require('tls'), fs = require('fs');
                    const o = {key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem')};
                    if (process.argv[2] !== '-') o.sessionTimeout = Number(process.argv[2]);
                    const s = tls.createServer(o, sock => { sock.on('error', () => {}); sock.end('hi\\n'); });
                    s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
                    """);
        }
        Tool node = Tool.start(dir, Node24.binary().toString(), "server.js", timeout);
        NODES.add(node);
        node.awaitStdout("PORT ", WAIT);
        Matcher m = Pattern.compile("PORT (\\d+)").matcher(node.stdout());
        assertTrue(m.find(), node.stdout());
        port = Integer.parseInt(m.group(1));
        NODE_PORTS.put(timeout, port);
        return port;
    }

    @AfterAll
    static void stop() {
        NODES.forEach(Tool::close);
    }

    /** What openssl s_client saw of one connection. */
    private record Seen(boolean reused, String hint) {
    }

    /**
     * Connects with {@code openssl s_client} (resuming {@code sessionIn} when it exists), saves the session to
     * {@code sessionOut}, and reads from it the ticket's lifetime hint ("-" when the server issued no ticket).
     */
    private static Seen connect(int port, String version, Path sessionIn, Path sessionOut) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", version.equals("TLSv1.3") ? "-tls1_3"
                : "-tls1_2", "-connect", "127.0.0.1:" + port, "-servername", "localhost", "-ign_eof",
                "-sess_out", sessionOut.toString()));
        if (sessionIn != null) {
            cmd.addAll(List.of("-sess_in", sessionIn.toString()));
        }
        Tool client = Tool.run(WAIT, dir, cmd.toArray(String[]::new));
        String out = client.stdout();
        assertTrue(out.contains("hi"), out + client.stderr());
        boolean reused = out.contains("\nReused, ");
        assertTrue(reused || out.contains("\nNew, "), out);
        if (!Files.exists(sessionOut)) {
            return new Seen(reused, "-"); // no session to keep: no ticket (TLS 1.3), or resumed without a new one
        }
        String session = Tool.check(dir, "openssl", "sess_id", "-in", sessionOut.toString(), "-noout", "-text");
        Matcher m = HINT.matcher(session);
        return new Seen(reused, m.find() ? m.group(1) : "-");
    }

    static List<Arguments> timeouts() {
        List<Arguments> out = new ArrayList<>();
        for (JsseProvider p : JsseProvider.values()) {
            for (String version : List.of("TLSv1.3", "TLSv1.2")) {
                for (String timeout : List.of("-", "10", "300", "86400")) {
                    out.add(Arguments.of(p, version, timeout));
                }
            }
        }
        return out;
    }

    private static TlsServer weftServer(JsseProvider provider, String timeout) throws Exception {
        ServerOptions.Builder b = ServerOptions.builder().provider(provider).key(TestCerts.SERVER.privateKeyPem())
                .cert(TestCerts.SERVER.chainPem());
        if (!timeout.equals("-")) {
            b.sessionTimeout(Duration.ofSeconds(Long.parseLong(timeout)));
        }
        return Tls.createServer(b.build(), s -> {
            s.write("hi\n");
            s.end();
        }).listen(0, "127.0.0.1");
    }

    /**
     * Which tickets a provider's server issues: Bouncy Castle none; Conscrypt's TLS 1.3 tickets carry BoringSSL's own
     * lifetime (its TLS 1.3 session timeout, which Conscrypt does not expose), not the session timeout.
     */
    private static boolean ticketAsNodes(JsseProvider provider, String version) {
        return provider == JsseProvider.SUN || provider == JsseProvider.CONSCRYPT && version.equals("TLSv1.2");
    }

    @ParameterizedTest(name = "{0} {1} sessionTimeout={2}")
    @MethodSource("timeouts")
    void ticketsLiveAsLongAsANode24ServersGivenTheSameTimeout(JsseProvider provider, String version, String timeout,
            @TempDir Path tmp) throws Exception {
        Seen node = connect(nodeServer(timeout), version, null, tmp.resolve("node.pem"));
        assertTrue(!node.hint().equals("-"), "Node 24 issues a ticket");
        Seen weft;
        try (TlsServer server = weftServer(provider, timeout)) {
            weft = connect(server.address().getPort(), version, null, tmp.resolve("weft.pem"));
        }
        if (ticketAsNodes(provider, version)) {
            assertEquals(node.hint(), weft.hint(), provider + " " + version + " sessionTimeout " + timeout);
        } else if (provider == JsseProvider.BC) {
            assertEquals("-", weft.hint(), "Bouncy Castle issued a ticket: hold it to Node's");
        } else {
            assertTrue(!weft.hint().equals(node.hint()) || timeout.equals("-"),
                    "Conscrypt's TLS 1.3 ticket now says the session timeout: hold it to Node's");
        }
    }

    /**
     * TLS 1.2 on every provider. In TLS 1.3 an OpenSSL client stops offering a ticket once its lifetime (the first
     * test) has run out, so the server is not asked; a second or so after it runs out the client still offers it
     * (it rounds the age down), which would test the server, but only within that second.
     */
    static List<Arguments> resuming() {
        List<Arguments> out = new ArrayList<>();
        for (JsseProvider p : JsseProvider.values()) {
            out.add(Arguments.of(p, "TLSv1.2"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("resuming")
    void aSessionResumesUntilItsTimeoutAsOnANode24Server(JsseProvider provider, String version, @TempDir Path tmp)
            throws Exception {
        int nodePort = nodeServer("2");
        try (TlsServer server = weftServer(provider, "2")) {
            int weftPort = server.address().getPort();
            Path nodeSession = tmp.resolve("node.pem");
            Path weftSession = tmp.resolve("weft.pem");
            assertEquals(false, connect(nodePort, version, null, nodeSession).reused());
            assertEquals(false, connect(weftPort, version, null, weftSession).reused());
            // at once: both resume
            boolean nodeSoon = connect(nodePort, version, nodeSession, tmp.resolve("n2.pem")).reused();
            boolean weftSoon = connect(weftPort, version, weftSession, tmp.resolve("w2.pem")).reused();
            assertTrue(nodeSoon, "Node 24 resumes a fresh session");
            assertEquals(nodeSoon, weftSoon, provider + " " + version + ": a fresh session");
            // past the timeout (2 s, and a second for the whole-second clocks): neither resumes
            Thread.sleep(3_100);
            boolean nodeLate = connect(nodePort, version, nodeSession, tmp.resolve("n3.pem")).reused();
            boolean weftLate = connect(weftPort, version, weftSession, tmp.resolve("w3.pem")).reused();
            assertEquals(false, nodeLate, "Node 24 does not resume an expired session");
            if (expiresAsNodes(provider, version)) {
                assertEquals(nodeLate, weftLate, provider + " " + version + ": an expired session");
            } else {
                assertEquals(true, weftLate, provider + " " + version + " no longer resumes an expired session: "
                        + "drop the difference from ServerOptions.Builder.sessionTimeout's documentation");
            }
        }
    }

    /** Where a TLS 1.2 session stops resuming with the timeout: not on SunJSSE (it checks no ticket's age). */
    private static boolean expiresAsNodes(JsseProvider provider, String version) {
        return provider != JsseProvider.SUN;
    }

    @Test
    void theTimeoutIsWholeSecondsFromOneOn() {
        ServerOptions.Builder b = ServerOptions.builder();
        assertEquals(Duration.ofSeconds(7200), b.build().sessionTimeout());
        assertEquals(Duration.ofSeconds(2), b.sessionTimeout(Duration.ofMillis(2900)).build().sessionTimeout());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> b.sessionTimeout(Duration.ofMillis(999)));
    }
}
