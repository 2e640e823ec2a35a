package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.Node24;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ECDSA server (P-256 and P-384 keys) against Node 24 clients offering one or a few signature schemes, in TLS 1.2
 * (where an ECDSA scheme names only a hash: any curve may sign with it) and TLS 1.3 (where it names the curve too):
 * on every provider weft's server gives each client the verdict a Node 24 server with the same key gives it
 * (connected, or the error the client reports). SunJSSE 25 reads the TLS 1.3 binding into TLS 1.2 as well and
 * answered internal_error where Node connects; BoringSSL (Conscrypt) has no ECDSA with SHA-224 and answered
 * handshake_failure where Node connects: weft hands those clients to another provider's engine
 * ({@code ProviderSupport.servesInstead}), and the test checks which providers served.
 */
class EcdsaSchemesIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final List<String> SIGALGS = List.of("ECDSA+SHA256", "ECDSA+SHA384", "ECDSA+SHA512",
            "ECDSA+SHA384:ECDSA+SHA512", "ECDSA+SHA512:ECDSA+SHA384", "ECDSA+SHA256:ECDSA+SHA384",
            "ECDSA+SHA384:ECDSA+SHA256", "ECDSA+SHA512:ECDSA+SHA256", "ECDSA+SHA224", "ECDSA+SHA224:ECDSA+SHA384",
            "ECDSA+SHA1", "ECDSA+SHA1:ECDSA+SHA512", "RSA+SHA256:ECDSA+SHA384", "RSA-PSS+SHA256:ECDSA+SHA512",
            "ed25519:ECDSA+SHA384", "RSA+SHA256", "RSA-PSS+SHA384:ECDSA+SHA256",
            "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512");
    private static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");
    private static final Map<KeyType, HeldCertificate> CERTS = new LinkedHashMap<>();

    static {
        for (KeyType k : List.of(KeyType.EC_P256, KeyType.EC_P384)) {
            CERTS.put(k, Certs.server("localhost", "127.0.0.1").keyType(k).signedBy(TestCerts.ROOT).build());
        }
    }

    @TempDir
    static Path dir;
    private static final Map<KeyType, List<String>> NODE_VERDICTS = new LinkedHashMap<>();

    /** Per case (version, sigalgs): connects, prints "verdict ok|CODE". */
    private static final String CLIENT_JS = """
            const tls = require('tls');
            const [port, casesJson] = process.argv.slice(2);
            const cases = JSON.parse(casesJson);
            function run(i) {
              if (i === cases.length) return;
              const [maxVersion, sigalgs] = cases[i];
              let done = false;
              const finish = v => { if (!done) { done = true; console.log('verdict ' + v); sock.destroy(); run(i + 1); } };
              const sock = tls.connect({port: +port, host: '127.0.0.1', servername: 'localhost', maxVersion,
                  minVersion: maxVersion, sigalgs, rejectUnauthorized: false}, () => finish('ok ' + sock.getProtocol()));
              sock.on('error', e => finish(e.code || e.message));
              sock.on('close', () => finish('closed'));
            }
            run(0);
            """;

    private static String casesJson() {
        StringBuilder b = new StringBuilder("[");
        for (String v : VERSIONS) {
            for (String s : SIGALGS) {
                b.append(b.length() > 1 ? "," : "").append("[\"").append(v).append("\",\"").append(s).append("\"]");
            }
        }
        return b.append(']').toString();
    }

    private static List<String> verdicts(int port) {
        Tool client = Tool.run(WAIT, dir, Node24.binary().toString(), "client.js", Integer.toString(port),
                casesJson());
        assertEquals(0, client.exitCode(), client.stderr());
        List<String> out = client.stdout().lines().filter(l -> l.startsWith("verdict ")).toList();
        assertEquals(VERSIONS.size() * SIGALGS.size(), out.size(), client.stdout());
        return out;
    }

    @BeforeAll
    static void nodeVerdicts() throws Exception {
        Files.writeString(dir.resolve("client.js"), CLIENT_JS);
        Files.writeString(dir.resolve("server.js"), """
                const tls = require('tls'), fs = require('fs');
                const s = tls.createServer({key: fs.readFileSync(process.argv[2]), cert: fs.readFileSync(process.argv[3])},
                    sock => { sock.on('error', () => {}); sock.end(); });
                s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
                """);
        for (Map.Entry<KeyType, HeldCertificate> e : CERTS.entrySet()) {
            Path key = dir.resolve(e.getKey() + ".key.pem");
            Path cert = dir.resolve(e.getKey() + ".cert.pem");
            Files.writeString(key, e.getValue().privateKeyPem());
            Files.writeString(cert, e.getValue().chainPem());
            try (Tool node = Tool.start(dir, Node24.binary().toString(), "server.js", key.toString(), cert.toString())) {
                node.awaitStdout("PORT ", Duration.ofSeconds(30));
                Matcher m = Pattern.compile("PORT (\\d+)").matcher(node.stdout());
                assertTrue(m.find(), node.stdout());
                NODE_VERDICTS.put(e.getKey(), verdicts(Integer.parseInt(m.group(1))));
            }
        }
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsseProvider p : JsseProvider.values()) {
            for (KeyType k : CERTS.keySet()) {
                out.add(Arguments.of(p, k));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aWeftServerGivesEachClientANode24ServersVerdict(JsseProvider provider, KeyType key) throws Exception {
        HeldCertificate cert = CERTS.get(key);
        List<String> weft;
        java.util.Set<JsseProvider> serving = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (TlsServer server = Tls.createServer(ServerOptions.builder().provider(provider)
                .key(cert.privateKeyPem()).cert(cert.chainPem()).build(), s -> {
                    serving.add(s.provider());
                    s.end();
                }).listen(0, "127.0.0.1")) {
            weft = verdicts(server.address().getPort());
        }
        // SunJSSE hands the TLS 1.2 clients whose ECDSA schemes name another curve to Bouncy Castle, Conscrypt those
        // offering only ECDSA with SHA-224 to SunJSSE; Bouncy Castle serves every client itself
        assertEquals(switch (provider) {
            case SUN -> java.util.Set.of(JsseProvider.SUN, JsseProvider.BC);
            case CONSCRYPT -> java.util.Set.of(JsseProvider.CONSCRYPT, JsseProvider.SUN);
            default -> java.util.Set.of(provider);
        }, serving, "the providers that served");
        List<String> node = NODE_VERDICTS.get(key);
        long connected = node.stream().filter(v -> v.startsWith("verdict ok")).count();
        assertTrue(connected > 5 && connected < node.size() - 5, "the corpus has both verdicts: " + node);
        List<String> mismatches = new ArrayList<>();
        int i = 0;
        for (String v : VERSIONS) {
            for (String s : SIGALGS) {
                if (!node.get(i).equals(weft.get(i))) {
                    mismatches.add(v + " " + s + ": Node 24 " + node.get(i) + ", weft " + weft.get(i));
                }
                i++;
            }
        }
        assertEquals(List.of(), mismatches, provider + " " + key);
    }

    @AfterAll
    static void done() {
        NODE_VERDICTS.clear();
    }
}
