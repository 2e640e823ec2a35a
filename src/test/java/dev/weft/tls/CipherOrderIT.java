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
 * The server's order of TLS 1.2 suites decides (Node's {@code honorCipherOrder}, on by default in Node 24), on every
 * provider: for each of several server cipher lists and client orders, {@code openssl s_client} gets from weft the
 * suite a live Node 24 server with the same list picks.
 */
class CipherOrderIT {
    private static final List<String> SERVER_LISTS = List.of(
            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384");
    private static final List<String> CLIENT_ORDERS = List.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256");
    private static final Pattern CIPHER = Pattern.compile("Cipher is (\\S+)");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static Tool node;
    /** Node 24's choice, per server list and client order. */
    private static final Map<String, String> nodeChoice = new LinkedHashMap<>();

    @BeforeAll
    static void askNode() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        StringBuilder lists = new StringBuilder();
        for (String l : SERVER_LISTS) {
            lists.append(lists.isEmpty() ? "" : ",").append('\'').append(l).append('\'');
        }
        Files.writeString(dir.resolve("servers.js"), """
                const tls = require('tls'), fs = require('fs');
                const lists = [%s];
                lists.forEach((ciphers, i) => {
                  const s = tls.createServer({key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem'),
                      ciphers}, c => c.end());
                  s.listen(0, '127.0.0.1', () => console.log('PORT ' + i + ' ' + s.address().port));
                });
                """.formatted(lists));
        node = Tool.start(dir, Node24.binary().toString(), "servers.js");
        node.awaitStdout("PORT " + (SERVER_LISTS.size() - 1) + " ", WAIT);
        for (int i = 0; i < SERVER_LISTS.size(); i++) {
            Matcher m = Pattern.compile("PORT " + i + " (\\d+)").matcher(node.stdout());
            assertTrue(m.find(), node.stdout());
            for (String client : CLIENT_ORDERS) {
                nodeChoice.put(SERVER_LISTS.get(i) + " / " + client, chosen(Integer.parseInt(m.group(1)), client));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String chosen(int port, String clientOrder) {
        Tool c = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2", "-cipher",
                clientOrder);
        Matcher m = CIPHER.matcher(c.stdout());
        assertTrue(m.find(), c.stdout() + c.stderr());
        return m.group(1);
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void theServersOrderWinsAsInNode24(JsseProvider provider) throws Exception {
        List<String> differences = new ArrayList<>();
        for (String list : SERVER_LISTS) {
            try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(provider).ciphers(list),
                    EchoServers.ECHO)) {
                for (String client : CLIENT_ORDERS) {
                    String weft = chosen(server.address().getPort(), client);
                    String reference = nodeChoice.get(list + " / " + client);
                    if (!reference.equals(weft)) {
                        differences.add(list + " / client " + client + ": Node 24 " + reference + ", weft " + weft);
                    }
                }
            }
        }
        assertEquals(List.of(), differences, provider.cliName());
    }
}
