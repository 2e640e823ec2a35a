package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.MiniJson;
import dev.weft.testing.Node24;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import dev.weft.tls.internal.negotiation.CipherNames;
import dev.weft.tls.internal.provider.ProviderSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Tls#getCiphers()}, {@link Tls#DEFAULT_MIN_VERSION}, {@link Tls#DEFAULT_MAX_VERSION} and
 * {@link Tls#DEFAULT_CIPHERS} against a live Node 24: weft's cipher names are Node 24's {@code tls.getCiphers()}
 * less the suites weft's policy leaves out (decided from {@code openssl ciphers -V}'s description of each suite);
 * the version constants are Node 24's values and what a default weft server and client negotiate with Node 24 on
 * every provider (TLS 1.3 by default, TLS 1.2 when the peer stops there, a TLS 1.1 peer refused);
 * {@code DEFAULT_CIPHERS} selects exactly the suites a default context enables, in its order, on every provider.
 */
class TlsDefaultsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Map<String, Object> node;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void askNode() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        String out = Tool.check(dir, Node24.binary().toString(), "-e", "const tls = require('tls'); console.log("
                + "JSON.stringify({ciphers: tls.getCiphers(), min: tls.DEFAULT_MIN_VERSION,"
                + " max: tls.DEFAULT_MAX_VERSION, curve: tls.DEFAULT_ECDH_CURVE}))");
        node = (Map<String, Object>) MiniJson.parse(out.strip());
    }

    /** openssl's description (a line of {@code openssl ciphers -V}) of every suite it knows, by lowercase name. */
    private static Map<String, String> descriptions() {
        String out = Tool.check(dir, "openssl", "ciphers", "-V", "-ciphersuites", "TLS_AES_256_GCM_SHA384:"
                + "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256",
                "ALL:COMPLEMENTOFALL");
        Map<String, String> d = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split(" +");
            if (f.length > 3) {
                d.put(f[2].toLowerCase(Locale.ROOT), line);
            }
        }
        return d;
    }

    /** weft's policy, from openssl's description of a suite. */
    private static boolean weftOffers(String line) {
        if (line == null) {
            return false; // a suite OpenSSL 3.0 does not know (Node 24 has OpenSSL 3.5)
        }
        if (line.contains("TLSv1.3")) {
            return line.contains("Enc=AESGCM") || line.contains("Enc=CHACHA20");
        }
        return line.contains("Kx=ECDH ") && (line.contains("Au=RSA ") || line.contains("Au=ECDSA "))
                && line.contains("Mac=AEAD") && (line.contains("Enc=AESGCM") || line.contains("Enc=CHACHA20"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void getCiphersIsNode24sListWithinWeftsPolicy() {
        List<String> nodeCiphers = (List<String>) node.get("ciphers");
        Map<String, String> d = descriptions();
        List<String> expected = nodeCiphers.stream().filter(n -> weftOffers(d.get(n))).toList();
        System.out.println("TlsDefaultsIT: Node 24's getCiphers() has " + nodeCiphers.size() + " names, "
                + expected.size() + " within weft's policy: " + expected);
        assertEquals(expected, Tls.getCiphers());
        assertThrows(UnsupportedOperationException.class, () -> Tls.getCiphers().add("x"));
    }

    @Test
    void theVersionConstantsAreNode24s() {
        assertEquals(node.get("min"), Tls.DEFAULT_MIN_VERSION);
        assertEquals(node.get("max"), Tls.DEFAULT_MAX_VERSION);
        assertEquals(node.get("curve"), Tls.DEFAULT_ECDH_CURVE);
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void defaultCiphersIsWhatADefaultContextEnables(JsseProvider provider) throws Exception {
        List<String> enabled = ProviderSupport.of(provider).defaults().get(1);
        assertEquals(enabled, CipherNames.select(Tls.DEFAULT_CIPHERS), provider.cliName());
    }

    /** A Node 24 client's outcome against {@code port} for each client setting: the protocol, or the error code. */
    private static List<String> node24Clients(int port) throws Exception {
        Files.writeString(dir.resolve("clients.js"), """
                const tls = require('tls'), fs = require('fs');
                const settings = [{}, {maxVersion: 'TLSv1.3'}, {maxVersion: 'TLSv1.2'},
                    {minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0'}];
                (async () => {
                  for (const s of settings) {
                    const r = await new Promise(done => {
                      const c = tls.connect({port: Number(process.argv[2]), host: '127.0.0.1', servername: 'localhost',
                          ca: fs.readFileSync('ca.pem'), ...s}, () => { done(c.getProtocol()); c.destroy(); });
                      c.on('error', e => done('ERROR ' + e.code));
                    });
                    console.log(r);
                  }
                })();
                """);
        Tool t = Tool.run(WAIT, dir, Node24.binary().toString(), "clients.js", Integer.toString(port));
        assertEquals(0, t.exitCode(), t.stderr());
        return List.of(t.stdout().strip().split("\n"));
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aDefaultWeftServerNegotiatesTheDefaultVersionsWithNode24(JsseProvider provider) throws Exception {
        List<String> outcomes;
        try (TlsServer server = EchoServers.start(provider)) {
            outcomes = node24Clients(server.address().getPort());
        }
        assertEquals(Tls.DEFAULT_MAX_VERSION, outcomes.get(0), "Node 24's defaults: " + outcomes);
        assertEquals(Tls.DEFAULT_MAX_VERSION, outcomes.get(1), outcomes.toString());
        assertEquals(Tls.DEFAULT_MIN_VERSION, outcomes.get(2), outcomes.toString());
        assertTrue(outcomes.get(3).startsWith("ERROR "), "a TLS 1.1 client is refused: " + outcomes);
    }

    @Test
    void theTls11ClientConnectsToANodeServerThatAllowsIt() throws Exception {
        // the control: the refusal above is the server's doing, not the client's
        Files.writeString(dir.resolve("old-server.js"), """
                const tls = require('tls'), fs = require('fs');
                const s = tls.createServer({key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem'),
                    minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0'}, c => c.end());
                s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
                """);
        try (Tool server = Tool.start(dir, Node24.binary().toString(), "old-server.js")) {
            server.awaitStdout("PORT ", WAIT);
            Matcher m = Pattern.compile("PORT (\\d+)").matcher(server.stdout());
            assertTrue(m.find());
            List<String> outcomes = node24Clients(Integer.parseInt(m.group(1)));
            assertEquals(List.of("TLSv1.3", "TLSv1.3", "TLSv1.2", "TLSv1.1"), outcomes);
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aDefaultWeftClientNegotiatesTheDefaultVersionsWithNode24(JsseProvider provider) throws Exception {
        Files.writeString(dir.resolve("servers.js"), """
                const tls = require('tls'), fs = require('fs');
                const settings = [{}, {maxVersion: 'TLSv1.2'},
                    {minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0'}];
                settings.forEach((o, i) => {
                  const s = tls.createServer({key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem'),
                      ...o}, c => c.end());
                  s.listen(0, '127.0.0.1', () => console.log('PORT ' + i + ' ' + s.address().port));
                });
                """);
        List<String> outcomes = new ArrayList<>();
        try (Tool servers = Tool.start(dir, Node24.binary().toString(), "servers.js")) {
            servers.awaitStdout("PORT 2 ", WAIT);
            for (int i = 0; i < 3; i++) {
                Matcher m = Pattern.compile("PORT " + i + " (\\d+)").matcher(servers.stdout());
                assertTrue(m.find(), servers.stdout());
                try (TlsSocket s = Tls.connect(Integer.parseInt(m.group(1)), "127.0.0.1", ClientOptions.builder()
                        .provider(provider).ca(TestCerts.ROOT.certificatePem()).build())) {
                    outcomes.add(s.protocol());
                } catch (TlsException e) {
                    outcomes.add("ERROR " + e.code());
                }
            }
        }
        assertEquals(Tls.DEFAULT_MAX_VERSION, outcomes.get(0), outcomes.toString());
        assertEquals(Tls.DEFAULT_MIN_VERSION, outcomes.get(1), outcomes.toString());
        assertTrue(outcomes.get(2).startsWith("ERROR "), "a TLS 1.1 server is refused: " + outcomes);
        System.out.println("TlsDefaultsIT: " + provider.cliName() + " client against Node 24 servers: " + outcomes);
    }
}
