package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.EchoServers;
import dev.weft.testing.NodeCertificates;
import dev.weft.testing.TestCerts;
import dev.weft.tls.internal.json.Json;
import dev.weft.tls.internal.x509.CertificateFields;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link PeerCertificate}'s fields and JSON, edge by edge; Node's own output is checked in PeerCertificateNodeIT. */
class PeerCertificateIT {

    @Test
    void certificateWithoutSanEkuOrAiaHasNoSuchKeys() {
        PeerCertificate pc = PeerCertificate.of(Certs.leaf("plain").signedBy(TestCerts.ROOT).build().certificate());
        assertEquals(Optional.empty(), pc.subjectaltname());
        assertEquals(Optional.empty(), pc.extKeyUsage());
        assertEquals(Map.of(), pc.infoAccess());
        assertEquals(Optional.empty(), pc.issuerCertificate());
        Map<String, String> json = NodeCertificates.topLevel(pc.toJson());
        assertEquals(List.of("subject", "issuer", "ca", "pubkey", "bits", "valid_from", "valid_to", "fingerprint",
                "fingerprint256", "fingerprint512", "serialNumber", "raw", "asn1Curve", "nistCurve"),
                List.copyOf(json.keySet()));
        assertEquals("{\"CN\":\"plain\"}", json.get("subject"));
        assertEquals("false", json.get("ca"));
    }

    @Test
    void repeatedAttributesKeepCertificateOrderAndUtf8() {
        PeerCertificate pc = PeerCertificate.of(Certs.leaf("x")
                .subject("/C=US/O=Ünïcödé Org/OU=Dev/OU=Ops/DC=example/DC=com/1.2.3.4.5=custom/CN=x").build()
                .certificate());
        assertEquals(List.of("C", "O", "OU", "DC", "1.2.3.4.5", "CN"), List.copyOf(pc.subject().keySet()));
        assertEquals(List.of("Dev", "Ops"), pc.subject().get("OU"));
        assertEquals(List.of("Ünïcödé Org"), pc.subject().get("O"));
        assertEquals(pc.subject(), pc.issuer(), "self-signed");
        assertEquals("{\"C\":\"US\",\"O\":\"Ünïcödé Org\",\"OU\":[\"Dev\",\"Ops\"],\"DC\":[\"example\",\"com\"],"
                + "\"1.2.3.4.5\":\"custom\",\"CN\":\"x\"}", NodeCertificates.topLevel(pc.toJson()).get("subject"));
        assertThrows(UnsupportedOperationException.class, () -> pc.subject().put("CN", List.of("y")));
        assertThrows(UnsupportedOperationException.class, () -> pc.subject().get("OU").add("z"));
    }

    @ParameterizedTest
    @CsvSource({"80, 80", "123, 0123", "ABCDEF0123, ABCDEF0123", "7F, 7F", "1, 01", "FF00, FF00",
            "400102030405060708090A0B0C0D0E0F, 400102030405060708090A0B0C0D0E0F"})
    void serialNumberIsUppercaseHexInWholeBytesWithoutTheSignByte(String hex, String expected) {
        BigInteger serial = new BigInteger(hex, 16);
        assertEquals(expected, CertificateFields.serialNumber(serial));
        assertEquals(expected, PeerCertificate.of(Certs.leaf("s").serial(serial).build().certificate()).serialNumber());
    }

    @Test
    void serialNumberZeroAndNegativeAsBnBn2hex() {
        assertEquals("0", CertificateFields.serialNumber(BigInteger.ZERO));
        assertEquals("-0123", CertificateFields.serialNumber(BigInteger.valueOf(-0x123)));
    }

    @Test
    void ipAddressesAreDottedOrUncompressedUppercaseIpv6() {
        PeerCertificate pc = PeerCertificate.of(Certs.leaf("ip")
                .ip("127.0.0.1", "::1", "2001:db8::abcd", "fe80::1:2").build().certificate());
        assertEquals(Optional.of("IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, "
                + "IP Address:2001:DB8:0:0:0:0:0:ABCD, IP Address:FE80:0:0:0:0:0:1:2"), pc.subjectaltname());
    }

    @Test
    void sanValuesWithCommasOrQuotesAreJsonQuoted() {
        PeerCertificate pc = PeerCertificate.of(Certs.leaf("q").dns("a,b.example.com", "ok.example.com")
                .uri("https://x.example/\"q\"").email("admin@example.com").build().certificate());
        assertEquals(Optional.of("DNS:\"a\\u002cb.example.com\", DNS:ok.example.com, "
                + "URI:\"https://x.example/\\\"q\\\"\", email:admin@example.com"), pc.subjectaltname());
    }

    @Test
    void datesAreSpacePaddedUtcForUtcTimeAndGeneralizedTime() {
        PeerCertificate pc = PeerCertificate.of(Certs.leaf("d")
                .validity(Instant.parse("2024-01-05T03:04:05Z"), Instant.parse("2051-02-13T14:05:06Z")).build()
                .certificate());
        assertEquals("Jan  5 03:04:05 2024 GMT", pc.validFrom());
        assertEquals("Feb 13 14:05:06 2051 GMT", pc.validTo());
    }

    @Test
    void rsaKeyFields() throws Exception {
        HeldCertificate h = Certs.leaf("rsa").keyType(KeyType.RSA_2048).build();
        PeerCertificate pc = PeerCertificate.of(h.certificate());
        var key = (java.security.interfaces.RSAPublicKey) h.certificate().getPublicKey();
        assertEquals(Optional.of(key.getModulus().toString(16).toUpperCase()), pc.modulus());
        assertEquals(512, pc.modulus().orElseThrow().length());
        assertEquals(Optional.of("0x10001"), pc.exponent());
        assertEquals(2048, pc.bits().orElseThrow());
        assertArrayEquals(key.getEncoded(), pc.pubkey().orElseThrow());
        assertEquals(Optional.empty(), pc.asn1Curve());
        assertEquals(Optional.empty(), pc.nistCurve());
        assertEquals(List.of("subject", "issuer", "ca", "modulus", "exponent", "pubkey", "bits", "valid_from"),
                List.copyOf(NodeCertificates.topLevel(pc.toJson()).keySet()).subList(0, 8));
    }

    @ParameterizedTest
    @CsvSource({"EC_P256, prime256v1, P-256, 256, 65", "EC_P384, secp384r1, P-384, 384, 97"})
    void ecKeyFieldsAreTheRawPointAndCurveNames(KeyType type, String asn1, String nist, int bits, int pointLength) {
        PeerCertificate pc = PeerCertificate.of(Certs.leaf("ec").keyType(type).build().certificate());
        assertEquals(Optional.of(asn1), pc.asn1Curve());
        assertEquals(Optional.of(nist), pc.nistCurve());
        assertEquals(bits, pc.bits().orElseThrow());
        byte[] point = pc.pubkey().orElseThrow();
        assertEquals(pointLength, point.length);
        assertEquals(0x04, point[0], "uncompressed point");
        assertEquals(Optional.empty(), pc.modulus());
        assertEquals(Optional.empty(), pc.exponent());
    }

    @Test
    void ed25519HasNoKeyFieldsAsInNode() {
        PeerCertificate pc = PeerCertificate.of(Certs.selfSigned("ed").keyType(KeyType.ED25519).build().certificate());
        assertTrue(pc.bits().isEmpty() && pc.pubkey().isEmpty() && pc.modulus().isEmpty() && pc.asn1Curve().isEmpty());
        assertEquals(List.of("subject", "issuer", "subjectaltname", "ca", "valid_from", "valid_to", "fingerprint",
                "fingerprint256", "fingerprint512", "ext_key_usage", "serialNumber", "raw"),
                List.copyOf(NodeCertificates.topLevel(pc.toJson()).keySet()));
    }

    @Test
    void fingerprintsAreDigestsOfTheDer() throws Exception {
        HeldCertificate h = Certs.leaf("fp").build();
        PeerCertificate pc = PeerCertificate.of(h.certificate());
        byte[] der = h.certificate().getEncoded();
        HexFormat hex = HexFormat.ofDelimiter(":").withUpperCase();
        assertEquals(hex.formatHex(MessageDigest.getInstance("SHA-1").digest(der)), pc.fingerprint());
        assertEquals(hex.formatHex(MessageDigest.getInstance("SHA-256").digest(der)), pc.fingerprint256());
        assertEquals(hex.formatHex(MessageDigest.getInstance("SHA-512").digest(der)), pc.fingerprint512());
        assertEquals(59, pc.fingerprint().length());
        assertArrayEquals(der, pc.raw());
        pc.raw()[0] = 0;
        assertArrayEquals(der, pc.raw(), "raw() is a copy");
    }

    @Test
    void caFollowsBasicConstraintsAndKeyUsage() {
        assertTrue(PeerCertificate.of(TestCerts.ROOT.certificate()).ca());
        assertTrue(PeerCertificate.of(TestCerts.INTERMEDIATE.certificate()).ca());
        assertFalse(PeerCertificate.of(TestCerts.SERVER.certificate()).ca());
        // A self-signed leaf may sign certificates (keyCertSign) but is no CA without basicConstraints CA:TRUE.
        assertFalse(PeerCertificate.of(Certs.selfSigned("leaf").build().certificate()).ca());
    }

    @Test
    void aiaIsKeyedByMethodAndNameType() {
        PeerCertificate pc = PeerCertificate.of(Certs.leaf("aia").ocsp("http://ocsp.example.com/")
                .ocsp("http://ocsp2.example.com/").caIssuers("http://ca.example.com/ca.cer").build().certificate());
        assertEquals(Map.of("OCSP - URI", List.of("http://ocsp.example.com/", "http://ocsp2.example.com/"),
                "CA Issuers - URI", List.of("http://ca.example.com/ca.cer")), pc.infoAccess());
        assertEquals(List.of("OCSP - URI", "CA Issuers - URI"), List.copyOf(pc.infoAccess().keySet()));
    }

    @Test
    void detailedFormLinksIssuersUpToASelfIssuedRootThatIsItsOwnIssuer() {
        HeldCertificate leaf = TestCerts.CHAINED_SERVER;
        // Given out of order, with an unrelated certificate: linked by issuer, the stranger ignored.
        PeerCertificate pc = PeerCertificate.detailed(List.of(leaf.certificate(), TestCerts.CLIENT.certificate(),
                TestCerts.ROOT.certificate(), TestCerts.INTERMEDIATE.certificate()));
        assertEquals(List.of("localhost", "Weft Intermediate CA", "Weft Test Root CA", "Weft Test Root CA"),
                PeerCertificateNodeIT.commonNames(pc, 4));
        PeerCertificate root = pc.issuerCertificate().orElseThrow().issuerCertificate().orElseThrow();
        assertSame(root, root.issuerCertificate().orElseThrow());
        String json = pc.toJson();
        assertTrue(json.endsWith(",\"issuerCertificate\":\"[Circular]\"}}}"), json);
        assertFalse(pc.toJson(false).contains("issuerCertificate"));
        assertEquals(PeerCertificate.of(leaf.certificate()).toJson(), pc.toJson(false));
    }

    @Test
    void detailedFormStopsWhereTheChainStopsShortOfARoot() {
        PeerCertificate pc = PeerCertificate.detailed(TestCerts.CHAINED_SERVER.chain());
        PeerCertificate inter = pc.issuerCertificate().orElseThrow();
        assertEquals(List.of("Weft Intermediate CA"), inter.subject().get("CN"));
        assertEquals(Optional.empty(), inter.issuerCertificate());
        assertFalse(pc.toJson().contains("[Circular]"));
    }

    @Test
    void selfSignedLeafIsItsOwnIssuer() {
        PeerCertificate pc = PeerCertificate.detailed(List.of(Certs.selfSigned("self").build().certificate()));
        assertSame(pc, pc.issuerCertificate().orElseThrow());
        assertTrue(pc.toJson().endsWith("\"issuerCertificate\":\"[Circular]\"}"));
        assertThrows(IllegalArgumentException.class, () -> PeerCertificate.detailed(List.of()));
    }

    @Test
    void jsonEscapesAsJsonStringifyAndPrettyPrintsAsItsIndent() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001é\u2028\"", Json.write("a\"b\\c\n\u0001é\u2028"));
        assertEquals("\"\\ud800\"", Json.write("\ud800"));
        assertEquals("{\n  \"a\": [\n    1,\n    \"x,{\"\n  ],\n  \"b\": {},\n  \"c\": []\n}",
                Json.pretty("{\"a\":[1,\"x,{\"],\"b\":{},\"c\":[]}", 2));
        assertEquals("a,b\u00e9", Json.parseString("\"a\\u002cb\u00e9\""));
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void emptyWithoutAPeerCertificateAndOnceClosed(JsseProvider provider) throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(provider), s -> {
            seen.complete(s.peerCertificate() + " " + s.peerCertificate(true));
            EchoServers.echo(s);
        })) {
            ClientOptions options = ClientOptions.builder().provider(provider).servername("localhost")
                    .ca(TestCerts.ROOT.certificatePem()).build();
            TlsSocket s = Tls.connect(server.address().getPort(), "127.0.0.1", options);
            try {
                assertEquals("Optional.empty Optional.empty", seen.get(30, TimeUnit.SECONDS),
                        "a server that did not request a certificate: Node's {}");
                PeerCertificate pc = s.peerCertificate().orElseThrow();
                assertArrayEquals(TestCerts.SERVER.certificate().getEncoded(), pc.raw());
                assertEquals(TestCerts.SERVER.certificate(), pc.certificate());
                assertEquals(List.of("localhost", "Weft Test Root CA", "Weft Test Root CA"),
                        PeerCertificateNodeIT.commonNames(s.peerCertificate(true).orElseThrow(), 3));
                s.close();
                assertEquals(Optional.empty(), s.peerCertificate(), "Node's null after close");
            } finally {
                s.close();
            }
        }
    }
}
