package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.Node24;
import dev.weft.testing.NodeCertificates;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a connection tells about its handshake, against a live Node 24 on the other end, on every provider, TLS 1.3
 * and 1.2, full and resumed handshakes, weft as client and as server, with RSA and EC certificates on both ends:
 * {@link TlsSocket#x509Certificate()} / {@link TlsSocket#peerX509Certificate()} (the DER Node's
 * {@code getPeerX509Certificate().raw} / {@code getX509Certificate().raw} has), {@link TlsSocket#certificate()}
 * (the JSON of Node's {@code getPeerCertificate()} of the same certificate, key by key), and
 * {@link TlsSocket#finished()} / {@link TlsSocket#peerFinished()} (Node's {@code getPeerFinished()} /
 * {@code getFinished()}; where weft refuses, that it refuses with {@code ERR_WEFT_FINISHED_UNSUPPORTED} exactly
 * where the provider does not tell the message, and that whatever it returns is Node's).
 */
class HandshakeFactsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The credentials: an EC P-256 server and an RSA client, or an RSA server and an EC P-384 client. */
    private static final HeldCertificate EC_SERVER = TestCerts.SERVER;
    private static final HeldCertificate RSA_SERVER = Certs.server("localhost", "127.0.0.1")
            .keyType(KeyType.RSA_2048).signedBy(TestCerts.ROOT).build();
    private static final HeldCertificate RSA_CLIENT = Certs.client("rsa-client").subject("/O=Weft/OU=a/CN=rsa-client")
            .keyType(KeyType.RSA_2048).signedBy(TestCerts.ROOT).build();
    private static final HeldCertificate EC_CLIENT = Certs.client("ec-client").keyType(KeyType.EC_P384)
            .signedBy(TestCerts.ROOT).build();

    /** Node's facts about one connection, one line each: {@code TAG value}. */
    private static final String FACTS_JS = """
            const tls = require('tls'), fs = require('fs');
            function conv(c) {
              const out = {};
              for (const k of Object.keys(c)) { const v = c[k]; out[k] = Buffer.isBuffer(v) ? v.toString('base64') : v; }
              return out;
            }
            function facts(s) {
              const x = s.getX509Certificate(), px = s.getPeerX509Certificate();
              const f = s.getFinished(), pf = s.getPeerFinished();
              return ['protocol ' + s.getProtocol(), 'reused ' + s.isSessionReused(),
                  'x509 ' + (x ? x.raw.toString('base64') : '-'), 'peerx509 ' + (px ? px.raw.toString('base64') : '-'),
                  'cert ' + JSON.stringify(conv(s.getCertificate() || {})),
                  'peercert ' + JSON.stringify(conv(s.getPeerCertificate() || {})),
                  'finished ' + (f ? f.toString('hex') : '-'), 'peerfinished ' + (pf ? pf.toString('hex') : '-'),
                  'end'].join('\\n');
            }
            """;

    @TempDir
    static Path dir;
    private static final List<Tool> NODE_SERVERS = new ArrayList<>();
    /** The Node 24 servers: EC server asking for a client certificate, RSA server. */
    private static int ecNodePort;
    private static int rsaNodePort;

    @BeforeAll
    static void nodeServers() throws Exception {
        for (HeldCertificate h : List.of(EC_SERVER, RSA_SERVER, RSA_CLIENT, EC_CLIENT)) {
            Files.writeString(dir.resolve(name(h) + ".cert.pem"), h.chainPem());
            Files.writeString(dir.resolve(name(h) + ".key.pem"), h.privateKeyPem());
        }
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        Files.writeString(dir.resolve("server.js"), FACTS_JS + """
                const [key, cert] = process.argv.slice(2);
                const s = tls.createServer({key: fs.readFileSync(key), cert: fs.readFileSync(cert),
                    ca: fs.readFileSync('ca.pem'), requestCert: true, rejectUnauthorized: false},
                    sock => { sock.on('error', () => {}); sock.end(facts(sock) + '\\n'); });
                s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
                """);
        // connects twice, the second time resuming the first session; prints both connections' facts
        Files.writeString(dir.resolve("client.js"), FACTS_JS + """
                const [port, maxVersion, key, cert] = process.argv.slice(2);
                function connect(session, then) {
                  const o = {port: +port, host: '127.0.0.1', servername: 'localhost', ca: fs.readFileSync('ca.pem'),
                      maxVersion, session};
                  if (key) { o.key = fs.readFileSync(key); o.cert = fs.readFileSync(cert); }
                  let saved;
                  const sock = tls.connect(o, () => { console.log(facts(sock)); });
                  sock.on('session', s => { saved = s; });
                  sock.on('data', () => {});
                  sock.on('end', () => { sock.end(); });
                  sock.on('close', () => then(saved));
                  sock.on('error', e => { console.error(e.code + ' ' + e.message); process.exit(3); });
                }
                connect(undefined, s => connect(s, () => {}));
                """);
        ecNodePort = startNode(EC_SERVER);
        rsaNodePort = startNode(RSA_SERVER);
    }

    private static String name(HeldCertificate h) {
        return h == EC_SERVER ? "ecserver" : h == RSA_SERVER ? "rsaserver" : h == RSA_CLIENT ? "rsaclient" : "ecclient";
    }

    private static int startNode(HeldCertificate h) {
        Tool node = Tool.start(dir, Node24.binary().toString(), "server.js", name(h) + ".key.pem",
                name(h) + ".cert.pem");
        NODE_SERVERS.add(node);
        node.awaitStdout("PORT ", WAIT);
        Matcher m = Pattern.compile("PORT (\\d+)").matcher(node.stdout());
        assertTrue(m.find(), node.stdout());
        return Integer.parseInt(m.group(1));
    }

    @AfterAll
    static void stop() {
        NODE_SERVERS.forEach(Tool::close);
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsseProvider p : JsseProvider.values()) {
            for (String version : List.of("TLSv1.3", "TLSv1.2")) {
                for (boolean rsaServer : List.of(false, true)) {
                    cases.add(Arguments.of(p, version, rsaServer));
                }
            }
        }
        return cases;
    }

    /** Node's facts of each connection, in order. */
    private static List<Map<String, String>> parse(List<String> lines) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.equals("end")) {
                out.add(current);
                current = new LinkedHashMap<>();
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp > 0) {
                current.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        return out;
    }

    /** weft's side of one connection, in the same words. */
    private record Weft(String protocol, boolean reused, Optional<X509Certificate> x509, Optional<X509Certificate> peerX509,
            Optional<PeerCertificate> certificate, Object finished, Object peerFinished) {
        static Weft of(TlsSocket s) {
            return new Weft(s.protocol(), s.isSessionReused(), s.x509Certificate(), s.peerX509Certificate(),
                    s.certificate(), finishedOrCode(s, true), finishedOrCode(s, false));
        }
    }

    /** The hex of the Finished weft tells, or the code of its refusal. */
    private static Object finishedOrCode(TlsSocket s, boolean mine) {
        try {
            return HexFormat.of().formatHex(mine ? s.finished() : s.peerFinished());
        } catch (TlsException e) {
            return new Refused(e.code(), e.getMessage());
        }
    }

    private record Refused(String code, String message) {
    }

    private static String der(Optional<X509Certificate> c) throws Exception {
        return c.isEmpty() ? "-" : Base64.getEncoder().encodeToString(c.get().getEncoded());
    }

    /**
     * Which of the two Finished messages {@code provider} tells weft (the rest it refuses): the first of a TLS 1.2
     * handshake (tls-unique) on Bouncy Castle and a Conscrypt client; none elsewhere.
     */
    private static boolean tells(JsseProvider provider, boolean server, String protocol, boolean reused, boolean mine) {
        boolean firstIsMine = server == reused;
        return protocol.equals("TLSv1.2") && mine == firstIsMine
                && (provider == JsseProvider.BC || provider == JsseProvider.CONSCRYPT && !server);
    }

    /** Compares weft's facts with the Node peer's: the peer's "peer" facts are weft's own, and the reverse. */
    private static void compare(JsseProvider provider, boolean server, Weft weft, Map<String, String> node,
            Map<String, String> first, String label) throws Exception {
        assertEquals(node.get("protocol"), weft.protocol(), label);
        if (!(server && provider == JsseProvider.CONSCRYPT)) { // a Conscrypt server cannot tell
            assertEquals(Boolean.parseBoolean(node.get("reused")), weft.reused(), label + ": resumed on both ends");
        }
        if (node.get("peerx509").equals("-") && Boolean.parseBoolean(node.get("reused"))) {
            // a resumed Node 24 client tells no server certificate: weft's server still serves the one the first
            // connection's Node client saw (as a resumed Node 24 server tells its own, aWeftClientTells...)
            assertTrue(server, label);
            node = new LinkedHashMap<>(node);
            node.put("peerx509", first.get("peerx509"));
            node.put("peercert", first.get("peercert"));
        }
        assertEquals(node.get("peerx509"), der(weft.x509()), label + ": weft's x509Certificate");
        assertEquals(node.get("x509"), der(weft.peerX509()), label + ": weft's peerX509Certificate");
        // getCertificate(): Node's getPeerCertificate() of the same certificate, key by key. Node 24 orders the keys
        // of the public key (bits after pubkey, the curve's names last) unlike Node 20, whose order PeerCertificate
        // keeps (PeerCertificateNodeTest): the members are compared here, not their order
        assertEquals(new java.util.TreeMap<>(NodeCertificates.topLevel(node.get("peercert"))),
                new java.util.TreeMap<>(NodeCertificates.topLevel(weft.certificate().map(PeerCertificate::toJson)
                        .orElse("{}"))), label + ": certificate()");
        for (boolean mine : List.of(true, false)) {
            Object got = mine ? weft.finished() : weft.peerFinished();
            String nodeSide = node.get(mine ? "peerfinished" : "finished");
            String what = label + (mine ? ": finished()" : ": peerFinished()");
            assertNotEquals("-", nodeSide, what + ": Node has it");
            if (tells(provider, server, weft.protocol(), weft.reused(), mine)) {
                assertEquals(nodeSide, got, what);
                assertEquals(24, nodeSide.length(), what + ": 12 bytes");
            } else {
                Refused r = assertInstanceOfRefused(got, what);
                assertEquals("ERR_WEFT_FINISHED_UNSUPPORTED", r.code(), what + ": " + r.message());
            }
        }
    }

    private static Refused assertInstanceOfRefused(Object got, String what) {
        assertTrue(got instanceof Refused, what + ": weft told " + got + " where it was expected to refuse: "
                + "the provider tells more now; let weft return it");
        return (Refused) got;
    }

    @ParameterizedTest(name = "{0} {1} rsaServer={2}")
    @MethodSource("cases")
    void aWeftClientTellsWhatItsNode24ServerSees(JsseProvider provider, String version, boolean rsaServer)
            throws Exception {
        HeldCertificate mine = rsaServer ? EC_CLIENT : RSA_CLIENT;
        int port = rsaServer ? rsaNodePort : ecNodePort;
        SecureContext context = null;
        TlsSession session = null;
        int resumed = 0;
        for (int i = 0; i < 2; i++) {
            ClientOptions.Builder b = ClientOptions.builder().provider(provider).servername("localhost")
                    .ca(TestCerts.ROOT.certificatePem()).maxVersion(version).key(mine.privateKeyPem())
                    .cert(mine.chainPem());
            if (session != null) {
                b.session(session);
            }
            try (TlsSocket s = Tls.connect(port, "127.0.0.1", b.build())) {
                Weft weft = Weft.of(s);
                List<String> lines = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8)).lines().toList();
                List<Map<String, String>> node = parse(lines);
                assertEquals(1, node.size(), String.join("\n", lines));
                compare(provider, false, weft, node.getFirst(), node.getFirst(), provider + " " + version
                        + " connection " + i);
                assertNotEquals("-", node.getFirst().get("x509"), "a Node 24 server tells its certificate, resumed too");
                resumed += weft.reused() ? 1 : 0;
                session = s.session();
            }
        }
        // a Node server resumes TLS 1.2 by ticket only (no session cache without 'newSession' listeners), which
        // Bouncy Castle's client does not take: it resumes nothing there
        if (provider != JsseProvider.BC) {
            assertResumedWhereTheProviderResumes(provider, version, resumed);
        }
    }

    private static void assertResumedWhereTheProviderResumes(JsseProvider provider, String version, int resumed) {
        if (version.equals("TLSv1.2") || provider != JsseProvider.BC) {
            assertEquals(1, resumed, provider + " " + version + ": the second connection resumed");
        }
    }

    @ParameterizedTest(name = "{0} {1} rsaServer={2}")
    @MethodSource("cases")
    void aWeftServerTellsWhatItsNode24ClientSees(JsseProvider provider, String version, boolean rsaServer)
            throws Exception {
        HeldCertificate mine = rsaServer ? RSA_SERVER : EC_SERVER;
        HeldCertificate client = rsaServer ? EC_CLIENT : RSA_CLIENT;
        LinkedBlockingQueue<Weft> seen = new LinkedBlockingQueue<>();
        ServerOptions options = ServerOptions.builder().provider(provider).key(mine.privateKeyPem())
                .cert(mine.chainPem()).requestCert(true).rejectUnauthorized(false).ca(TestCerts.ROOT.certificatePem())
                .build();
        try (TlsServer server = Tls.createServer(options, s -> {
            seen.add(Weft.of(s));
            s.end();
        }).listen(0, "127.0.0.1")) {
            Tool node = Tool.run(WAIT, dir, Node24.binary().toString(), "client.js",
                    Integer.toString(server.address().getPort()), version, name(client) + ".key.pem",
                    name(client) + ".cert.pem");
            assertEquals(0, node.exitCode(), node.stderr());
            List<Map<String, String>> facts = parse(node.stdout().lines().toList());
            assertEquals(2, facts.size(), node.stdout());
            int resumed = 0;
            for (int i = 0; i < 2; i++) {
                Weft weft = seen.poll(10, TimeUnit.SECONDS);
                compare(provider, true, weft, facts.get(i), facts.getFirst(), provider + " " + version + " connection "
                        + i);
                resumed += weft.reused() ? 1 : 0;
            }
            if (provider != JsseProvider.CONSCRYPT) { // a Conscrypt server cannot tell (ProviderSupport.resumption)
                assertResumedWhereTheProviderResumes(provider, version, resumed);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} rsaServer={2}")
    @MethodSource("cases")
    void aClosedSocketTellsNothing(JsseProvider provider, String version, boolean rsaServer) throws Exception {
        TlsSocket s = Tls.connect(rsaServer ? rsaNodePort : ecNodePort, "127.0.0.1", ClientOptions.builder()
                .provider(provider).ca(TestCerts.ROOT.certificatePem()).servername("localhost").maxVersion(version)
                .build());
        assertTrue(s.peerX509Certificate().isPresent());
        assertFalse(s.x509Certificate().isPresent(), "no client certificate: Node's undefined");
        assertEquals(Optional.empty(), s.certificate());
        s.close();
        assertEquals(Optional.empty(), s.peerX509Certificate());
        assertEquals("ERR_TLS_INVALID_STATE", assertThrows(TlsException.class, s::finished).code());
        assertEquals("ERR_TLS_INVALID_STATE", assertThrows(TlsException.class, s::peerFinished).code());
    }
}
