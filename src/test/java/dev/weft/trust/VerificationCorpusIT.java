package dev.weft.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Node24;
import dev.weft.tls.JsseProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * weft's verdicts on the differential corpus ({@link TrustCorpus}) against a live Node 24, chain by chain: through
 * {@code Tls.verify}, and in real handshakes on every provider as a client (a Node server presents the chain) and as
 * a server (a Node client presents it). Verdict, code and message must equal Node's. Each run writes its table to
 * {@code target/trust-corpus-weft-*.md}.
 */
class VerificationCorpusIT {
    private static NodeOracle node;
    private static final Map<Direction, Map<String, Verdict>> NODE = new LinkedHashMap<>();
    private static final Map<String, Integer> SERVERS = new ConcurrentHashMap<>();

    @BeforeAll
    static void judgeWithNode24() {
        node = NodeOracle.start(Node24.binary());
        for (Direction d : Direction.values()) {
            NODE.put(d, node.judge(TrustCorpus.cases(), d));
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void verifyGivesNodesVerdictCodeAndMessageOnEveryChain() throws Exception {
        List<String> rows = new ArrayList<>();
        Object[] slowest = null;
        List<String> differences = new ArrayList<>();
        for (ChainCase c : TrustCorpus.cases()) {
            for (Direction d : Direction.values()) {
                Verdict n = NODE.get(d).get(c.name());
                long start = System.nanoTime();
                Verdict w = WeftJudge.verify(c, d);
                slowest = slowest(slowest, c, System.nanoTime() - start);
                String stricter = KnownStricter.reason(null, d, c);
                String diff = difference(n, w, stricter);
                rows.add(row(c, d, n, w, diff, stricter));
                if (diff != null) {
                    differences.add(c.name() + " " + d + ": " + diff);
                }
            }
        }
        rows.addFirst("Slowest chain through Tls.verify: " + slowest[0] + ", " + slowest[1] + " ms");
        System.out.println(rows.getFirst());
        report("verify", rows);
        assertEquals(List.of(), differences, "Tls.verify differs from Node " + node.version());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void clientRecordsNodesVerdictOnEveryChain(JsseProvider provider) throws Exception {
        List<String> rows = new ArrayList<>();
        Object[] slowest = null;
        List<String> differences = new ArrayList<>();
        for (ChainCase c : handshakeable()) {
            Verdict n = NODE.get(Direction.SERVER_CHAIN).get(c.name());
            int port = SERVERS.computeIfAbsent(c.name(), k -> node.serve(c));
            long start = System.nanoTime();
            Verdict w = WeftJudge.asClient(provider, c, port);
            slowest = slowest(slowest, c, System.nanoTime() - start);
            String stricter = KnownStricter.reason(provider, Direction.SERVER_CHAIN, c);
            String diff = difference(n, w, stricter);
            rows.add(row(c, Direction.SERVER_CHAIN, n, w, diff, stricter));
            if (diff != null) {
                differences.add(c.name() + ": " + diff);
            }
        }
        rows.addFirst("Slowest chain (its lenient and strict handshakes): " + slowest[0] + ", " + slowest[1] + " ms");
        System.out.println(provider + " client: " + rows.getFirst());
        report("client-" + provider.cliName(), rows);
        assertEquals(List.of(), differences, provider + " client differs from Node " + node.version());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void serverRecordsNodesVerdictOnEveryChain(JsseProvider provider) throws Exception {
        List<String> rows = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        for (ChainCase c : handshakeable()) {
            Verdict n = NODE.get(Direction.CLIENT_CHAIN).get(c.name());
            Verdict w = WeftJudge.asServer(provider, c, node);
            String stricter = KnownStricter.reason(provider, Direction.CLIENT_CHAIN, c);
            String diff = difference(n, w, stricter);
            rows.add(row(c, Direction.CLIENT_CHAIN, n, w, diff, stricter));
            if (diff != null) {
                differences.add(c.name() + ": " + diff);
            }
        }
        report("server-" + provider.cliName(), rows);
        assertEquals(List.of(), differences, provider + " server differs from Node " + node.version());
    }

    @Test
    void corpusIsWideEnough() {
        assertTrue(TrustCorpus.cases().size() >= 100, "at least 100 chains");
        assertTrue(TrustCorpus.cases().stream().filter(c -> c.category().equals("name-constraints")).count() >= 30,
                "at least 30 name-constraint chains");
    }

    /**
     * The slower of {@code slowest} ({name, ms}) and {@code c} taking {@code nanos}, leaving out the first ten cases
     * (the JVM warming up); printed, never asserted.
     */
    private static Object[] slowest(Object[] slowest, ChainCase c, long nanos) {
        if (TrustCorpus.cases().indexOf(c) < 10) {
            return slowest == null ? new Object[] {"(none yet)", 0L} : slowest;
        }
        long ms = nanos / 1_000_000;
        return ms > (Long) slowest[1] ? new Object[] {c.name(), ms} : slowest;
    }

    private static List<ChainCase> handshakeable() {
        return TrustCorpus.cases().stream().filter(ChainCase::handshakeable).toList();
    }

    /**
     * Why {@code weft} differs from {@code node}, or null when verdict, code and message agree. Where a component
     * below weft is known to be stricter ({@code stricter}, see {@link KnownStricter}), weft must refuse, with any
     * code. weft never authorizes a chain Node refuses.
     */
    static String difference(Verdict node, Verdict weft, String stricter) {
        boolean nodeRefused = node.handshakeFailed() || !node.authorized();
        if (nodeRefused && weft.authorized()) {
            return "weft authorized a chain node refused (" + node.summary() + ")";
        }
        if (stricter != null && !weft.authorized()) {
            return null; // refused, as the stricter component requires
        }
        if (node.handshakeFailed()) {
            return null;
        }
        if (weft.handshakeFailed() && weft.code() == null) {
            return "weft's handshake failed: " + weft.handshakeError();
        }
        if (node.authorized() != weft.authorized() || !Objects.equals(node.code(), weft.code())) {
            return "node " + node.summary() + ", weft " + weft.summary();
        }
        if (weft.message() != null && !Objects.equals(inWeftTerms(node.message()), weft.message())) {
            return "message: node '" + node.message() + "', weft '" + weft.message() + "'";
        }
        return null;
    }

    /** Node 24's message with its hint to run Node with {@code --use-system-ca} in weft's terms. */
    static String inWeftTerms(String nodeMessage) {
        String hint = "; if the root CA is installed locally, try running Node.js with --use-system-ca";
        return nodeMessage != null && nodeMessage.endsWith(hint)
                ? nodeMessage.substring(0, nodeMessage.length() - hint.length())
                        + dev.weft.tls.internal.trust.Verifier.SYSTEM_ROOTS_HINT
                : nodeMessage;
    }

    private static String row(ChainCase c, Direction d, Verdict n, Verdict w, String diff, String stricter) {
        String verdict = diff != null ? "**" + diff + "**"
                : stricter != null && !w.authorized() && (n.authorized() || !Objects.equals(n.code(), w.code()))
                        ? "stricter: " + stricter
                : "same";
        String r = "| " + c.name() + " | " + d + " | " + n.summary() + " | " + w.summary() + " | " + verdict + " |";
        return r.replaceAll("\\s*\\R\\s*", " ");
    }

    private static void report(String name, List<String> rows) throws IOException {
        Path out = Path.of(System.getProperty("weft.project.dir", "."), "target", "trust-corpus-weft-" + name + ".md");
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>(List.of("# weft (" + name + ") vs Node " + node.version(), ""));
        boolean header = false;
        for (String r : rows) {
            if (!header && r.startsWith("|")) {
                lines.addAll(List.of("", "| case | direction | node | weft | |", "|---|---|---|---|---|"));
                header = true;
            }
            lines.add(r);
        }
        Files.write(out, lines);
    }
}
