package dev.weft.tls.internal.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile chains meet a bound: OpenSSL's depth and its linear chain building (each certificate the peer sent is used
 * once), and a deadline that fails a verification with its own code instead of holding the handshake's thread.
 * Durations are printed for the record, never asserted.
 */
class VerifierLimitsTest {
    private static final HeldCertificate ROOT = Certs.ca("Limits Root").build();

    @Test
    void aVerificationPastItsDeadlineFailsWithItsCode() {
        HeldCertificate leaf = Certs.server("localhost").signedBy(ROOT).build();
        Verifier v = new Verifier(List.of(ROOT.certificate()), List.of(), false);
        Verifier.Result r = v.verify(List.of(leaf.certificate()), Verifier.Purpose.SERVER, Instant.now(),
                Duration.ofNanos(1));
        assertEquals(Verifier.TIMEOUT_CODE, r.code());
        assertEquals("authorized", v.verify(List.of(leaf.certificate()), Verifier.Purpose.SERVER, Instant.now(),
                Verifier.DEFAULT_BUDGET).authorized() ? "authorized" : "refused");
    }

    /**
     * 240 certificates that issue one another back and forth under two names (every "A" looks like the issuer of
     * every "B" and the reverse): a path builder that searches (Bouncy Castle's CertPathBuilder) explores an
     * exponential number of paths; OpenSSL's, which weft follows, takes each certificate once and stops at its
     * depth limit.
     */
    @Test
    void aMeshOfCrossIssuedCertificatesStopsAtOpensslsDepth() {
        KeyPair a = KeyType.EC_P256.generate();
        KeyPair b = KeyType.EC_P256.generate();
        HeldCertificate anchorA = Certs.ca("mesh A").keyPair(a).build();
        HeldCertificate anchorB = Certs.ca("mesh B").keyPair(b).build();
        List<X509Certificate> sent = new ArrayList<>();
        sent.add(Certs.server("localhost").signedBy(anchorA).withoutExtension("2.5.29.35").build().certificate());
        for (int i = 0; i < 120; i++) {
            sent.add(Certs.intermediate("mesh A").keyPair(a).signedBy(anchorB).withoutExtension("2.5.29.35")
                    .build().certificate());
            sent.add(Certs.intermediate("mesh B").keyPair(b).signedBy(anchorA).withoutExtension("2.5.29.35")
                    .build().certificate());
        }
        Verifier v = new Verifier(List.of(ROOT.certificate()), List.of(), false);
        long start = System.nanoTime();
        Verifier.Result r = v.verify(sent, Verifier.Purpose.SERVER, Instant.now(), Verifier.DEFAULT_BUDGET);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("mesh of " + sent.size() + " certificates: " + r.code() + " (" + r.message() + ") at depth "
                + r.depth() + ", chain of " + r.path().size() + ", in " + ms + " ms");
        assertFalse(r.authorized());
        assertNotEquals(Verifier.TIMEOUT_CODE, r.code(), "bounded by OpenSSL's depth, not by the deadline");
        assertEquals(ChainBuilder.MAX_DEPTH + 2, r.path().size(), "the chain stops one past OpenSSL's depth");
    }

    /** The costliest legitimate shape weft accepts: RSA-4096 keys all the way up a chain of ten. */
    @Test
    void aLongChainOfLargeKeysVerifies() {
        HeldCertificate root = Certs.ca("Big Root").keyType(KeyType.RSA_4096).build();
        HeldCertificate issuer = root;
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            issuer = Certs.intermediate("Big Intermediate " + i).keyType(KeyType.RSA_4096).signedBy(issuer).build();
            chain.addFirst(issuer.certificate());
        }
        chain.addFirst(Certs.server("localhost").keyType(KeyType.RSA_4096).signedBy(issuer).build().certificate());
        Verifier v = new Verifier(List.of(root.certificate()), List.of(), false);
        long start = System.nanoTime();
        Verifier.Result r = v.verify(chain, Verifier.Purpose.SERVER, Instant.now(), Verifier.DEFAULT_BUDGET);
        System.out.println("chain of 9 RSA-4096 certificates: " + (r.authorized() ? "authorized" : r.code()) + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertEquals(null, r.code());
    }
}
