package dev.weft.trust;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.Node24;
import dev.weft.tls.JsseProvider;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server presenting the costliest chain a peer can put in one certificate message that verification must walk:
 * 200 certificates under two names that issue one another (every "A" looks like the issuer of every "B" and the
 * reverse). Each provider's client refuses it — SunJSSE and Bouncy Castle for its length, Conscrypt's after weft's
 * verifier stopped at OpenSSL's depth — never by the deadline. The time each handshake took is printed (the figure
 * the issue asks for: how long one hostile peer can hold a thread, a carrier thread on Conscrypt), never asserted.
 */
class HostileChainIT {
    private static NodeOracle node;
    private static ChainCase mesh;

    @BeforeAll
    static void serveTheMesh() {
        KeyPair a = KeyType.EC_P256.generate();
        KeyPair b = KeyType.EC_P256.generate();
        HeldCertificate anchorA = Certs.ca("mesh A").keyPair(a).build();
        HeldCertificate anchorB = Certs.ca("mesh B").keyPair(b).build();
        HeldCertificate leaf = Certs.server("localhost", "127.0.0.1").signedBy(anchorA)
                .withoutExtension("authorityKeyIdentifier").build();
        List<X509Certificate> sent = new ArrayList<>(List.of(leaf.certificate()));
        for (int i = 0; i < 100; i++) {
            sent.add(Certs.intermediate("mesh A").keyPair(a).signedBy(anchorB)
                    .withoutExtension("authorityKeyIdentifier").withoutExtension("subjectKeyIdentifier")
                    .build().certificate());
            sent.add(Certs.intermediate("mesh B").keyPair(b).signedBy(anchorA)
                    .withoutExtension("authorityKeyIdentifier").withoutExtension("subjectKeyIdentifier")
                    .build().certificate());
        }
        HeldCertificate root = Certs.ca("Hostile Chain Root").build();
        mesh = new ChainCase("mesh-200", "path-building: 200 cross-issued certificates", sent, leaf.privateKey(),
                List.of(root.certificate()), List.of(), false, false);
        node = NodeOracle.start(Node24.binary());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aMeshOfCrossIssuedCertificatesIsRefusedWithinOpensslsDepth(JsseProvider provider) {
        int port = node.serve(mesh);
        long start = System.nanoTime();
        Verdict v = WeftJudge.asClient(provider, mesh, port);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println(provider + " client, " + mesh.sent().size() + "-certificate mesh: " + v.summary() + " in "
                + ms + " ms (lenient and strict handshakes)");
        assertFalse(v.authorized(), v.summary());
        assertNotEquals("ERR_WEFT_CERT_VERIFY_TIMEOUT", v.code(), "bounded by OpenSSL's depth, not the deadline");
    }
}
