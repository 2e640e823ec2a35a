package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server decides which key-exchange groups it computes, on every provider: X25519, P-256 and P-384 (and Bouncy
 * Castle's hybrid X25519MLKEM768), never a finite-field group a client lists first (an 8192-bit modular
 * exponentiation is the attacker's choice of CPU cost), with {@code openssl s_client -groups} over TLS 1.3 and 1.2;
 * a client that offers one of them connects, one that offers none is refused. A live Node 24 server is asked the
 * same and where it chooses otherwise (it also accepts ffdhe2048/3072, X448, P-521) it is printed.
 */
class GroupsIT {
    private static final List<String> CLIENT_GROUPS = List.of("ffdhe8192:X25519", "ffdhe2048:P-256",
            "ffdhe3072:P-384:X25519", "ffdhe8192", "ffdhe2048", "P-521:P-384", "P-521", "X448:P-256", "X25519:P-256",
            "P-256:X25519");
    private static final Pattern TEMP_KEY = Pattern.compile("Server Temp Key: ([^\\n]+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Tool node;
    private static final Map<String, String> nodeAnswers = new LinkedHashMap<>();

    @BeforeAll
    static void askNode() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        Files.writeString(dir.resolve("server.js"), """
                const tls = require('tls'), fs = require('fs');
                const s = tls.createServer({key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem')},
                    c => c.end());
                s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
                """);
        node = Tool.start(dir, Node24.binary().toString(), "server.js");
        node.awaitStdout("PORT ", WAIT);
        Matcher m = Pattern.compile("PORT (\\d+)").matcher(node.stdout());
        assertTrue(m.find(), node.stdout());
        int port = Integer.parseInt(m.group(1));
        for (String version : List.of("-tls1_3", "-tls1_2")) {
            for (String groups : CLIENT_GROUPS) {
                nodeAnswers.put(version + " " + groups, answer(port, version, groups));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** The group the server chose ("Server Temp Key"), or "refused". */
    private static String answer(int port, String version, String groups) {
        Tool c = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, version, "-groups", groups,
                "-CAfile", "ca.pem", "-servername", "localhost");
        Matcher m = TEMP_KEY.matcher(c.stdout());
        return c.stdout().contains("Cipher is (NONE)") || !m.find() ? "refused" : m.group(1);
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aNode24ClientGetsTheHybridPostQuantumGroupsWhereTheProviderHasThem(JsseProvider provider) throws Exception {
        Files.writeString(dir.resolve("client.js"), """
                const opts = {port: Number(process.argv[2]), host: '127.0.0.1', servername: 'localhost',
                    ca: require('fs').readFileSync('ca.pem')};
                if (process.argv[3]) opts.ecdhCurve = process.argv[3];
                const s = require('tls').connect(opts,
                  () => { console.log('GROUP ' + s.getEphemeralKeyInfo().name); s.end(); });
                s.on('data', () => {});
                s.on('error', e => { console.log('ERROR ' + e.code); });
                """);
        boolean hybrid = provider == JsseProvider.BC; // JDK 25's SunJSSE and Conscrypt 2.5.2's BoringSSL have no ML-KEM
        try (TlsServer server = EchoServers.start(provider)) {
            String port = Integer.toString(server.address().getPort());
            Tool client = Tool.run(WAIT, dir, Node24.binary().toString(), "client.js", port);
            assertEquals(0, client.exitCode(), client.stderr());
            assertTrue(client.stdout().contains("GROUP " + (hybrid ? "X25519MLKEM768" : "X25519") + "\n"),
                    "Node 24's defaults: " + client.stdout());
            client = Tool.run(WAIT, dir, Node24.binary().toString(), "client.js", port, "SecP256r1MLKEM768");
            assertTrue(client.stdout().contains(hybrid ? "GROUP SecP256r1MLKEM768\n" : "ERROR "),
                    "a client asking for SecP256r1MLKEM768 alone: " + client.stdout());
        }
    }

    /** The groups weft's server accepts by default, as {@code openssl -groups} names them. */
    private static final List<String> WEFT_GROUPS = List.of("X25519", "P-256", "P-384");

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void theServerComputesOnlyItsOwnGroupsNeverAFiniteFieldOne(JsseProvider provider) throws Exception {
        List<String> wrong = new ArrayList<>();
        List<String> unlikeNode = new ArrayList<>();
        try (TlsServer server = EchoServers.start(provider)) {
            for (var e : nodeAnswers.entrySet()) {
                String[] parts = e.getKey().split(" ");
                String weft = answer(server.address().getPort(), parts[0], parts[1]);
                List<String> offered = List.of(parts[1].split(":"));
                // in TLS 1.2 the client's groups also name the curves it takes for an ECDSA certificate (RFC 8422):
                // this server's is P-256
                boolean overlap = parts[0].equals("-tls1_2") ? offered.contains("P-256")
                        : offered.stream().anyMatch(WEFT_GROUPS::contains);
                boolean ok = overlap ? !weft.equals("refused") && !weft.startsWith("DH") : weft.equals("refused");
                if (!ok) {
                    wrong.add(e.getKey() + ": weft " + weft);
                }
                if (!weft.equals(e.getValue())) {
                    unlikeNode.add(e.getKey() + ": Node 24 " + e.getValue() + ", weft " + weft);
                }
            }
        }
        // Node 24 also accepts ffdhe2048/3072, X448 and P-521, and prefers its own order where the provider takes
        // the client's: printed, the choice of groups being weft's (README, Security and limits)
        System.out.println(provider + " where Node 24 chooses otherwise: " + unlikeNode);
        assertEquals(List.of(), wrong, provider.cliName() + ": a group outside X25519, P-256, P-384, or a refusal"
                + " of a client that offers one of them");
    }
}
