package dev.weft.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Node24;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The differential corpus judged by its live oracles: Node 24 (OpenSSL 3.5), Debian's Node 20 (OpenSSL 3.0) and
 * {@code openssl verify} (3.0), every case in both directions. Writes {@code target/trust-corpus-oracles.md}. Nothing
 * here says what a verdict should be, except that valid controls are valid; the oracles must agree with each other.
 */
class TrustCorpusOracleIT {
    /**
     * Cases whose verdict genuinely differs between Node 24 (OpenSSL 3.5) and {@code openssl verify} here (OpenSSL
     * 3.0), with the reason. Every entry must still differ in at least one direction, or the test fails, so the
     * list cannot go stale.
     */
    static final Map<String, String> NODE24_VS_OPENSSL30 = Map.of();

    private static List<ChainCase> cases;
    private static final Map<Direction, Map<String, Verdict>> NODE24 = new EnumMap<>(Direction.class);
    private static final Map<Direction, Map<String, Verdict>> NODE20 = new EnumMap<>(Direction.class);
    private static final Map<Direction, Map<String, Verdict>> OPENSSL = new EnumMap<>(Direction.class);
    /** openssl verify at Node 20's security level, 1. */
    private static final Map<Direction, Map<String, Verdict>> OPENSSL_LEVEL1 = new EnumMap<>(Direction.class);
    private static Map<String, Verdict> node24CreateServerOptions;
    private static String node24Version;
    private static String node20Version;
    private static String opensslVersion;

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // the first run installs Node 24 with npm; later runs take seconds
    static void everyOracleJudgesEveryCase() throws Exception {
        cases = TrustCorpus.cases();
        Path node24 = Node24.binary();
        try (ExecutorService pool = Executors.newFixedThreadPool(4);
                NodeOracle n24 = NodeOracle.start(node24);
                NodeOracle n20 = NodeOracle.start(Path.of("node"))) {
            node24Version = n24.version() + " (OpenSSL " + n24.openssl() + ")";
            node20Version = n20.version() + " (OpenSSL " + n20.openssl() + ")";
            opensslVersion = OpensslVerify.version();
            Map<Direction, Future<Map<String, Verdict>>> f24 = new EnumMap<>(Direction.class);
            Map<Direction, Future<Map<String, Verdict>>> f20 = new EnumMap<>(Direction.class);
            for (Direction d : Direction.values()) {
                f24.put(d, pool.submit(() -> n24.judge(cases, d)));
                f20.put(d, pool.submit(() -> n20.judge(cases, d)));
            }
            OpensslVerify openssl = new OpensslVerify(OpensslVerify.NODE24_AUTH_LEVEL);
            OpensslVerify openssl1 = new OpensslVerify(OpensslVerify.NODE20_AUTH_LEVEL);
            Map<Direction, Map<String, Future<Verdict>>> fo = new EnumMap<>(Direction.class);
            Map<Direction, Map<String, Future<Verdict>>> fo1 = new EnumMap<>(Direction.class);
            for (Direction d : Direction.values()) {
                Map<String, Future<Verdict>> m = new LinkedHashMap<>();
                Map<String, Future<Verdict>> m1 = new LinkedHashMap<>();
                for (ChainCase c : cases) {
                    m.put(c.name(), pool.submit(() -> openssl.verify(c, d)));
                    m1.put(c.name(), pool.submit(() -> openssl1.verify(c, d)));
                }
                fo.put(d, m);
                fo1.put(d, m1);
            }
            List<ChainCase> partial = cases.stream().filter(ChainCase::allowPartialTrustChain).toList();
            Future<Map<String, Verdict>> fPartial = pool.submit(() -> n24.judgeWithCreateServerOptions(partial));
            for (Direction d : Direction.values()) {
                NODE24.put(d, f24.get(d).get());
                NODE20.put(d, f20.get(d).get());
                Map<String, Verdict> m = new LinkedHashMap<>();
                Map<String, Verdict> m1 = new LinkedHashMap<>();
                for (ChainCase c : cases) {
                    m.put(c.name(), fo.get(d).get(c.name()).get());
                    m1.put(c.name(), fo1.get(d).get(c.name()).get());
                }
                OPENSSL.put(d, m);
                OPENSSL_LEVEL1.put(d, m1);
            }
            node24CreateServerOptions = fPartial.get();
        }
        writeTable();
    }

    @Test
    void theCorpusHasAtLeast120CasesWithUniqueNames() {
        assertTrue(cases.size() >= 120, "only " + cases.size() + " cases");
        Set<String> names = new HashSet<>();
        for (ChainCase c : cases) {
            assertTrue(names.add(c.name()), "duplicate name " + c.name());
        }
    }

    @Test
    void theCorpusHasAtLeast35NameConstraintCasesAnd12MultiRuleCases() {
        assertTrue(count("name-constraints") >= 35, "only " + count("name-constraints") + " name-constraint cases");
        assertTrue(count("multi-rule") >= 12, "only " + count("multi-rule") + " multi-rule cases");
    }

    @Test
    void everyHandshakeableChainFitsSunJssesLimits() throws Exception {
        for (ChainCase c : cases) {
            int bytes = 0;
            for (var x : c.sent()) {
                bytes += x.getEncoded().length + 3;
            }
            if (c.handshakeable()) {
                assertTrue(c.sent().size() <= 10 && bytes <= 32 * 1024, c.name() + ": " + c.sent().size()
                        + " certificates, " + bytes + " bytes");
            }
        }
    }

    @Test
    void node24AndOpensslVerifyGiveTheSameVerdictOnEveryCase() {
        List<String> disagreements = new ArrayList<>();
        Set<String> listedAndDiffering = new HashSet<>();
        for (Direction d : Direction.values()) {
            for (ChainCase c : cases) {
                Verdict node = NODE24.get(d).get(c.name());
                Verdict openssl = OPENSSL.get(d).get(c.name());
                if (node.authorized() != openssl.authorized()) {
                    if (NODE24_VS_OPENSSL30.containsKey(c.name())) {
                        listedAndDiffering.add(c.name());
                    } else {
                        disagreements.add(d + " " + c.name() + ": node24 " + node.summary() + ", openssl verify "
                                + openssl.summary() + " (" + openssl.message() + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), disagreements, "Node 24 and openssl verify disagree");
        Set<String> stale = new HashSet<>(NODE24_VS_OPENSSL30.keySet());
        stale.removeAll(listedAndDiffering);
        assertEquals(Set.of(), stale, "listed as differing, but Node 24 and openssl verify agree");
    }

    @Test
    void node20AgreesWithOpensslVerifyAtSecurityLevel1OnEveryCase() {
        // the evidence for NODE20_AUTH_LEVEL: at level 2 the RSA-1024 cases would differ
        List<String> disagreements = new ArrayList<>();
        for (Direction d : Direction.values()) {
            for (ChainCase c : cases) {
                Verdict node = NODE20.get(d).get(c.name());
                Verdict openssl = OPENSSL_LEVEL1.get(d).get(c.name());
                if (node.authorized() != openssl.authorized()) {
                    disagreements.add(d + " " + c.name() + ": node20 " + node.summary() + ", openssl verify -auth_level 1 "
                            + openssl.summary());
                }
            }
        }
        assertEquals(List.of(), disagreements);
    }

    @Test
    void node24AuthorizesEveryValidControlInTheDirectionsItsEkuAllows() {
        List<String> refused = new ArrayList<>();
        int checked = 0;
        for (ChainCase c : cases) {
            if (!c.validControl()) {
                continue;
            }
            for (Direction d : Direction.values()) {
                if (c.ekuAllows(d)) {
                    checked++;
                    Verdict v = NODE24.get(d).get(c.name());
                    if (!v.authorized()) {
                        refused.add(d + " " + c.name() + ": " + v.summary() + " " + v.message());
                    }
                }
            }
        }
        assertEquals(List.of(), refused);
        assertTrue(checked >= 20, "only " + checked + " control verdicts checked");
    }

    @Test
    void bothNodesGiveAMessageWithEveryVerificationError() {
        for (Map<Direction, Map<String, Verdict>> node : List.of(NODE24, NODE20)) {
            for (Map<String, Verdict> verdicts : node.values()) {
                verdicts.forEach((name, v) -> {
                    if (!v.authorized() && !v.handshakeFailed()) {
                        assertNotNull(v.code(), name);
                        assertNotNull(v.message(), name + ": verifyError() gave no Error");
                    }
                });
            }
        }
    }

    @Test
    void aServedChainReachesAClientExactlyAsSent() throws Exception {
        try (NodeOracle oracle = NodeOracle.start(Node24.binary())) {
            for (String name : List.of("control-root-inter-leaf", "path-duplicate-intermediates",
                    "path-out-of-order-intermediates", "path-extra-unrelated-certificates")) {
                ChainCase c = byName(name);
                int port = oracle.serve(c);
                assertEquals(c.sent(), RecordingPeer.serverChain(port), name);
                assertEquals(c.sent(), RecordingPeer.serverChain(port), name + ", a second connection");
            }
        }
    }

    @Test
    void aPresentedClientChainReachesTheServerExactlyAsSent() throws Exception {
        try (NodeOracle oracle = NodeOracle.start(Node24.binary())) {
            for (String name : List.of("control-root-inter-leaf", "path-duplicate-intermediates",
                    "path-out-of-order-intermediates")) {
                ChainCase c = byName(name);
                try (RecordingPeer server = RecordingPeer.server()) {
                    oracle.present(c, server.port());
                    assertEquals(c.sent(), server.clientChain(), name);
                }
            }
        }
    }

    private static ChainCase byName(String name) {
        return cases.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static long count(String category) {
        return cases.stream().filter(c -> c.category().equals(category)).count();
    }

    // ---- the report ----

    /** Node 24's and openssl's codes agree when equal, or when Node has no name for the error and the texts match. */
    static boolean codesAgree(Verdict node, Verdict openssl) {
        if (node.authorized() || openssl.authorized()) {
            return node.authorized() == openssl.authorized();
        }
        return Objects.equals(node.code(), openssl.code())
                || ("UNSPECIFIED".equals(node.code()) && Objects.equals(node.message(), openssl.message()));
    }

    private static String cell(Verdict v) {
        if (v.handshakeFailed()) {
            return "handshake failed: " + v.handshakeError();
        }
        if (v.authorized()) {
            return "authorized";
        }
        return "`" + v.code() + "` " + v.message();
    }

    private static void writeTable() throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Trust corpus: what the oracles say\n\n");
        b.append("Generated by TrustCorpusOracleIT. node24: ").append(node24Version).append("; node20: ")
                .append(node20Version).append("; openssl verify: ").append(opensslVersion).append(" at -auth_level ")
                .append(OpensslVerify.NODE24_AUTH_LEVEL).append(".\n\n");
        Map<String, Integer> byCategory = new TreeMap<>();
        cases.forEach(c -> byCategory.merge(c.category(), 1, Integer::sum));
        b.append(cases.size()).append(" cases: ").append(byCategory).append("\n\n");
        b.append("| case | rule | node24 server | node24 client | node20 server | node20 client | openssl server "
                + "| openssl client |\n|---|---|---|---|---|---|---|---|\n");
        for (ChainCase c : cases) {
            b.append("| ").append(c.name()).append(" | ").append(c.rule().replace("|", "\\|"));
            for (Map<Direction, Map<String, Verdict>> o : List.of(NODE24, NODE20, OPENSSL)) {
                for (Direction d : Direction.values()) {
                    b.append(" | ").append(cell(o.get(d).get(c.name())).replace("|", "\\|"));
                }
            }
            b.append(" |\n");
        }
        b.append("\n## Node 24 and Node 20 differ\n\n");
        differences(b, NODE20, false);
        b.append("\n## Node 24 and openssl verify differ (verdict, or code when Node names the error)\n\n");
        differences(b, OPENSSL, true);
        b.append("\n## allowPartialTrustChain given in tls.createServer's options (Node 24, client chains)\n\n")
                .append("tls.createServer does not pass allowPartialTrustChain on to its secure context; the table above"
                        + " gives the server a context made by tls.createSecureContext, which honours it.\n\n");
        node24CreateServerOptions.forEach((name, v) -> b.append("- ").append(name).append(": createServer options ")
                .append(cell(v)).append(" / secure context ").append(cell(NODE24.get(Direction.CLIENT_CHAIN).get(name)))
                .append('\n'));
        Path out = Node24.projectDir().resolve("target/trust-corpus-oracles.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, b.toString());
    }

    private static void differences(StringBuilder b, Map<Direction, Map<String, Verdict>> other, boolean openssl) {
        int n = 0;
        for (ChainCase c : cases) {
            for (Direction d : Direction.values()) {
                Verdict v24 = NODE24.get(d).get(c.name());
                Verdict v = other.get(d).get(c.name());
                boolean differ = openssl ? !codesAgree(v24, v)
                        : v24.authorized() != v.authorized() || !Objects.equals(v24.code(), v.code())
                                || !Objects.equals(v24.message(), v.message())
                                || v24.handshakeFailed() != v.handshakeFailed();
                if (differ) {
                    n++;
                    b.append("- ").append(c.name()).append(" (").append(d).append("): node24 ").append(cell(v24))
                            .append(" / ").append(openssl ? "openssl " : "node20 ").append(cell(v)).append('\n');
                }
            }
        }
        if (n == 0) {
            b.append("none\n");
        }
    }
}
