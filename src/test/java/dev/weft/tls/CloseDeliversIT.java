package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.Node24;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Closing a connection loses nothing of what this end wrote, even when the peer had sent data this end never read:
 * a TCP socket closed with unread bytes sends RST, and a peer receiving RST drops what it had not read yet. The
 * oracle is Node 24 itself: its client writes 256 KiB and {@code end()}s against the same server, and the server
 * gets every byte; weft's client (and weft's server, toward a Node 24 client) must do the same on every provider.
 */
class CloseDeliversIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SIZE = 256 * 1024;

    /**
     * JavaScript: {@code countLater(c)} reads nothing from {@code c} for a second, then counts what arrives and prints
     * {@code got N end} (or {@code got N error CODE}).
     */
    private static final String COUNT_LATER = """
            function countLater(c) {
              c.pause();
              let got = 0;
              setTimeout(() => {
                c.on('data', d => got += d.length);
                c.on('end', () => console.log('got ' + got + ' end'));
                c.on('error', e => console.log('got ' + got + ' error ' + e.code));
                c.resume();
              }, 1000);
            }
            """;

    /** A server that sends 64 KiB at once, reads nothing for a second, then counts what arrives until the end. */
    private static final String SERVER = COUNT_LATER + """
            const tls = require('tls'), fs = require('fs');
            const [key, cert] = process.argv.slice(2).map(f => fs.readFileSync(f));
            const s = tls.createServer({key, cert}, c => {
              c.write(Buffer.alloc(65536, 1));
              countLater(c);
            });
            s.listen(0, '127.0.0.1', () => console.log('listening ' + s.address().port));
            """;

    /** Node's own client: writes SIZE bytes and end()s, never reading. */
    private static final String NODE_CLIENT = """
            const tls = require('tls');
            const c = tls.connect({port: +process.argv[2], host: '127.0.0.1', rejectUnauthorized: false}, () => {
              c.write(Buffer.alloc(+process.argv[3]));
              c.end();
            });
            c.on('error', e => console.log('client error ' + e.code));
            """;

    /** A client that sends 64 KiB at once, reads nothing for a second, then counts what arrives until the end. */
    private static final String COUNTING_CLIENT = COUNT_LATER + """
            const tls = require('tls');
            const c = tls.connect({port: +process.argv[2], host: '127.0.0.1', rejectUnauthorized: false}, () => {
              c.write(Buffer.alloc(65536, 1));
            });
            countLater(c);
            """;

    private static final Pattern GOT = Pattern.compile("got (\\d+) (end|error \\S+)");

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aClientThatClosesWithoutReadingLosesNothing(JsseProvider provider, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("server.js"), SERVER);
        Files.writeString(dir.resolve("client.js"), NODE_CLIENT);
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        String node = Node24.binary().toString();

        String oracle = received(dir, node, port -> {
            Tool client = Tool.run(WAIT, dir, node, "client.js", String.valueOf(port), String.valueOf(SIZE));
            assertEquals(0, client.exitCode(), client.stderr());
        });
        assertEquals(SIZE + " end", oracle, "Node 24's own client is the oracle: it loses nothing");

        String weft = received(dir, node, port -> {
            TlsSocket s = Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(provider)
                    .rejectUnauthorized(false).build());
            OutputStream out = s.getOutputStream();
            out.write(new byte[SIZE]);
            out.flush();
            s.close(); // the server's 64 KiB were never read
        });
        assertEquals(oracle, weft, provider + ": what the server received from weft's client");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void aServerThatClosesWithoutReadingLosesNothing(JsseProvider provider, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("client.js"), COUNTING_CLIENT);
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(provider)
                .key(TestCerts.SERVER.privateKeyPem()).cert(TestCerts.SERVER.chainPem()).build(), s -> {
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[SIZE]); // the client's 64 KiB are never read
                    out.flush();
                })) {
            Tool client = Tool.run(WAIT, dir, Node24.binary().toString(), "client.js",
                    String.valueOf(server.address().getPort()));
            Matcher m = GOT.matcher(client.stdout());
            assertTrue(m.find(), client.stdout() + client.stderr());
            assertEquals(SIZE + " end", m.group(1) + " " + m.group(2), provider + ": what Node 24's client received");
        }
    }

    /** What the Node 24 server reported receiving from the client {@code connect} runs against it. */
    private static String received(Path dir, String node, ThrowingPort connect) throws Exception {
        try (Tool server = Tool.start(dir, node, "server.js", "key.pem", "cert.pem")) {
            server.awaitStdout("listening ", WAIT);
            Matcher port = Pattern.compile("listening (\\d+)").matcher(server.stdout());
            assertTrue(port.find());
            connect.run(Integer.parseInt(port.group(1)));
            server.awaitStdout("got ", WAIT);
            Matcher m = GOT.matcher(server.stdout());
            assertTrue(m.find(), server.stdout());
            return m.group(1) + " " + m.group(2);
        }
    }

    @FunctionalInterface
    private interface ThrowingPort {
        void run(int port) throws Exception;
    }
}
