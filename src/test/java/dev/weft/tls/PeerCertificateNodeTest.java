package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link PeerCertificate} against a real Node: for the same certificates, {@code JSON.stringify} of Node's
 * {@code getPeerCertificate(true)} (Buffers as base64, the root's self-reference left out) equals weft's
 * {@code toJson(true)} byte for byte (scenarios 26–28 of node-behaviour.md §3.2).
 */
class PeerCertificateNodeTest {
    static final HeldCertificate ROOT = Certs.ca("Weft Test Root CA").subject("/C=US/ST=CA/L=SF/O=Weft Test/OU=Test CA/CN=Weft Test Root CA").build();
    static final HeldCertificate INTER = Certs.intermediate("Weft Intermediate CA").pathLength(0).signedBy(ROOT).build();

    /** AGENT1 of the reference: RSA-2048, repeated OU, every SAN kind, EKU both ways, AIA, serial ABCDEF0123. */
    static final HeldCertificate AGENT1 = Certs.server("localhost")
            .subject("/C=US/ST=CA/L=SF/O=Weft Test/OU=Dev/OU=Ops/CN=localhost")
            .keyType(KeyType.RSA_2048)
            .dns("*.example.com").ip("127.0.0.1", "::1").email("admin@example.com")
            .uri("https://example.com/").clientAuth()
            .ocsp("http://ocsp.example.com/").caIssuers("http://ca.example.com/ca.cer")
            .serial(new BigInteger("ABCDEF0123", 16)).signedBy(ROOT).build();

    static Stream<HeldCertificate> certificates() {
        Instant day5 = Instant.parse("2024-01-05T03:04:05Z");
        return Stream.of(
                AGENT1,
                Certs.server("localhost", "127.0.0.1").signedBy(ROOT).build(),                         // EC P-256
                Certs.server("localhost").keyType(KeyType.EC_P384).signedBy(ROOT).build(),
                Certs.server("x").subject("/O=Ünïcödé Org/CN=cnonly.example.com").serial(BigInteger.valueOf(0x80))
                        .validity(day5, Instant.parse("2051-02-03T04:05:06Z")).signedBy(ROOT).build(),
                Certs.server("2001:db8::abcd", "a,b.example.com").serial(BigInteger.valueOf(0x123)).signedBy(INTER)
                        .build(),
                Certs.server("plain").subject("/DC=example/DC=com/CN=plain").signedBy(ROOT).build());
    }

    private static final String NODE_CLIENT = """
            const tls = require('tls'), fs = require('fs');
            const s = tls.connect({ port: +process.argv[1], host: '127.0.0.1', ca: fs.readFileSync(process.argv[2]),
                                    rejectUnauthorized: false }, () => {
              const detailed = process.argv[3] === 'detailed';
              const c = s.getPeerCertificate(detailed);
              process.stdout.write(JSON.stringify(c, function (k, v) {
                if (k === 'issuerCertificate' && v === this) return undefined;   // the root's self-reference
                if (v && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data).toString('base64');
                return v;
              }) + '\\n');
              s.end();
            });
            s.on('error', (e) => { console.log('ERROR ' + e.code); process.exitCode = 1; });
            """;

    static String nodeSees(int port, Path ca, boolean detailed) {
        Tool t = Tool.run(Duration.ofSeconds(30), null, "node", "-e", NODE_CLIENT, String.valueOf(port), ca.toString(),
                detailed ? "detailed" : "plain");
        assertEquals(0, t.exitCode(), t.stdout() + t.stderr());
        return t.stdout().strip();
    }

    @Test
    void jsonEqualsNodesForEachCertificate(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("root.pem"), ROOT.certificatePem());
        for (HeldCertificate cert : certificates().toList()) {
            CompletableFuture<TlsSocket> seen = new CompletableFuture<>();
            try (TlsServer server = EchoServers.listen(ServerOptions.builder().key(cert.privateKeyPem())
                    .cert(cert.chainPem()).build(), EchoServers.ECHO)) {
                int port = server.address().getPort();
                // what weft's own client reports for the same server
                try (TlsSocket c = Tls.connect(port, "127.0.0.1", ClientOptions.builder().ca(ROOT.certificatePem())
                        .checkServerIdentity((h, p) -> { }).build())) {
                    seen.complete(c);
                    assertEquals(nodeSees(port, ca, false), c.peerCertificate().orElseThrow().toJson(),
                            "plain form of " + cert);
                    assertEquals(nodeSees(port, ca, true), c.peerCertificate(true).orElseThrow().toJson(true),
                            "detailed form of " + cert);
                }
            }
            assertTrue(seen.get(1, TimeUnit.SECONDS).peerCertificate().isEmpty(), "empty once closed (Node: null)");
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void fieldsOnEveryProvider(JsseProvider provider) throws Exception {
        // scenario 26, 27 and 29 through each provider's socket
        String chain = dev.weft.cert.Pem.certificates(AGENT1.certificate());
        CompletableFuture<java.util.Optional<PeerCertificate>> serverView = new CompletableFuture<>();
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(provider)
                .key(AGENT1.privateKeyPem()).cert(chain).build(), s -> {
                    serverView.complete(s.peerCertificate());
                    EchoServers.echo(s);
                });
                TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(provider).ca(ROOT.certificatePem()).build())) {
            assertTrue(c.authorized(), c::authorizationError);
            PeerCertificate p = c.peerCertificate().orElseThrow();
            assertEquals(List.of("Dev", "Ops"), p.subject().get("OU"));
            assertEquals(List.of("Weft Test Root CA"), p.issuer().get("CN"));
            assertEquals("DNS:localhost, DNS:*.example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, "
                    + "email:admin@example.com, URI:https://example.com/", p.subjectaltname().orElseThrow());
            assertEquals(List.of("http://ocsp.example.com/"), p.infoAccess().get("OCSP - URI"));
            assertEquals(2048, p.bits().orElseThrow());
            assertEquals("0x10001", p.exponent().orElseThrow());
            assertTrue(p.modulus().orElseThrow().matches("[0-9A-F]{512}"));
            assertEquals("ABCDEF0123", p.serialNumber());
            assertTrue(p.validFrom().matches("[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} GMT"), p.validFrom());
            assertFalse(p.ca());
            assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), p.extKeyUsage().orElseThrow());
            assertEquals(java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                    java.security.MessageDigest.getInstance("SHA-1").digest(p.raw())), p.fingerprint());
            assertTrue(java.util.Arrays.equals(AGENT1.certificate().getEncoded(), p.raw()));
            // detailed: the root was not sent, yet it ends the chain and points to itself
            PeerCertificate root = c.peerCertificate(true).orElseThrow().issuerCertificate().orElseThrow();
            assertEquals(List.of("Weft Test Root CA"), root.subject().get("CN"));
            assertSame(root, root.issuerCertificate().orElseThrow());
            // scenario 29: a server without requestCert sees no client certificate (Node's {})
            assertTrue(serverView.get(10, TimeUnit.SECONDS).isEmpty());
            c.close();
            assertTrue(c.peerCertificate().isEmpty(), "closed: Node's null");
        }
    }

    @Test
    void ecAndIntermediateChains() {
        // scenario 28 and 27 without a network: the object model itself
        HeldCertificate ec = Certs.server("localhost").signedBy(INTER).build();
        PeerCertificate p = PeerCertificate.ofChain(List.of(ec.certificate(), INTER.certificate(), ROOT.certificate()));
        assertEquals(256, p.bits().orElseThrow());
        assertEquals("prime256v1", p.asn1Curve().orElseThrow());
        assertEquals("P-256", p.nistCurve().orElseThrow());
        assertEquals(65, p.pubkey().orElseThrow().length);
        assertEquals(4, p.pubkey().orElseThrow()[0]);
        assertTrue(p.modulus().isEmpty() && p.exponent().isEmpty());
        PeerCertificate inter = p.issuerCertificate().orElseThrow();
        assertEquals(List.of("Weft Intermediate CA"), inter.subject().get("CN"));
        assertTrue(inter.ca());
        PeerCertificate self = PeerCertificate.ofChain(List.of(TestCerts.ROOT.certificate()));
        assertSame(self, self.issuerCertificate().orElseThrow());
        assertTrue(PeerCertificate.of(ec.certificate()).issuerCertificate().isEmpty());
        Map<String, List<String>> dc = PeerCertificate.of(Certs.server("p").subject("/DC=example/DC=com/CN=p")
                .build().certificate()).subject();
        assertEquals(List.of("example", "com"), dc.get("DC"));
        assertEquals("0123", dev.weft.tls.internal.CertificateFields.serialNumber(BigInteger.valueOf(0x123)));
        assertEquals("80", dev.weft.tls.internal.CertificateFields.serialNumber(BigInteger.valueOf(0x80)));
    }
}
