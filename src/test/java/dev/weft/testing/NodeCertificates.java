package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node's {@code getPeerCertificate()} objects as JSON, from a real Node TLS peer, to compare with weft's
 * {@code PeerCertificate.toJson()}. Buffers ({@code raw}, {@code pubkey}) become base64 and a circular
 * {@code issuerCertificate} becomes {@code "[Circular]"}, as weft writes them. The peer is Node 24, which weft
 * follows ({@link #NODE}); {@link #client(String, Path, int, String, String, String, int)} runs another Node (the
 * PATH's {@code node}, 20) to see where the two differ.
 */
public final class NodeCertificates {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** JavaScript: {@code conv(cert)} turns a certificate object into what weft's JSON holds. */
    private static final String CONV = """
            function conv(c, seen = new Set()) {
              const out = {};
              seen.add(c);
              for (const k of Object.keys(c)) {
                const v = c[k];
                if (Buffer.isBuffer(v)) out[k] = v.toString('base64');
                else if (k === 'issuerCertificate') out[k] = seen.has(v) ? '[Circular]' : conv(v, seen);
                else out[k] = v;
              }
              return out;
            }
            const indent = process.env.JSON_INDENT ? +process.env.JSON_INDENT : undefined;
            const show = (tag, c) => console.log(tag + ' ' + JSON.stringify(conv(c), null, indent)
                .replace(/\\n/g, '\\n' + tag + ' '));
            """;

    /** A client that connects (rejectUnauthorized false), prints {@code plain} and {@code detailed}, and ends. */
    private static final String CLIENT = CONV + """
            const tls = require('tls'), fs = require('fs');
            const [port, ca, key, cert] = process.argv.slice(2);
            const opts = {port: +port, host: '127.0.0.1', rejectUnauthorized: false};
            if (ca) opts.ca = fs.readFileSync(ca);
            if (key) { opts.key = fs.readFileSync(key); opts.cert = fs.readFileSync(cert); }
            const s = tls.connect(opts, () => {
              show('plain', s.getPeerCertificate());
              show('detailed', s.getPeerCertificate(true));
              show('local', s.getCertificate() || {});
              s.end();
            });
            s.on('error', e => { console.error('error ' + e.code + ' ' + e.message); process.exit(3); });
            """;

    /**
     * A server with key and cert; it first connects to itself (trusting ca) and prints what its client sees, then
     * prints {@code listening PORT} and serves (echo) until killed.
     */
    private static final String SERVER = CONV + """
            const tls = require('tls'), fs = require('fs');
            const [key, cert, ca] = process.argv.slice(2).map(f => fs.readFileSync(f));
            const server = tls.createServer({key, cert}, s => {
              s.on('error', () => {});
              s.on('data', d => s.write(d));
              s.on('end', () => s.end());
            });
            server.listen(0, '127.0.0.1', () => {
              const port = server.address().port;
              const c = tls.connect({port, host: '127.0.0.1', ca, rejectUnauthorized: false}, () => {
                show('plain', c.getPeerCertificate());
                show('detailed', c.getPeerCertificate(true));
                c.end();
                console.log('listening ' + port);
              });
            });
            """;

    /** The Node weft's certificates are compared with: Node 24. */
    public static final String NODE = "node24";

    private NodeCertificates() {
    }

    private static String binary(String node) {
        return node.equals(NODE) ? Node24.binary().toString() : node;
    }

    /** What a Node client saw connecting to a server: lines tagged plain / detailed / local. */
    public record View(String plain, String detailed, String local) {
    }

    /**
     * Runs a Node client against {@code 127.0.0.1:port}. {@code caPem} (may be null) is the client's
     * {@code ca}; {@code keyPem}/{@code certPem} (may be null) its own credentials. {@code indent} is the
     * {@code JSON.stringify} indentation (0: compact).
     */
    public static View client(Path dir, int port, String caPem, String keyPem, String certPem, int indent)
            throws IOException {
        return client(NODE, dir, port, caPem, keyPem, certPem, indent);
    }

    /** As {@link #client(Path, int, String, String, String, int)} with another Node: {@code node} is a command. */
    public static View client(String node, Path dir, int port, String caPem, String keyPem, String certPem,
            int indent) throws IOException {
        Path script = write(dir, "peer-client.js", CLIENT);
        List<String> cmd = new ArrayList<>(List.of(binary(node), script.toString(), String.valueOf(port),
                caPem == null ? "" : write(dir, "client-ca.pem", caPem).toString()));
        if (keyPem != null) {
            cmd.add(write(dir, "client-key.pem", keyPem).toString());
            cmd.add(write(dir, "client-cert.pem", certPem).toString());
        }
        Tool run = runWithIndent(dir, indent, cmd);
        if (run.exitCode() != 0) {
            fail(node + " client exited " + run.exitCode() + "\nstdout: " + run.stdout() + "\nstderr: "
                    + run.stderr());
        }
        return new View(tagged(run.stdout(), "plain"), tagged(run.stdout(), "detailed"),
                tagged(run.stdout(), "local"));
    }

    /** A running Node server; {@link #view()} is what Node's own client saw, {@link #port()} where it listens. */
    public record Server(Tool tool, int port, View view) implements AutoCloseable {
        @Override
        public void close() {
            tool.close();
        }
    }

    /** Starts a Node TLS server with {@code keyPem} and {@code certPem}; its own client trusts {@code caPem}. */
    public static Server server(Path dir, String keyPem, String certPem, String caPem, int indent)
            throws IOException {
        Path script = write(dir, "peer-server.js", SERVER);
        Tool node = startWithIndent(dir, indent, List.of(binary(NODE), script.toString(),
                write(dir, "server-key.pem", keyPem).toString(), write(dir, "server-cert.pem", certPem).toString(),
                write(dir, "server-ca.pem", caPem).toString()));
        node.awaitStdout("listening ", WAIT);
        String out = node.stdout();
        int at = out.indexOf("listening ");
        int port = Integer.parseInt(out.substring(at + "listening ".length()).strip().split("\\s+")[0]);
        return new Server(node, port, new View(tagged(out, "plain"), tagged(out, "detailed"), null));
    }

    private static Tool runWithIndent(Path dir, int indent, List<String> cmd) {
        Tool t = startWithIndent(dir, indent, cmd);
        t.closeStdin();
        t.await(WAIT);
        return t;
    }

    private static Tool startWithIndent(Path dir, int indent, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("env", "JSON_INDENT=" + indent));
        full.addAll(cmd);
        if (cmd.getFirst().equals("node")) {
            Tool.requireOnPath("node");
        }
        return Tool.start(dir, full.toArray(String[]::new));
    }

    private static String tagged(String stdout, String tag) {
        StringBuilder b = new StringBuilder();
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith(tag + " ")) {
                if (!b.isEmpty()) {
                    b.append('\n');
                }
                b.append(line, tag.length() + 1, line.length());
            }
        }
        return b.toString();
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /**
     * Asserts that two JSON objects are equal key by key, in the same key order, then as whole texts; nested
     * objects are compared as text per top-level key.
     */
    public static void assertSameJson(String expected, String actual) {
        Map<String, String> e = topLevel(expected);
        Map<String, String> a = topLevel(actual);
        assertEquals(List.copyOf(e.keySet()), List.copyOf(a.keySet()), "keys (in order)");
        for (String k : e.keySet()) {
            assertEquals(e.get(k), a.get(k), "value of " + k);
        }
        assertEquals(expected, actual);
    }

    /** The members of a compact JSON object: key to the raw JSON text of its value, in order. */
    public static Map<String, String> topLevel(String json) {
        String s = json.strip();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new AssertionError("not a JSON object: " + json);
        }
        Map<String, String> out = new LinkedHashMap<>();
        int i = 1;
        while (i < s.length() - 1) {
            int keyEnd = endOfString(s, i);
            String key = s.substring(i + 1, keyEnd - 1);
            int valueStart = keyEnd + 1; // skip ':'
            int depth = 0;
            int j = valueStart;
            for (; j < s.length() - 1; j++) {
                char c = s.charAt(j);
                if (c == '"') {
                    j = endOfString(s, j) - 1;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    break;
                }
            }
            out.put(key, s.substring(valueStart, j));
            i = j + 1;
        }
        return out;
    }

    private static int endOfString(String s, int quote) {
        for (int i = quote + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        throw new AssertionError("unterminated string in " + s);
    }
}
