package dev.weft.trust;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.TlsException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random mutations of valid chains (certificates dropped, reordered, repeated or added; extensions flipped; validity
 * shifted; issuers swapped; name constraints and path lengths imposed; trust moved) never make weft authorize a chain
 * that {@code openssl verify} (with Node 24's security level) refuses.
 */
class ChainMutationPropertiesIT {
    /** One change to a valid root → intermediates → leaf chain. */
    enum Mutation {
        REORDER_SENT, DUPLICATE_SENT, DROP_INTERMEDIATE, ADD_UNRELATED, SEND_ROOT, EXPIRE_LEAF, EXPIRE_INTERMEDIATE,
        ROOT_NOT_YET_VALID, INTERMEDIATE_CA_FALSE, INTERMEDIATE_NO_BASIC_CONSTRAINTS, INTERMEDIATE_NO_CERT_SIGN,
        LEAF_UNKNOWN_CRITICAL, INTERMEDIATE_UNKNOWN_CRITICAL, ROOT_UNKNOWN_CRITICAL, LEAF_UNKNOWN_NONCRITICAL,
        LEAF_CLIENT_AUTH_ONLY, INTERMEDIATE_CLIENT_AUTH_ONLY, LEAF_SIGNED_BY_IMPOSTOR, CORRUPT_LEAF_SIGNATURE,
        ROOT_EXCLUDES_LEAF_NAME, ROOT_PERMITS_OTHER_NAME, INTERMEDIATE_PERMITS_LEAF_NAME, ROOT_PATH_LENGTH_ZERO,
        TRUST_INTERMEDIATE_ONLY, ALLOW_PARTIAL_CHAIN, LEAF_WITHOUT_SAN, LEAF_IS_CA, CRL_REVOKES_LEAF
    }

    private static final OpensslVerify OPENSSL = new OpensslVerify(OpensslVerify.NODE24_AUTH_LEVEL);

    @Property(tries = 150)
    void weftNeverAuthorizesAChainOpensslRefuses(@ForAll("mutations") Tuple.Tuple3<Integer, List<Mutation>, Long> m)
            throws TlsException {
        ChainCase c = build(m.get1(), m.get2(), new Random(m.get3()));
        Verdict weft = WeftJudge.verify(c, Direction.SERVER_CHAIN);
        Statistics.collect(weft.authorized() ? "weft authorized (checked against openssl)" : "weft refused");
        if (weft.authorized()) {
            Verdict openssl = OPENSSL.verify(c, Direction.SERVER_CHAIN);
            assertTrue(openssl.authorized(), "weft authorized " + m.get2() + " with " + m.get1()
                    + " intermediates; openssl verify refused: " + openssl.summary() + " " + openssl.message());
        }
    }

    private static final HeldCertificate BYTES_ROOT = Certs.ca("Byte Mutant Root").build();
    private static final HeldCertificate BYTES_INTER = Certs.intermediate("Byte Mutant Intermediate")
            .nameConstraints(List.of("DNS:example.com", "IP:10.0.0.0/8", "email:example.com"), List.of("DNS:bad.example.com"))
            .signedBy(BYTES_ROOT).build();
    private static final HeldCertificate BYTES_LEAF = Certs.server("a.example.com", "10.1.2.3")
            .email("x@example.com").ocsp("http://ocsp.example.com/").signedBy(BYTES_INTER).build();

    /**
     * The verifier reads the peer's bytes (certificate extensions, names, keys): random byte flips, insertions and
     * truncations of a valid leaf that still parse as a certificate never make it throw, and it never authorizes
     * one that {@code openssl verify} refuses.
     */
    @Property(tries = 200)
    void mutatedCertificateBytesNeverBreakTheVerifier(@ForAll("byteEdits") List<int[]> edits) throws TlsException {
        byte[] der;
        try {
            der = BYTES_LEAF.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(der);
        byte[] mutated = out.toByteArray();
        for (int[] e : edits) {
            int at = Math.floorMod(e[1], mutated.length);
            mutated = switch (e[0]) {
                case 0 -> { byte[] b = mutated.clone(); b[at] ^= (byte) (1 << (e[2] & 7)); yield b; }
                case 1 -> { byte[] b = mutated.clone(); b[at] = (byte) e[2]; yield b; }
                default -> java.util.Arrays.copyOf(mutated, Math.max(1, at));
            };
        }
        X509Certificate leaf;
        try {
            leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(mutated));
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            Statistics.collect("not a certificate any more");
            return; // the provider would not have parsed it either
        }
        ChainCase c = new ChainCase("byte-mutant", "property: mutated bytes", List.of(leaf, BYTES_INTER.certificate()),
                BYTES_LEAF.privateKey(), List.of(BYTES_ROOT.certificate()), List.of(), false, true);
        Verdict weft = WeftJudge.verify(c, Direction.SERVER_CHAIN);
        Statistics.collect(weft.authorized() ? "weft authorized" : "weft refused");
        if (weft.authorized()) {
            Verdict openssl = OPENSSL.verify(c, Direction.SERVER_CHAIN);
            assertTrue(openssl.authorized(), "weft authorized a mutated certificate openssl refuses: "
                    + openssl.summary() + " " + openssl.message());
        }
    }

    @Provide
    Arbitrary<List<int[]>> byteEdits() {
        Arbitrary<int[]> edit = Arbitraries.integers().between(0, 2).flatMap(kind -> Arbitraries.integers()
                .between(0, 4096).flatMap(at -> Arbitraries.integers().between(0, 255)
                        .map(v -> new int[] {kind == 2 && at % 8 != 0 ? 0 : kind, at, v})));
        return edit.list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<Tuple.Tuple3<Integer, List<Mutation>, Long>> mutations() {
        return Arbitraries.integers().between(0, 2).flatMap(n -> Arbitraries.of(Mutation.class).list().ofMaxSize(3)
                .flatMap(ms -> Arbitraries.longs().map(seed -> Tuple.of(n, ms, seed))));
    }

    private static ChainCase build(int intermediates, List<Mutation> ms, Random random) {
        Certs.Builder rootB = Certs.ca("Mutant Root");
        if (ms.contains(Mutation.ROOT_NOT_YET_VALID)) {
            rootB.notYetValid();
        }
        if (ms.contains(Mutation.ROOT_UNKNOWN_CRITICAL)) {
            rootB.extension("1.3.6.1.4.1.55555.1", true, new byte[] {5, 0});
        }
        if (ms.contains(Mutation.ROOT_EXCLUDES_LEAF_NAME)) {
            rootB.nameConstraints(List.of(), List.of("DNS:leaf.example.com"));
        }
        if (ms.contains(Mutation.ROOT_PERMITS_OTHER_NAME)) {
            rootB.nameConstraints(List.of("DNS:other.example"), List.of());
        }
        if (ms.contains(Mutation.ROOT_PATH_LENGTH_ZERO)) {
            rootB.pathLength(0);
        }
        HeldCertificate root = rootB.build();
        List<HeldCertificate> inters = new ArrayList<>();
        HeldCertificate issuer = root;
        for (int i = 0; i < intermediates; i++) {
            Certs.Builder b = Certs.intermediate("Mutant Intermediate " + i).signedBy(issuer);
            boolean first = i == 0;
            if (first && ms.contains(Mutation.EXPIRE_INTERMEDIATE)) {
                b.expired();
            }
            if (first && ms.contains(Mutation.INTERMEDIATE_CA_FALSE)) {
                b.basicConstraints(false);
            }
            if (first && ms.contains(Mutation.INTERMEDIATE_NO_BASIC_CONSTRAINTS)) {
                b.withoutExtension("2.5.29.19");
            }
            if (first && ms.contains(Mutation.INTERMEDIATE_NO_CERT_SIGN)) {
                b.keyUsage("digitalSignature", "cRLSign");
            }
            if (first && ms.contains(Mutation.INTERMEDIATE_UNKNOWN_CRITICAL)) {
                b.extension("1.3.6.1.4.1.55555.2", true, new byte[] {5, 0});
            }
            if (first && ms.contains(Mutation.INTERMEDIATE_CLIENT_AUTH_ONLY)) {
                b.extendedKeyUsage("clientAuth");
            }
            if (first && ms.contains(Mutation.INTERMEDIATE_PERMITS_LEAF_NAME)) {
                b.nameConstraints(List.of("DNS:example.com"), List.of());
            }
            issuer = b.build();
            inters.add(issuer);
        }
        Certs.Builder leafB = Certs.leaf("leaf.example.com").dns("leaf.example.com").serverAuth().signedBy(issuer);
        if (ms.contains(Mutation.EXPIRE_LEAF)) {
            leafB.expired();
        }
        if (ms.contains(Mutation.LEAF_UNKNOWN_CRITICAL)) {
            leafB.extension("1.3.6.1.4.1.55555.3", true, new byte[] {5, 0});
        }
        if (ms.contains(Mutation.LEAF_UNKNOWN_NONCRITICAL)) {
            leafB.extension("1.3.6.1.4.1.55555.4", false, new byte[] {5, 0});
        }
        if (ms.contains(Mutation.LEAF_CLIENT_AUTH_ONLY)) {
            leafB.extendedKeyUsage("clientAuth");
        }
        if (ms.contains(Mutation.LEAF_WITHOUT_SAN)) {
            leafB = Certs.leaf("leaf.example.com").serverAuth().signedBy(issuer);
        }
        if (ms.contains(Mutation.LEAF_IS_CA)) {
            leafB.basicConstraints(true);
        }
        if (ms.contains(Mutation.LEAF_SIGNED_BY_IMPOSTOR)) {
            HeldCertificate impostor = Certs.ca(issuer.certificate().getSubjectX500Principal().getName()).build();
            leafB.signedBy(impostor).issuerName(issuer.certificate().getSubjectX500Principal().getName());
        }
        HeldCertificate leaf = leafB.build();
        X509Certificate leafCert = ms.contains(Mutation.CORRUPT_LEAF_SIGNATURE) ? TrustCorpus.corrupt(leaf.certificate())
                : leaf.certificate();
        List<X509Certificate> sent = new ArrayList<>();
        sent.add(leafCert);
        List<X509Certificate> rest = new ArrayList<>();
        for (int i = inters.size() - 1; i >= 0; i--) {
            rest.add(inters.get(i).certificate());
        }
        if (ms.contains(Mutation.DROP_INTERMEDIATE) && !rest.isEmpty()) {
            rest.remove(random.nextInt(rest.size()));
        }
        if (ms.contains(Mutation.SEND_ROOT)) {
            rest.add(root.certificate());
        }
        if (ms.contains(Mutation.ADD_UNRELATED)) {
            rest.add(Certs.ca("Unrelated").build().certificate());
        }
        if (ms.contains(Mutation.DUPLICATE_SENT) && !rest.isEmpty()) {
            rest.add(rest.get(random.nextInt(rest.size())));
        }
        if (ms.contains(Mutation.REORDER_SENT)) {
            Collections.shuffle(rest, random);
        }
        sent.addAll(rest);
        List<X509Certificate> trusted = ms.contains(Mutation.TRUST_INTERMEDIATE_ONLY) && !inters.isEmpty()
                ? List.of(inters.getFirst().certificate()) : List.of(root.certificate());
        List<java.security.cert.X509CRL> crls = List.of();
        if (ms.contains(Mutation.CRL_REVOKES_LEAF)) {
            crls = new ArrayList<>();
            crls.add(dev.weft.cert.Crls.create(issuer, List.of(leaf.serial())));
            HeldCertificate up = root;
            for (HeldCertificate inter : inters) {
                crls.add(dev.weft.cert.Crls.create(up, List.of()));
                up = inter;
            }
        }
        return new ChainCase("mutant " + ms, "property: mutated chain", sent, leaf.privateKey(), trusted, crls,
                ms.contains(Mutation.ALLOW_PARTIAL_CHAIN), true);
    }
}
