package dev.weft.tls.internal.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.testing.Node24;
import dev.weft.trust.ChainCase;
import dev.weft.trust.Direction;
import dev.weft.trust.NodeOracle;
import dev.weft.trust.TrustCorpus;
import dev.weft.trust.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle's PKIX validator against the JDK's, on the differential corpus, each judged against a live Node 24:
 * alone (the chain OpenSSL would build, then the validator) and with OpenSSL's checks on top (weft's verifier). It
 * prints and writes {@code target/validator-comparison.md}; it asserts only what weft ships: Bouncy Castle's with the
 * checks never authorizes a chain Node refuses.
 */
class ValidatorComparisonIT {
    private record Tally(int[] counts, List<String> moreTrusting, List<String> stricter) {
        Tally() {
            this(new int[3], new ArrayList<>(), new ArrayList<>());
        }

        void add(String name, boolean node, boolean weft) {
            if (node == weft) {
                counts[0]++;
            } else if (weft) {
                counts[1]++;
                moreTrusting.add(name);
            } else {
                counts[2]++;
                stricter.add(name);
            }
        }

        String line(String what) {
            return "| " + what + " | " + counts[0] + " | " + counts[2] + " | " + counts[1] + " | "
                    + String.join(", ", moreTrusting) + " |";
        }
    }

    @Test
    void bouncyCastleWithOpensslChecksNeverAuthorizesMoreThanNode() throws Exception {
        Provider bc = PkixValidation.provider();
        Provider jdk = Security.getProvider("SUN");
        Map<Direction, Map<String, Verdict>> node = new EnumMap<>(Direction.class);
        try (NodeOracle oracle = NodeOracle.start(Node24.binary())) {
            for (Direction d : Direction.values()) {
                node.put(d, oracle.judge(TrustCorpus.cases(), d));
            }
        }
        Tally bcAlone = new Tally();
        Tally jdkAlone = new Tally();
        Tally bcChecks = new Tally();
        Tally jdkChecks = new Tally();
        Instant now = Instant.now();
        for (ChainCase c : TrustCorpus.cases()) {
            for (Direction d : Direction.values()) {
                Verdict n = node.get(d).get(c.name());
                boolean nodeOk = !n.handshakeFailed() && n.authorized();
                Verifier.Purpose p = d == Direction.SERVER_CHAIN ? Verifier.Purpose.SERVER : Verifier.Purpose.CLIENT;
                String name = c.name() + "/" + (d == Direction.SERVER_CHAIN ? "server" : "client");
                bcAlone.add(name, nodeOk, pkixAlone(c, now, bc));
                jdkAlone.add(name, nodeOk, pkixAlone(c, now, jdk));
                bcChecks.add(name, nodeOk, new Verifier(c.trusted(), c.crls(), c.allowPartialTrustChain(), true, bc)
                        .verify(c.sent(), p, now, Verifier.DEFAULT_BUDGET).authorized());
                jdkChecks.add(name, nodeOk, new Verifier(c.trusted(), c.crls(), c.allowPartialTrustChain(), true, jdk)
                        .verify(c.sent(), p, now, Verifier.DEFAULT_BUDGET).authorized());
            }
        }
        List<String> out = new ArrayList<>(List.of("# PKIX validators against Node 24 on " + TrustCorpus.cases().size()
                + " chains × 2 purposes", "", "| validator | same verdict as Node | stricter | more trusting | "
                + "more-trusting cases |", "|---|---|---|---|---|",
                bcAlone.line("Bouncy Castle alone"), jdkAlone.line("JDK alone"),
                bcChecks.line("Bouncy Castle + OpenSSL's checks (weft)"), jdkChecks.line("JDK + OpenSSL's checks"),
                "", "Stricter with checks, Bouncy Castle: " + bcChecks.stricter(),
                "", "Stricter with checks, JDK: " + jdkChecks.stricter()));
        out.forEach(System.out::println);
        Path file = Path.of(System.getProperty("weft.project.dir", "."), "target", "validator-comparison.md");
        Files.createDirectories(file.getParent());
        Files.write(file, out);
        assertEquals(List.of(), bcChecks.moreTrusting(), "weft's verifier authorized chains Node refuses");
    }

    /** The chain OpenSSL would build, then only the validator: is it accepted? */
    private static boolean pkixAlone(ChainCase c, Instant now, Provider validator) throws Exception {
        List<CertInfo> sent = new ArrayList<>();
        for (var x : c.sent()) {
            sent.add(CertInfo.of(x));
        }
        ChainBuilder.Built built = ChainBuilder.build(sent.getFirst(), sent, new TrustStore(c.trusted()),
                c.allowPartialTrustChain(), now, new ErrorLog(), new Deadline(Duration.ofSeconds(30)));
        return built.trusted() && PkixValidation.validate(built.chain(), now, c.crls(),
                new Deadline(Duration.ofSeconds(30)), validator).accepted();
    }
}
