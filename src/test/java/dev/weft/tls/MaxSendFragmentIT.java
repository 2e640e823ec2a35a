package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Node24;
import dev.weft.testing.RecordProxy;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TlsSocket#setMaxSendFragment} against Node 24's {@code setMaxSendFragment} on the wire: a proxy between
 * the two ends reads the TLS records, and the records a weft sender writes for a case (fragment size, data length)
 * are, one by one, as long as the records a Node 24 sender writes for the same case, to the same Node 24 receiver,
 * with the same cipher suite; and weft answers true or false where Node does (sizes outside 512..16384 change
 * nothing). Both directions (weft server to a Node client, weft client to a Node server), TLS 1.3 and 1.2, every
 * provider, 13 sizes by 4 data lengths each.
 */
class MaxSendFragmentIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int[] SIZES = {512, 513, 600, 1000, 1500, 4096, 10000, 16367, 16383, 16384, 511, 16385, 0};
    /**
     * The most content SunJSSE puts in a TLS 1.3 record whatever it is asked: it pads each record with 16 zero bytes
     * and keeps them within the 16384 bytes of a record's plaintext (sun.security.ssl.OutputRecord
     * .calculateFragmentSize).
     */
    private static final int SUN_TLS13_MAX = 16384 - 16 - 1;
    private static final int[] LENGTHS = {100, 4097, 40000, 100000};
    /** The client's go-ahead: a message no other record of the connection is as long as. */
    private static final int GO = 300;

    @TempDir
    static Path dir;
    private static Tool nodeSender;
    private static Tool nodeReceiver;
    private static int nodeSenderPort;
    private static int nodeReceiverPort;

    private static List<int[]> cases() {
        List<int[]> out = new ArrayList<>();
        for (int size : SIZES) {
            for (int n : LENGTHS) {
                out.add(new int[] {size, n});
            }
        }
        return out;
    }

    /** A server that sends: reads "size n", answers "ok <setMaxSendFragment(size)>", waits for GO bytes, sends n. */
    private static final String SENDER_JS = """
            const tls = require('tls'), fs = require('fs');
            const s = tls.createServer({key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem')}, sock => {
              sock.on('error', () => {});
              let buf = Buffer.alloc(0), n = -1;
              sock.on('data', d => {
                buf = Buffer.concat([buf, d]);
                if (n < 0) {
                  const nl = buf.indexOf(10);
                  if (nl < 0) return;
                  const [size, len] = buf.subarray(0, nl).toString().split(' ').map(Number);
                  n = len; buf = buf.subarray(nl + 1);
                  sock.write('ok ' + sock.setMaxSendFragment(size) + '\\n');
                }
                if (buf.length >= %d) { buf = Buffer.alloc(0); sock.end(Buffer.alloc(n, 'x')); n = Infinity; }
              });
            });
            s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
            """.formatted(GO);

    /** A client of a sending server: per case, connects, asks, reads the answer, sends GO, reads to the end. */
    private static final String ASKING_CLIENT_JS = """
            const tls = require('tls'), fs = require('fs');
            const [port, maxVersion, ciphers, casesJson] = process.argv.slice(2);
            const cases = JSON.parse(casesJson);
            function run(i) {
              if (i === cases.length) return;
              const [size, n] = cases[i];
              const sock = tls.connect({port: +port, host: '127.0.0.1', servername: 'localhost', maxVersion, ciphers,
                  ca: fs.readFileSync('ca.pem')}, () => sock.write(size + ' ' + n + '\\n'));
              let buf = Buffer.alloc(0), answer = null;
              sock.on('data', d => {
                buf = Buffer.concat([buf, d]);
                if (answer === null) {
                  const nl = buf.indexOf(10);
                  if (nl < 0) return;
                  answer = buf.subarray(0, nl).toString(); buf = buf.subarray(nl + 1);
                  sock.write(Buffer.alloc(%d, 'g'));
                }
              });
              sock.on('end', () => sock.end());
              sock.on('close', () => { console.log('case ' + i + ' ' + answer + ' got ' + buf.length); run(i + 1); });
              sock.on('error', e => { console.error(e.code + ' ' + e.message); process.exit(3); });
            }
            run(0);
            """.formatted(GO);

    /**
     * A server that receives: reads "n", then n bytes, answers "ok", and prints how many bytes came when the
     * connection ends.
     */
    private static final String RECEIVER_JS = """
            const tls = require('tls'), fs = require('fs');
            const s = tls.createServer({key: fs.readFileSync('key.pem'), cert: fs.readFileSync('cert.pem')}, sock => {
              let buf = Buffer.alloc(0), n = -1, got = 0;
              sock.on('error', () => {});
              sock.on('data', d => {
                if (n < 0) {
                  buf = Buffer.concat([buf, d]);
                  const nl = buf.indexOf(10);
                  if (nl < 0) return;
                  n = Number(buf.subarray(0, nl).toString());
                  d = buf.subarray(nl + 1);
                }
                got += d.length;
                if (got === n) sock.write('ok\\n');
              });
              sock.on('end', () => { console.log('got ' + got); sock.end(); });
            });
            s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
            """;

    /** A client that sends: per case, setMaxSendFragment(size), "n", one write of n bytes, waits for "ok", ends. */
    private static final String SENDING_CLIENT_JS = """
            const tls = require('tls'), fs = require('fs');
            const [port, maxVersion, ciphers, casesJson] = process.argv.slice(2);
            const cases = JSON.parse(casesJson);
            function run(i) {
              if (i === cases.length) return;
              const [size, n] = cases[i];
              const sock = tls.connect({port: +port, host: '127.0.0.1', servername: 'localhost', maxVersion, ciphers,
                  ca: fs.readFileSync('ca.pem')}, () => {
                console.log('case ' + i + ' ok ' + sock.setMaxSendFragment(size));
                sock.write(n + '\\n', () => sock.write(Buffer.alloc(n, 'x')));
              });
              sock.on('data', d => { if (d.toString().includes('ok')) sock.end(); });
              sock.on('close', () => run(i + 1));
              sock.on('error', e => { console.error(e.code + ' ' + e.message); process.exit(3); });
            }
            run(0);
            """;

    @BeforeAll
    static void nodePeers() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        Files.writeString(dir.resolve("sender.js"), SENDER_JS);
        Files.writeString(dir.resolve("asking.js"), ASKING_CLIENT_JS);
        Files.writeString(dir.resolve("receiver.js"), RECEIVER_JS);
        Files.writeString(dir.resolve("sending.js"), SENDING_CLIENT_JS);
        nodeSender = Tool.start(dir, Node24.binary().toString(), "sender.js");
        nodeSenderPort = port(nodeSender);
        nodeReceiver = Tool.start(dir, Node24.binary().toString(), "receiver.js");
        nodeReceiverPort = port(nodeReceiver);
    }

    private static int port(Tool node) {
        node.awaitStdout("PORT ", Duration.ofSeconds(30));
        Matcher m = Pattern.compile("PORT (\\d+)").matcher(node.stdout());
        assertTrue(m.find(), node.stdout());
        return Integer.parseInt(m.group(1));
    }

    @AfterAll
    static void stop() {
        for (Tool t : new Tool[] {nodeSender, nodeReceiver}) {
            if (t != null) {
                t.close();
            }
        }
    }

    static List<Arguments> providersAndVersions() {
        List<Arguments> out = new ArrayList<>();
        for (JsseProvider p : JsseProvider.values()) {
            out.add(Arguments.of(p, "TLSv1.3", "TLS_AES_128_GCM_SHA256"));
            out.add(Arguments.of(p, "TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256"));
        }
        return out;
    }

    private static String casesJson() {
        StringBuilder b = new StringBuilder("[");
        for (int[] c : cases()) {
            b.append(b.length() > 1 ? "," : "").append('[').append(c[0]).append(',').append(c[1]).append(']');
        }
        return b.append(']').toString();
    }

    /** Node's client against a sending server (weft's or Node's) through a proxy: the records each case got. */
    private static List<List<Integer>> sentByServer(int serverPort, String version, String ciphers,
            List<String> answers) throws Exception {
        try (RecordProxy proxy = RecordProxy.start(serverPort)) {
            Tool client = Tool.run(WAIT, dir, Node24.binary().toString(), "asking.js",
                    Integer.toString(proxy.port()), version, ciphers, casesJson());
            assertEquals(0, client.exitCode(), client.stderr());
            answers.addAll(client.stdout().lines().toList());
            int overhead = version.equals("TLSv1.3") ? 17 : 24;
            List<List<Integer>> out = new ArrayList<>();
            for (RecordProxy.Connection c : proxy.connections()) {
                List<RecordProxy.Rec> records = c.records();
                long go = records.stream().filter(r -> r.fromClient() && r.type() == 23 && r.length() == GO + overhead)
                        .mapToLong(RecordProxy.Rec::seq).findFirst().orElseThrow();
                out.add(RecordProxy.lengths(records.stream().filter(r -> !r.fromClient() && r.seq() > go).toList()));
            }
            return out;
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void aWeftServerCutsRecordsAsANode24ServerDoes(JsseProvider provider, String version, String ciphers)
            throws Exception {
        List<String> nodeAnswers = new ArrayList<>();
        List<List<Integer>> node = sentByServer(nodeSenderPort, version, ciphers, nodeAnswers);
        ServerOptions options = ServerOptions.builder().provider(provider).key(TestCerts.SERVER.privateKeyPem())
                .cert(TestCerts.SERVER.chainPem()).build();
        List<String> weftAnswers = new ArrayList<>();
        List<List<Integer>> weft;
        try (TlsServer server = Tls.createServer(options, s -> {
            String[] ask = new String(readLine(s), StandardCharsets.US_ASCII).split(" ");
            boolean set = s.setMaxSendFragment(Integer.parseInt(ask[0]));
            s.write("ok " + set + "\n");
            s.getInputStream().readNBytes(GO);
            byte[] data = new byte[Integer.parseInt(ask[1])];
            Arrays.fill(data, (byte) 'x');
            s.getOutputStream().write(data);
            s.getOutputStream().flush();
            s.end();
        }).listen(0, "127.0.0.1")) {
            weft = sentByServer(server.address().getPort(), version, ciphers, weftAnswers);
        }
        assertEquals(nodeAnswers, weftAnswers, "setMaxSendFragment's answers and the bytes each Node client got");
        assertRecordsAsNodes(node, weft, provider + " " + version, provider == JsseProvider.SUN
                && version.equals("TLSv1.3") ? SUN_TLS13_MAX : 16384);
    }

    private static int indexOf(int size, int n) {
        List<int[]> cases = cases();
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i)[0] == size && cases.get(i)[1] == n) {
                return i;
            }
        }
        throw new AssertionError("no case " + size + " " + n);
    }

    /** Reads one line, byte by byte (nothing past it is consumed). */
    private static byte[] readLine(TlsSocket s) throws java.io.IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int c; (c = s.getInputStream().read()) >= 0 && c != '\n'; ) {
            b.write(c);
        }
        return b.toByteArray();
    }

    /**
     * Each case's records are as long as Node's for the same case, or, where the provider puts less in a record
     * whatever it is asked ({@code providerMax}), as Node's for the same data at that size.
     */
    private static void assertRecordsAsNodes(List<List<Integer>> node, List<List<Integer>> weft, String label,
            int providerMax) {
        List<int[]> cases = cases();
        assertEquals(cases.size(), node.size(), "Node's connections");
        assertEquals(cases.size(), weft.size(), "weft's connections");
        int capped = 0;
        // SunJSSE pads each TLS 1.3 record (16 zero bytes after the content type, RFC 8446 section 5.4), OpenSSL
        // does not: the padding is read off the close_notify (an alert of 2 bytes either way) and must be the same
        // in every record, so the plaintext per record is the same
        int padding = weft.getFirst().getLast() - node.getFirst().getLast();
        assertTrue(padding == 0 || padding == 16 && label.equals("SUN TLSv1.3"), label + ": padding " + padding);
        for (int i = 0; i < cases.size(); i++) {
            int[] c = cases.get(i);
            List<Integer> unpadded = weft.get(i).stream().map(n -> n - padding).toList();
            int effective = c[0] < 512 || c[0] > 16384 ? 16384 : c[0];
            int asNode = i;
            if (effective > providerMax) {
                asNode = indexOf(providerMax, c[1]);
            }
            assertEquals(node.get(asNode), unpadded, label + ": setMaxSendFragment(" + c[0] + ") then " + c[1]
                    + " bytes: the record lengths (less " + padding + " bytes of padding each)");
            capped += node.get(i).size() > 3 && c[0] < 16384 ? 1 : 0;
        }
        assertTrue(capped > 20, "most cases send many records: " + capped);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("providersAndVersions")
    void aWeftClientCutsRecordsAsANode24ClientDoes(JsseProvider provider, String version, String ciphers)
            throws Exception {
        List<List<Integer>> node = new ArrayList<>();
        List<String> nodeAnswers = new ArrayList<>();
        int before = nodeReceiver.stdout().split("got ", -1).length;
        try (RecordProxy proxy = RecordProxy.start(nodeReceiverPort)) {
            Tool client = Tool.run(WAIT, dir, Node24.binary().toString(), "sending.js",
                    Integer.toString(proxy.port()), version, ciphers, casesJson());
            assertEquals(0, client.exitCode(), client.stderr());
            nodeAnswers.addAll(client.stdout().lines().toList());
            awaitDone(proxy);
            proxy.connections().forEach(c -> node.add(clientData(c.records(), version)));
        }
        List<List<Integer>> weft = new ArrayList<>();
        List<String> weftAnswers = new ArrayList<>();
        try (RecordProxy proxy = RecordProxy.start(nodeReceiverPort)) {
            List<int[]> cases = cases();
            for (int i = 0; i < cases.size(); i++) {
                int[] c = cases.get(i);
                try (TlsSocket s = Tls.connect(proxy.port(), "127.0.0.1", ClientOptions.builder().provider(provider)
                        .ca(TestCerts.ROOT.certificatePem()).servername("localhost").maxVersion(version)
                        // every TLS 1.3 suite adds 17 bytes; Conscrypt cannot pick among them
                        .ciphers(version.equals("TLSv1.3") ? "DEFAULT" : ciphers).build())) {
                    weftAnswers.add("case " + i + " ok " + s.setMaxSendFragment(c[0]));
                    s.write(c[1] + "\n");
                    byte[] data = new byte[c[1]];
                    Arrays.fill(data, (byte) 'x');
                    s.getOutputStream().write(data);
                    s.getOutputStream().flush();
                    // the answer, read before ending: closing with unread bytes (Node's session tickets) would
                    // reset the connection under the last records
                    assertEquals("ok", new String(readLine(s), StandardCharsets.US_ASCII));
                    s.end();
                    if (s.canHalfClose()) {
                        s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
            }
            awaitDone(proxy);
            proxy.connections().forEach(c -> weft.add(clientData(c.records(), version)));
        }
        assertEquals(nodeAnswers, weftAnswers, "setMaxSendFragment's answers");
        assertRecordsAsNodes(node, weft, provider + " " + version, provider == JsseProvider.SUN
                && version.equals("TLSv1.3") ? SUN_TLS13_MAX : 16384);
        // and the Node receiver got every byte, from Node's client and from weft's
        int want = before - 1 + 2 * cases().size();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> got = List.of();
        while (System.nanoTime() < deadline && (got = Pattern.compile("got (\\d+)").matcher(nodeReceiver.stdout())
                .results().map(m -> m.group(1)).toList()).size() < want) {
            Thread.sleep(20);
        }
        List<String> expected = new ArrayList<>();
        cases().forEach(c -> expected.add(Integer.toString(c[1])));
        cases().forEach(c -> expected.add(Integer.toString(c[1])));
        assertEquals(expected, got.subList(before - 1, got.size()));
    }

    /**
     * The client's records after its handshake: application data and alerts (TLS 1.2), or every protected record
     * after its Finished (TLS 1.3, where all are application_data and the first is the Finished).
     */
    private static List<Integer> clientData(List<RecordProxy.Rec> records, String version) {
        List<RecordProxy.Rec> data = records.stream().filter(r -> r.fromClient() && (r.type() == 23 || r.type() == 21))
                .toList();
        return RecordProxy.lengths(version.equals("TLSv1.3") ? data.subList(1, data.size()) : data);
    }

    private static void awaitDone(RecordProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !proxy.connections().stream().allMatch(RecordProxy.Connection::done)) {
            Thread.sleep(20);
        }
    }
}
