package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Node24;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ecdhCurve}, {@code sigalgs}, {@code ephemeralKeyInfo()} and {@code sharedSigalgs()} against a live Node 24,
 * on every provider, both directions. The oracle is Node 24 against Node 24 with the same options
 * (groups-oracle.js): a generated corpus of group lists (each group alone, pairs in both orders, lists with names a
 * provider lacks, DEFAULT and removals) where the group a Node 24 client reports against a weft server, and the
 * group a weft client reports against a Node 24 server, equal what Node 24 reports against Node 24; and of
 * signature-algorithm pairs where the handshake succeeds or fails as Node 24 against Node 24 does and the server's
 * shared list is Node's. Which option strings are valid is compared with Node 24 too.
 */
class GroupsSigalgsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> SINGLE = List.of("X25519", "P-256", "P-384", "P-521", "X448", "ffdhe2048",
            "ffdhe3072", "X25519MLKEM768", "SecP256r1MLKEM768", "prime256v1", "secp384r1");
    private static final List<String> PAIRED = List.of("X25519", "P-256", "P-384", "X25519MLKEM768", "ffdhe2048");
    /** What the Node 24 client offers a weft server: every group, the hybrids first. */
    private static final String NODE_CLIENT_GROUPS =
            "X25519MLKEM768:SecP256r1MLKEM768:X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072";
    private static final List<String> SERVER_SIGALGS = java.util.Arrays.asList(null, "ECDSA+SHA256", "ECDSA+SHA384",
            "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256", "RSA-PSS+SHA256:ECDSA+SHA256", "ECDSA+SHA1",
            "ECDSA+SHA1:ECDSA+SHA256", "ed25519:ECDSA+SHA512:ECDSA+SHA256", "rsa_pss_rsae_sha256");
    private static final List<String> CLIENT_SIGALGS = java.util.Arrays.asList(null, "ECDSA+SHA256",
            "ECDSA+SHA384:ECDSA+SHA256", "RSA-PSS+SHA256", "ECDSA+SHA1",
            "ed25519:ecdsa_secp256r1_sha256:rsa_pkcs1_sha256",
            "RSA+SHA256:ECDSA+SHA512:ECDSA+SHA256");

    @TempDir
    static Path dir;

    static List<String> groupLists() {
        List<String> lists = new ArrayList<>(SINGLE);
        for (String a : PAIRED) {
            for (String b : PAIRED) {
                if (!a.equals(b)) {
                    lists.add(a + ":" + b);
                }
            }
        }
        lists.addAll(List.of("?X25519MLKEM768:P-384", "P-256:?SecP384r1MLKEM1024:X25519", "DEFAULT",
                "DEFAULT:-X25519", "auto", "x25519:P-256:P-384", "X25519:P-256:P-384", "P-384:?brainpoolP256r1tls13",
                "P-384/X25519:P-256",
                "?X25519MLKEM768/X25519:P-256/P-384", "P-256/X25519MLKEM768:X25519", "*P-384:X25519"));
        return lists;
    }

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), TestCerts.SERVER.chainPem());
        Files.writeString(dir.resolve("key.pem"), TestCerts.SERVER.privateKeyPem());
        Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        try (var in = GroupsSigalgsIT.class.getResourceAsStream("groups-oracle.js")) {
            Files.write(dir.resolve("groups-oracle.js"), in.readAllBytes());
        }
    }

    private static String json(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String opts(String key1, String v1, String key2, String v2) {
        List<String> parts = new ArrayList<>();
        if (v1 != null) {
            parts.add(json(key1) + ":" + json(v1));
        }
        if (v2 != null) {
            parts.add(json(key2) + ":" + json(v2));
        }
        return "{" + String.join(",", parts) + "}";
    }

    /** Runs the oracle in {@code mode} over {@code cases} (JSON objects); its lines starting with {@code tag}. */
    private static Map<Integer, String> oracle(String mode, List<String> cases, String tag) throws Exception {
        Path f = Files.createTempFile(dir, mode, ".json");
        Files.writeString(f, "[" + String.join(",", cases) + "]");
        Tool t = Tool.run(WAIT, dir, Node24.binary().toString(), "groups-oracle.js", mode, f.toString());
        assertEquals(0, t.exitCode(), t.stderr());
        Map<Integer, String> out = new HashMap<>();
        for (String line : t.stdout().split("\n")) {
            if (line.startsWith(tag + " ")) {
                String[] p = line.split(" ", 3);
                out.put(Integer.parseInt(p[1]), p[2]);
            }
        }
        assertEquals(cases.size(), out.size(), t.stdout());
        return out;
    }

    private static String eph(TlsSocket s) {
        Optional<EphemeralKeyInfo> i = s.ephemeralKeyInfo();
        return i.map(k -> k.type() + "/" + k.name().orElse("-") + "/"
                + (k.size().isPresent() ? Integer.toString(k.size().getAsInt()) : "-")).orElse("none");
    }

    private static String jsonList(List<String> l) {
        return "[" + String.join(",", l.stream().map(GroupsSigalgsIT::json).toList()) + "]";
    }

    /** The code a context with {@code options} fails with on {@code provider}, or null when it is made. */
    private static String refusal(JsseProvider provider, Function<ContextOptions.Builder, ContextOptions.Builder> o) {
        try {
            Tls.createSecureContext(o.apply(ContextOptions.builder().key(TestCerts.SERVER.privateKeyPem())
                    .cert(TestCerts.SERVER.chainPem())).build()).sslContext(provider);
            return null;
        } catch (TlsException e) {
            return e.code();
        }
    }

    @Test
    void theOptionStringsNode24RefusesAreTheOnesWeftRefuses() throws Exception {
        List<String[]> corpus = new ArrayList<>();
        for (String g : List.of("nope", "X25519:nope", "auto", "", "x25519", "PRIME256V1", "P-256:prime256v1",
                "?nope:X25519", "x25519:P-256:", "K-233", "B-571", "secp160k1", "-nope", "DEFAULT:-X25519", "*P-256",
                "P-256/X25519", "X448MLKEM1024", "secp256r1:?X448MLKEM1024", "SecP384r1MLKEM1024", "MLKEM768",
                "brainpoolP512r1tls13", "curveSM2", "X25519Kyber768Draft00", "ffdhe6144", ":X25519")) {
            corpus.add(new String[] {"ecdhCurve", g});
        }
        for (String s : List.of("nope", "RSA+SHA1", "ECDSA+SHA256:RSA-PSS+SHA256:rsa_pss_rsae_sha256:ed25519",
                "RSA+MD5", "", "ecdsa+sha256", "SHA256+ECDSA", "ED25519", "PSS+SHA256", "rsa_pss_pss_sha256",
                "ecdsa_brainpoolP256r1tls13_sha256", "ecdsa_brainpoolP256r1_sha256", "rsa_pkcs1_md5", "mldsa44",
                "ML-DSA-65", "id-ml-dsa-44", "sm2sig_sm3", "ECDSA+SHA256+SHA384", "ECDSA", "RSA+SHA-256",
                "Ed25519+SHA256", "?nope", "ecdsa_secp256r1_sha256:", "ECDSA+SHA256:?nope", "DSA+SHA256",
                "RSA+SHA256:RSA+SHA256", "ecdsa_sha1", "RSA+SHA224")) {
            corpus.add(new String[] {"sigalgs", s});
        }
        Map<Integer, String> node = oracle("valid", corpus.stream().map(c -> "{" + json(c[0]) + ":" + json(c[1])
                + "}").toList(), "VALID");
        List<String> unlike = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            String[] c = corpus.get(i);
            String weft;
            try {
                ContextOptions.Builder b = ContextOptions.builder();
                Tls.createSecureContext((c[0].equals("ecdhCurve") ? b.ecdhCurve(c[1]) : b.sigalgs(c[1])).build());
                weft = "ok";
            } catch (TlsException e) {
                // Node 24 gives a bad sigalgs list no code: weft's is ERR_WEFT_SIGALGS_INVALID
                weft = "ERR " + (e.code().equals("ERR_WEFT_SIGALGS_INVALID") ? "none" : e.code());
            }
            if (!weft.equals(node.get(i))) {
                unlike.add(c[0] + " '" + c[1] + "': Node 24 " + node.get(i) + ", weft " + weft);
            }
        }
        assertEquals(List.of(), unlike);
    }

    /**
     * {@code list} with weft's default list written out for the Node 24 oracle: {@code DEFAULT} and {@code auto}
     * mean weft's default on {@code provider} (its configuration, the hybrids first where the provider has them).
     */
    private static String forNode(String list, JsseProvider provider) {
        String defaults = provider == JsseProvider.BC ? "X25519MLKEM768:SecP256r1MLKEM768:X25519:P-256:P-384"
                : "X25519:P-256:P-384";
        String expanded = list.equals("auto") ? defaults : list.replace("DEFAULT", defaults);
        // a ?name the provider lacks is dropped by weft, as OpenSSL drops a name it lacks: Node is given the rest
        List<String> tuples = new ArrayList<>();
        for (String tuple : expanded.split("/")) {
            String kept = String.join(":", java.util.Arrays.stream(tuple.split(":")).filter(n -> !n.startsWith("?")
                    || refusal(provider, b -> b.ecdhCurve(n.substring(1))) == null).toList());
            if (!kept.isEmpty()) {
                tuples.add(kept);
            }
        }
        return String.join("/", tuples);
    }

    /** The groups a weft client on {@code provider} offers for {@code list}: Bouncy Castle adds its ECDSA curves. */
    private static String offeredByWeftClient(String list, JsseProvider provider) {
        return forNode(list, provider) + (provider == JsseProvider.BC ? ":?P-256:?P-384:?P-521" : "");
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aWeftServerChoosesTheGroupANode24ServerChooses(JsseProvider provider) throws Exception {
        List<String> unlike = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> sunTls12 = new ArrayList<>();
        int compared = 0;
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            List<String> lists = groupLists();
            Map<Integer, String> node = oracle("pairs", lists.stream().map(l -> "{\"server\":" + opts("ecdhCurve",
                    forNode(l, provider), "", null) + ",\"client\":" + opts("ecdhCurve", NODE_CLIENT_GROUPS,
                    "maxVersion", version) + "}").toList(), "PAIR");
            refused.clear();
            for (int i = 0; i < lists.size(); i++) {
                String l = lists.get(i);
                String code = refusal(provider, b -> b.ecdhCurve(l));
                if (code != null) {
                    assertEquals("ERR_WEFT_GROUP_UNSUPPORTED", code, l);
                    refused.add(l);
                    continue;
                }
                try (TlsServer server = dev.weft.testing.EchoServers.start(ServerOptions.builder().provider(provider)
                        .ecdhCurve(l), s -> {
                    s.write("-\n");
                    s.end();
                })) {
                    String weft = oracle("clients", List.of("{\"port\":" + server.address().getPort() + ",\"client\":"
                            + opts("ecdhCurve", NODE_CLIENT_GROUPS, "maxVersion", version) + "}"), "CLIENT").get(0);
                    String nodeGroup = node.get(i).split(" ")[0];
                    String weftGroup = weft.split(" ")[0];
                    compared++;
                    if (provider != JsseProvider.CONSCRYPT && version.equals("TLSv1.2")) {
                        // SunJSSE and Bouncy Castle in TLS 1.2 need their ECDSA certificate's curve among the
                        // server's groups and take the client's order among them (SunSupport.serverList,
                        // BcSupport.withSignatureCurves): the outcome is compared, the differences printed
                        if (nodeGroup.equals("ERR") != weftGroup.equals("ERR")) {
                            unlike.add(version + " server ecdhCurve '" + l + "': Node 24 server " + nodeGroup
                                    + ", weft server " + weftGroup);
                        } else if (!nodeGroup.equals(weftGroup)) {
                            sunTls12.add(l + ": Node " + nodeGroup + ", weft " + weftGroup);
                        }
                    } else if (!nodeGroup.equals(weftGroup)) {
                        unlike.add(version + " server ecdhCurve '" + l + "': Node 24 server " + nodeGroup
                                + ", weft server " + weftGroup);
                    }
                }
            }
        }
        System.out.println(provider + ": " + compared + " server group lists compared (TLS 1.3 and 1.2); refused "
                + refused + (sunTls12.isEmpty() ? ""
                        : "; in TLS 1.2 the client's order among the server's groups and ECDSA curves: " + sunTls12));
        assertEquals(List.of(), unlike);
        for (String l : groupLists()) {
            boolean hybrid = l.matches("(?i)(.*:)?(X25519MLKEM768|SecP256r1MLKEM768)(:.*)?");
            if (hybrid) {
                assertEquals(provider != JsseProvider.BC, refused.contains(l), provider + " and " + l
                        + ": refused exactly where the provider has no ML-KEM");
            }
        }
    }

    /** The groups a Node 24 server is given, one at a time, for weft's and Node's clients. */
    private static final List<String> SERVER_GROUPS = List.of("X25519", "P-256", "P-384", "P-521", "X448",
            "ffdhe2048", "X25519MLKEM768", "SecP256r1MLKEM768", "X25519@TLSv1.2", "P-256@TLSv1.2", "P-384@TLSv1.2",
            "P-521@TLSv1.2", "X448@TLSv1.2");

    /** A Node server's options for an entry of {@link #SERVER_GROUPS}: {@code group[@maxVersion]}. */
    private static String serverOpts(String entry) {
        String[] p = entry.split("@");
        return opts("ecdhCurve", p[0], "maxVersion", p.length > 1 ? p[1] : null);
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aWeftClientReportsTheGroupANode24ClientReports(JsseProvider provider) throws Exception {
        List<String> lists = groupLists();
        List<String> cases = new ArrayList<>();
        for (String g : SERVER_GROUPS) {
            for (String l : lists) {
                cases.add("{\"server\":" + serverOpts(g) + ",\"client\":"
                        + opts("ecdhCurve", offeredByWeftClient(l, provider), "", null) + "}");
            }
        }
        Map<Integer, String> node = oracle("pairs", cases, "PAIR");
        Path f = dir.resolve("group-servers-" + provider + ".json");
        Files.writeString(f, "[" + String.join(",", SERVER_GROUPS.stream().map(g -> "{\"server\":"
                + serverOpts(g) + "}").toList()) + "]");
        List<String> unlike = new ArrayList<>();
        int compared = 0;
        try (Tool servers = Tool.start(dir, Node24.binary().toString(), "groups-oracle.js", "servers", f.toString())) {
            servers.awaitStdout("READY", WAIT);
            Map<Integer, Integer> ports = new HashMap<>();
            servers.stdout().lines().filter(x -> x.startsWith("PORT ")).forEach(x -> {
                String[] p = x.split(" ");
                ports.put(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            });
            for (int si = 0; si < SERVER_GROUPS.size(); si++) {
                for (int li = 0; li < lists.size(); li++) {
                    String l = lists.get(li);
                    if (refusal(provider, b -> b.ecdhCurve(l)) != null || l.equals("auto")) {
                        continue; // refusals: asserted by the server test; a client's auto is the provider's list
                    }
                    String weft;
                    String why = "";
                    try (TlsSocket s = Tls.connect(ports.get(si), "127.0.0.1", ClientOptions.builder()
                            .provider(provider).ca(TestCerts.ROOT.certificatePem()).servername("localhost")
                            .ecdhCurve(l).build())) {
                        weft = eph(s);
                    } catch (TlsException e) {
                        weft = "ERR";
                        why = e.code() + " " + e.getMessage();
                    }
                    String nodeGroup = node.get(si * lists.size() + li).split(" ")[0];
                    compared++;
                    if (!nodeGroup.equals(weft)) {
                        unlike.add("Node server " + SERVER_GROUPS.get(si) + ", client ecdhCurve '" + l
                                + "': Node 24 client " + nodeGroup + ", weft client " + weft + " " + why);
                    }
                }
            }
        }
        System.out.println(provider + ": " + compared + " client group lists compared");
        assertEquals(List.of(), unlike);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> providersAndVersions() {
        return java.util.Arrays.stream(JsseProvider.values()).flatMap(p -> java.util.stream.Stream.of("TLSv1.3",
                "TLSv1.2").map(v -> org.junit.jupiter.params.provider.Arguments.of(p, v)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("providersAndVersions")
    void signatureAlgorithmsSucceedFailAndAreSharedAsBetweenTwoNode24s(JsseProvider provider, String version)
            throws Exception {
        List<String[]> pairs = new ArrayList<>();
        for (String ss : SERVER_SIGALGS) {
            for (String cs : CLIENT_SIGALGS) {
                pairs.add(new String[] {ss, cs});
            }
        }
        Map<Integer, String> node = oracle("pairs", pairs.stream().map(p -> "{\"server\":" + opts("sigalgs", p[0],
                "", null) + ",\"client\":" + opts("sigalgs", p[1], "maxVersion", version) + "}").toList(), "PAIR");
        List<String> unlike = new ArrayList<>();
        List<String> knownSun = new ArrayList<>();
        int compared = 0;
        // weft server, Node 24 client: the handshake's outcome and the server's shared list
        for (String ss : SERVER_SIGALGS) {
            String code = ss == null ? null : refusal(provider, b -> b.sigalgs(ss));
            if (provider == JsseProvider.CONSCRYPT && ss != null) {
                assertEquals("ERR_WEFT_SIGALGS_UNSUPPORTED", code, "Conscrypt gained a sigalgs list: use it");
                continue;
            }
            if (code != null) {
                // a list of only SHA-1 schemes: refused when the context is made, so every handshake fails
                assertEquals("ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM", code, ss);
                for (int j = 0; j < CLIENT_SIGALGS.size(); j++) {
                    String n = node.get(SERVER_SIGALGS.indexOf(ss) * CLIENT_SIGALGS.size() + j);
                    compared++;
                    if (!n.equals("ERR ERR ERR")) {
                        unlike.add("server sigalgs " + ss + ", Node client sigalgs " + CLIENT_SIGALGS.get(j)
                                + ": Node 24 server connects, weft refuses the list");
                    }
                }
                continue;
            }
            ServerOptions.Builder b = ServerOptions.builder().provider(provider);
            if (ss != null) {
                b.sigalgs(ss);
            }
            try (TlsServer server = dev.weft.testing.EchoServers.start(b, s -> {
                s.write(jsonList(s.sharedSigalgs()) + "\n");
                s.end();
            })) {
                List<String> clients = new ArrayList<>();
                for (String cs : CLIENT_SIGALGS) {
                    clients.add("{\"port\":" + server.address().getPort() + ",\"client\":" + opts("sigalgs", cs,
                            "maxVersion", version) + "}");
                }
                Map<Integer, String> weft = oracle("clients", clients, "CLIENT");
                for (int j = 0; j < CLIENT_SIGALGS.size(); j++) {
                    int i = SERVER_SIGALGS.indexOf(ss) * CLIENT_SIGALGS.size() + j;
                    String n = node.get(i);
                    String w = weft.get(j);
                    String nodeSays = n.equals("ERR ERR ERR") ? "fails" : "connects, shared " + n.split(" ")[1];
                    String weftSays = w.equals("ERR") ? "fails" : "connects, shared " + w.split(" ", 3)[2];
                    compared++;
                    boolean sunCurveBound = provider == JsseProvider.SUN && version.equals("TLSv1.2") && ss != null
                            && !nodeSays.equals("fails") && ss.toUpperCase(java.util.Locale.ROOT).contains("ECDSA+SHA")
                            && !ss.toUpperCase(java.util.Locale.ROOT).contains("ECDSA+SHA256")
                            && !ss.contains("secp256r1") && weftSays.equals("fails");
                    if (sunCurveBound) {
                        // SunJSSE's TLS 1.2 server signs ecdsa_secp384r1_sha384 only with a P-384 key: this
                        // server's P-256 key and a list of only ECDSA+SHA384 fail (ContextOptions.sigalgs)
                        knownSun.add(ss + " / " + CLIENT_SIGALGS.get(j));
                    } else if (!nodeSays.equals(weftSays)) {
                        unlike.add("server sigalgs " + ss + ", Node client sigalgs " + CLIENT_SIGALGS.get(j)
                                + ": Node 24 server " + nodeSays + "; weft server " + weftSays);
                    }
                }
            }
        }
        // Node 24 server, weft client: the outcome and the client's shared list
        List<String> servers = SERVER_SIGALGS.stream().map(ss -> "{\"server\":" + opts("sigalgs", ss, "", null)
                + "}").toList();
        Path f = dir.resolve("sig-servers.json");
        Files.writeString(f, "[" + String.join(",", servers) + "]");
        try (Tool nodeServers = Tool.start(dir, Node24.binary().toString(), "groups-oracle.js", "servers",
                f.toString())) {
            nodeServers.awaitStdout("READY", WAIT);
            Map<Integer, Integer> ports = new LinkedHashMap<>();
            nodeServers.stdout().lines().filter(x -> x.startsWith("PORT ")).forEach(x -> {
                String[] p = x.split(" ");
                ports.put(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            });
            for (int si = 0; si < SERVER_SIGALGS.size(); si++) {
                for (int j = 0; j < CLIENT_SIGALGS.size(); j++) {
                    String cs = CLIENT_SIGALGS.get(j);
                    if (provider == JsseProvider.CONSCRYPT && cs != null) {
                        assertEquals("ERR_WEFT_SIGALGS_UNSUPPORTED", refusal(provider, b -> b.sigalgs(cs)));
                        continue;
                    }
                    ClientOptions.Builder b = ClientOptions.builder().provider(provider)
                            .ca(TestCerts.ROOT.certificatePem()).servername("localhost").maxVersion(version);
                    if (cs != null) {
                        b.sigalgs(cs);
                    }
                    String weftSays;
                    try (TlsSocket s = Tls.connect(ports.get(si), "127.0.0.1", b.build())) {
                        weftSays = "connects, shared " + jsonList(s.sharedSigalgs());
                    } catch (TlsException e) {
                        weftSays = "fails";
                    }
                    String n = node.get(si * CLIENT_SIGALGS.size() + j);
                    String nodeSays = n.equals("ERR ERR ERR") ? "fails" : "connects, shared " + n.split(" ")[2];
                    compared++;
                    if (!nodeSays.equals(weftSays)) {
                        unlike.add("Node server sigalgs " + SERVER_SIGALGS.get(si) + ", weft client sigalgs " + cs
                                + ": Node 24 client " + nodeSays + "; weft client " + weftSays);
                    }
                }
            }
        }
        System.out.println(provider + " " + version + ": " + compared + " sigalgs handshakes compared with Node 24"
                + (knownSun.isEmpty() ? "" : "; SunJSSE's TLS 1.2 ECDSA curve binding fails " + knownSun));
        assertEquals(List.of(), unlike);
    }
}
