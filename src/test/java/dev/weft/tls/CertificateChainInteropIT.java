package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A chain made by {@code dev.weft.cert} (root, intermediate, leaf) served by weft verifies in real peers that
 * trust only the root: Node's tls client and {@code openssl s_client -verify_return_error}, on every provider.
 */
class CertificateChainInteropIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TlsServer chainServer(JsseProvider provider) throws Exception {
        return EchoServers.listen(ServerOptions.builder().provider(provider)
                .key(TestCerts.CHAINED_SERVER.privateKeyPem()).cert(TestCerts.CHAINED_SERVER.chainPem()).build(),
                s -> {
                    s.write("welcome!\n");
                    EchoServers.echo(s);
                });
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void nodeClientTrustingOnlyTheRootIsAuthorized(JsseProvider provider, @TempDir Path dir) throws Exception {
        Path root = dir.resolve("root.pem");
        Files.writeString(root, TestCerts.ROOT.certificatePem());
        Path script = dir.resolve("client.js");
        Files.writeString(script, """
                const tls = require('tls'), fs = require('fs');
                const s = tls.connect({port: +process.argv[2], host: '127.0.0.1', servername: 'localhost',
                                       ca: fs.readFileSync(process.argv[3])}, () => {
                  console.log('authorized=' + s.authorized + ' protocol=' + s.getProtocol());
                  s.end();
                });
                s.on('data', d => process.stdout.write(d));
                s.on('error', e => { console.log('error=' + e.code); process.exit(3); });
                """);
        try (TlsServer server = chainServer(provider)) {
            Tool node = Tool.run(WAIT, dir, "node", script.toString(),
                    String.valueOf(server.address().getPort()), root.toString());
            assertEquals(0, node.exitCode(), node.stdout() + node.stderr());
            assertTrue(node.stdout().contains("authorized=true protocol=TLSv1.3"), node.stdout());
            assertTrue(node.stdout().contains("welcome!"), node.stdout());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void opensslVerifiesTheChainAgainstTheRoot(JsseProvider provider, @TempDir Path dir) throws Exception {
        Path root = dir.resolve("root.pem");
        Files.writeString(root, TestCerts.ROOT.certificatePem());
        try (TlsServer server = chainServer(provider);
                Tool client = Tool.start(dir, "openssl", "s_client", "-connect",
                        "127.0.0.1:" + server.address().getPort(), "-CAfile", root.toString(),
                        "-verify_return_error", "-verify_hostname", "localhost")) {
            client.awaitStdout("welcome!", WAIT);
            assertTrue(client.stdout().contains("Verify return code: 0 (ok)"), client.stdout());
            assertTrue(client.stdout().contains("Weft Intermediate CA"), client.stdout());
        }
    }
}
