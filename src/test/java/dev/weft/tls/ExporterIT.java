package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.Node24;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Keying-material exporters (RFC 5705, RFC 8446 section 7.5) against a live Node 24: on SunJSSE and Conscrypt,
 * TLS 1.3 and 1.2, weft as client of a Node server and as server of a Node client, the same bytes for the same labels,
 * lengths and contexts (none, empty, some: TLS 1.2 tells none from empty).
 */
class ExporterIT {
    /** What both ends export: label, length, and the context as hex ("-" for none). */
    private static final List<String[]> EXPORTS = List.of(
            new String[] {"EXPORTER-weft-test", "32", "-"},
            new String[] {"EXPORTER-weft-test", "32", ""},
            new String[] {"EXPORTER-weft-test", "16", "636f6e74657874"},
            new String[] {"EXPORTER-Channel-Binding", "32", "-"},
            new String[] {"another label", "100", "00ff00"});
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Tool nodeServer;
    private static int nodePort;

    /** The script's exports, one per line, in the order of {@link #EXPORTS}. */
    private static final String EXPORT_JS = """
            const exportsWanted = %s;
            function exported(sock) {
              return exportsWanted.map(([label, len, ctx]) => (ctx === '-'
                  ? sock.exportKeyingMaterial(Number(len), label)
                  : sock.exportKeyingMaterial(Number(len), label, Buffer.from(ctx, 'hex'))).toString('hex'));
            }
            """;

    private static String exportsJson() {
        StringBuilder b = new StringBuilder("[");
        for (String[] e : EXPORTS) {
            b.append(b.length() > 1 ? "," : "").append("['").append(e[0]).append("','").append(e[1]).append("','")
                    .append(e[2]).append("']");
        }
        return b.append("]").toString();
    }

    @BeforeAll
    static void nodeServer() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        Files.writeString(dir.resolve("server.js"), EXPORT_JS.formatted(exportsJson()) + """
                const tls = require('tls'), fs = require('fs');
                const s = tls.createServer({key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem')},
                    sock => { sock.end(sock.getProtocol() + '\\n' + exported(sock).join('\\n') + '\\n'); });
                s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
                """);
        Files.writeString(dir.resolve("client.js"), EXPORT_JS.formatted(exportsJson()) + """
                const tls = require('tls'), fs = require('fs');
                const sock = tls.connect({port: Number(process.argv[2]), host: '127.0.0.1', servername: 'localhost',
                    ca: fs.readFileSync('ca.pem'), maxVersion: process.argv[3]}, () => {
                  console.log(sock.getProtocol() + '\\n' + exported(sock).join('\\n'));
                  sock.end();
                });
                sock.on('data', () => {});
                """);
        nodeServer = Tool.start(dir, Node24.binary().toString(), "server.js");
        nodeServer.awaitStdout("PORT ", WAIT);
        Matcher m = Pattern.compile("PORT (\\d+)").matcher(nodeServer.stdout());
        assertTrue(m.find(), nodeServer.stdout());
        nodePort = Integer.parseInt(m.group(1));
    }

    @AfterAll
    static void stop() {
        if (nodeServer != null) {
            nodeServer.close();
        }
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsseProvider p : JsseProvider.values()) {
            for (String version : List.of("TLSv1.3", "TLSv1.2")) {
                cases.add(Arguments.of(p, version));
            }
        }
        return cases;
    }

    static List<Arguments> exporting() {
        return cases().stream().filter(a -> a.get()[0] != JsseProvider.BC).toList();
    }

    static List<Arguments> bouncyCastle() {
        return cases().stream().filter(a -> a.get()[0] == JsseProvider.BC).toList();
    }

    @ParameterizedTest
    @MethodSource("bouncyCastle")
    void bouncyCastleHasNoExporterAndSaysSo(JsseProvider client, String version) throws Exception {
        try (TlsSocket s = Tls.connect(nodePort, "127.0.0.1", ClientOptions.builder().provider(client)
                .ca(TestCerts.ROOT.certificatePem()).maxVersion(version).build())) {
            TlsException e = assertThrows(TlsException.class, () -> s.exportKeyingMaterial(32, "EXPORTER-weft-test"));
            assertEquals("ERR_WEFT_EXPORTER_UNSUPPORTED", e.code(), "Bouncy Castle gained an exporter: use it");
        }
    }

    private static List<String> weftExports(TlsSocket s) throws TlsException {
        List<String> out = new ArrayList<>();
        out.add(s.protocol());
        for (String[] e : EXPORTS) {
            byte[] context = e[2].equals("-") ? null : HexFormat.of().parseHex(e[2]);
            out.add(HexFormat.of().formatHex(s.exportKeyingMaterial(Integer.parseInt(e[1]), e[0], context)));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("exporting")
    void aWeftClientExportsWhatANode24ServerExports(JsseProvider provider, String version) throws Exception {
        try (TlsSocket s = Tls.connect(nodePort, "127.0.0.1", ClientOptions.builder().provider(provider)
                .ca(TestCerts.ROOT.certificatePem()).maxVersion(version).build())) {
            List<String> mine = weftExports(s);
            List<String> node = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .lines().toList();
            assertEquals(version, node.getFirst());
            assertEquals(node, mine, provider + " " + version);
        }
    }

    @ParameterizedTest
    @MethodSource("exporting")
    void aWeftServerExportsWhatANode24ClientExports(JsseProvider provider, String version) throws Exception {
        CompletableFuture<List<String>> served = new CompletableFuture<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(provider), s -> {
            try {
                served.complete(weftExports(s));
            } catch (TlsException e) {
                served.completeExceptionally(e);
            }
            EchoServers.echo(s);
        })) {
            Tool client = Tool.run(WAIT, dir, Node24.binary().toString(), "client.js",
                    Integer.toString(server.address().getPort()), version);
            assertEquals(0, client.exitCode(), client.stderr());
            List<String> node = client.stdout().lines().toList();
            assertEquals(version, node.getFirst());
            assertEquals(node, served.get(10, TimeUnit.SECONDS), provider + " " + version);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aClosedSocketExportsNothing(JsseProvider provider, String version) throws Exception {
        TlsSocket s = Tls.connect(nodePort, "127.0.0.1", ClientOptions.builder().provider(provider)
                .ca(TestCerts.ROOT.certificatePem()).maxVersion(version).build());
        s.close();
        TlsException e = assertThrows(TlsException.class, () -> s.exportKeyingMaterial(32, "EXPORTER-weft-test"));
        assertEquals("ERR_TLS_INVALID_STATE", e.code());
    }
}
