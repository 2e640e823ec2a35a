package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.MiniJson;
import dev.weft.testing.Node24;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node 24's {@code tls.getCACertificates(type)} and {@code tls.rootCertificates}, against a live Node 24:
 * {@code "system"} is the same set of certificates (the same PEM strings) as Node 24's; an invalid type fails with
 * Node 24's code; {@code "bundled"} (the JDK's roots, Mozilla's in Node) is compared and the overlap printed;
 * {@code "default"} is exactly what a default context trusts (each of its roots verifies through
 * {@link Tls#verify}, a system root outside it and a made-up root do not).
 */
class RootStoresIT {
    @TempDir
    static Path dir;
    private static List<String> nodeSystem;
    private static List<String> nodeBundled;
    private static List<String> nodeExtra;
    private static List<String> nodeErrors;

    @BeforeAll
    static void askNode() throws Exception {
        Files.writeString(dir.resolve("roots.js"), """
                const tls = require('tls');
                const errors = ['nope', 'DEFAULT', '', 'System'].map(t => {
                  try { tls.getCACertificates(t); return 'none'; } catch (e) { return e.code; }
                });
                console.log(JSON.stringify({system: tls.getCACertificates('system'),
                    bundled: tls.getCACertificates('bundled'), extra: tls.getCACertificates('extra'),
                    roots: tls.rootCertificates, errors}));
                """);
        String out = Tool.check(dir, Node24.binary().toString(), "roots.js");
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> m = (java.util.Map<String, Object>) MiniJson.parse(out.strip());
        nodeSystem = strings(m.get("system"));
        nodeBundled = strings(m.get("bundled"));
        nodeExtra = strings(m.get("extra"));
        nodeErrors = strings(m.get("errors"));
        assertEquals(nodeBundled, strings(m.get("roots")), "Node's rootCertificates is its bundled list");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Set<String> der(List<String> pems) throws Exception {
        Set<String> out = new LinkedHashSet<>();
        for (String p : pems) {
            out.add(java.util.HexFormat.of().formatHex(parse(p).getEncoded()));
        }
        return out;
    }

    @Test
    void systemIsNode24sSystemStore() throws Exception {
        List<String> weft = Tls.getCACertificates("system");
        assertFalse(weft.isEmpty(), "this machine has an operating system bundle");
        System.out.println("RootStoresIT: system: weft " + weft.size() + ", Node 24 " + nodeSystem.size()
                + " entries, " + new HashSet<>(nodeSystem).size() + " distinct");
        // the same PEM strings (Node lists a certificate once per place it finds it: the file and the directory)
        assertEquals(new HashSet<>(nodeSystem), new HashSet<>(weft));
        assertEquals(weft.size(), new HashSet<>(weft).size(), "each certificate once");
        assertEquals(der(nodeSystem), der(weft));
    }

    @Test
    void anInvalidTypeFailsWithNode24sCode() {
        List<String> weft = new ArrayList<>();
        for (String t : List.of("nope", "DEFAULT", "", "System")) {
            weft.add(assertThrows(TlsException.class, () -> Tls.getCACertificates(t)).code());
        }
        assertEquals(nodeErrors, weft);
    }

    @Test
    void bundledIsTheJdksRootsAndOverlapsNodes() throws Exception {
        List<String> bundled = Tls.getCACertificates("bundled");
        assertEquals(bundled, Tls.rootCertificates());
        assertThrows(UnsupportedOperationException.class, () -> Tls.rootCertificates().add("x"));
        Set<String> weft = der(bundled);
        Set<String> node = der(nodeBundled);
        Set<String> both = new HashSet<>(weft);
        both.retainAll(node);
        System.out.println("RootStoresIT: bundled: weft (JDK cacerts) " + weft.size() + ", Node 24 (Mozilla) "
                + node.size() + ", in both " + both.size());
        assertTrue(both.size() > node.size() / 2, "the JDK's and Mozilla's lists mostly overlap");
        // every PEM string is in OpenSSL's form
        for (String p : bundled) {
            assertTrue(p.startsWith("-----BEGIN CERTIFICATE-----\n") && p.endsWith("\n-----END CERTIFICATE-----\n"));
        }
    }

    @Test
    void extraIsEmptyWhateverNodeExtraCaCertsSays() throws Exception {
        System.out.println("RootStoresIT: extra: NODE_EXTRA_CA_CERTS=" + System.getenv("NODE_EXTRA_CA_CERTS")
                + ", Node 24 " + nodeExtra.size() + ", weft " + Tls.getCACertificates("extra").size());
        assertEquals(List.of(), Tls.getCACertificates("extra"));
        assertEquals(Tls.getCACertificates("default"), Tls.getCACertificates());
    }

    @Test
    void defaultIsExactlyWhatADefaultContextTrusts() throws Exception {
        List<String> def = Tls.getCACertificates("default");
        SecureContext context = Tls.createSecureContext(ContextOptions.builder().build());
        assertEquals(der(def), der(context.trustedCertificates().stream()
                .map(dev.weft.tls.internal.trust.RootStores::pem).toList()));
        // A root alone verifies as far as trust goes: what can still fail is the root's own purpose (a CA
        // certificate is no TLS server's) or its validity, checked once the chain ends in a trusted root; an
        // untrusted root fails earlier, on trust
        Set<String> afterTrust = Set.of("INVALID_PURPOSE", "CERT_HAS_EXPIRED");
        List<String> untrusted = new ArrayList<>();
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (String p : def) {
            VerifyResult r = Tls.verify(List.of(parse(p)), VerifyOptions.builder().build());
            String outcome = r.authorized() ? "authorized" : r.authorizationError();
            outcomes.merge(outcome, 1, Integer::sum);
            if (!r.authorized() && !afterTrust.contains(outcome)) {
                untrusted.add(parse(p).getSubjectX500Principal() + ": " + outcome);
            }
        }
        assertEquals(List.of(), untrusted, "every default root is trusted by a default context");
        Set<String> defaults = der(def);
        int outside = 0;
        for (String p : Tls.getCACertificates("system")) {
            if (!defaults.contains(der(List.of(p)).iterator().next())) {
                outside++;
                VerifyResult r = Tls.verify(List.of(parse(p)), VerifyOptions.builder().build());
                assertFalse(r.authorized() || afterTrust.contains(r.authorizationError()), "a system root outside "
                        + "'default' is not trusted by default: " + parse(p).getSubjectX500Principal() + " " + r);
            }
        }
        System.out.println("RootStoresIT: default " + def.size() + " roots, each alone: " + outcomes + "; "
                + outside + " system roots outside it, none trusted");
        VerifyResult madeUpRoot = Tls.verify(List.of(TestCerts.ROOT.certificate()), VerifyOptions.builder().build());
        assertFalse(madeUpRoot.authorized() || afterTrust.contains(madeUpRoot.authorizationError()),
                madeUpRoot.toString());
        System.out.println("RootStoresIT: a made-up root alone: " + madeUpRoot.authorizationError());
        VerifyResult madeUp = Tls.verify(List.of(TestCerts.SERVER.certificate(), TestCerts.ROOT.certificate()),
                VerifyOptions.builder().build());
        assertFalse(madeUp.authorized(), madeUp.toString());
        VerifyResult withCa = Tls.verify(List.of(TestCerts.SERVER.certificate(), TestCerts.ROOT.certificate()),
                VerifyOptions.builder().ca(TestCerts.ROOT.certificatePem()).build());
        assertTrue(withCa.authorized(), withCa.toString());
    }
}
