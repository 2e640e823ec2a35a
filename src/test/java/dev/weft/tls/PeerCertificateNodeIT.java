package dev.weft.tls;

import static dev.weft.testing.NodeCertificates.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.cert.Pem;
import dev.weft.testing.EchoServers;
import dev.weft.testing.NodeCertificates;
import dev.weft.testing.TestCerts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * weft's {@link PeerCertificate} against the object a real Node 24 TLS peer builds for the same certificate: the
 * same JSON, key by key and in the same key order (with {@code raw}/{@code pubkey} in base64 on both sides). Node 20
 * (Debian's {@code node}) sees the same server; where it differs from Node 24 the test prints it (weft follows 24).
 */
class PeerCertificateNodeIT {
    /** A root with a full subject, as in node-behaviour.md §2.1. */
    static final HeldCertificate CA = Certs.ca("Weft Test Root CA")
            .subject("/C=US/ST=CA/L=SF/O=Weft Test/OU=Test CA/CN=Weft Test Root CA").keyType(KeyType.RSA_2048).build();

    /** A credential to serve: the private key and the chain to send. */
    record Served(String keyPem, String chainPem, List<X509Certificate> chain) {
        static Served of(HeldCertificate h) {
            return new Served(h.privateKeyPem(), h.chainPem(), h.chain());
        }
    }

    static Stream<Named<Served>> certificates() throws Exception {
        return Stream.of(
                Named.of("RSA 2048: multi-valued OU, UTF-8 O, every SAN kind Certs makes, AIA, EKU", Served.of(
                        Certs.server("localhost")
                                .subject("/C=US/ST=CA/L=SF/O=Ünïcödé Org/OU=Dev/OU=Ops/CN=localhost")
                                .keyType(KeyType.RSA_2048).dns("*.example.com", "a,b.example.com")
                                .ip("127.0.0.1", "::1", "2001:db8::abcd").email("admin@example.com")
                                .uri("https://example.com/", "https://example.com/q?a=\"x\"")
                                .ocsp("http://ocsp.example.com/").caIssuers("http://ca.example.com/ca.cer")
                                .ocsp("http://ocsp2.example.com/a,b").clientAuth()
                                .serial(new BigInteger("ABCDEF0123", 16)).signedBy(CA).build())),
                Named.of("EC P-256", Served.of(Certs.server("localhost").signedBy(CA).build())),
                Named.of("EC P-384", Served.of(Certs.server("localhost").keyType(KeyType.EC_P384).signedBy(CA)
                        .build())),
                Named.of("serial 0x80, self-signed", Served.of(Certs.selfSigned("s80").serial(BigInteger.valueOf(0x80))
                        .build())),
                Named.of("serial 0x123", Served.of(Certs.server("s123").serial(BigInteger.valueOf(0x123)).signedBy(CA)
                        .build())),
                Named.of("single-digit days, UTCTime and GeneralizedTime", Served.of(Certs.server("dates")
                        .validity(Instant.parse("2024-01-05T03:04:05Z"), Instant.parse("2051-02-03T04:05:06Z"))
                        .signedBy(CA).build())),
                Named.of("no SAN, EKU or AIA", Served.of(Certs.leaf("plain").signedBy(CA).build())),
                Named.of("the root CA itself", Served.of(CA)),
                Named.of("many name attributes, repeated DC, unknown OID", Served.of(Certs.leaf("many")
                        .subject("/DC=com/DC=example/C=DE/ST=Berlin/L=Berlin/street=Main St 1/postalCode=10115"
                                + "/O=Org/OU=Unit/2.5.4.12=Dr/2.5.4.4=Surname/2.5.4.42=Given/serialNumber=12345"
                                + "/emailAddress=a@example.com/UID=uid1/1.2.3.4.5=custom/CN=many")
                        .signedBy(CA).build())),
                Named.of("Ed25519", Served.of(Certs.selfSigned("ed").keyType(KeyType.ED25519).build())),
                Named.of("DirName, Registered ID, otherName, escaped names (Bouncy Castle)", exotic()));
    }

    /** A leaf with the SAN kinds Certs does not make, and names Node must quote or escape. */
    static Served exotic() throws Exception {
        KeyPair keys = KeyType.EC_P256.generate();
        List<GeneralName> sans = new ArrayList<>(List.of(
                new GeneralName(GeneralName.directoryName, new X500Name("CN=dir")),
                new GeneralName(GeneralName.directoryName, new X500Name("CN=a\\,b+OU=x,O=org,C=US")),
                new GeneralName(GeneralName.registeredID, new ASN1ObjectIdentifier("1.2.3.4")),
                new GeneralName(GeneralName.otherName, new OtherName(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"),
                        new DERUTF8String("user@example.com"))),
                new GeneralName(GeneralName.otherName, new OtherName(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"),
                        new DERUTF8String("us,er@ex\u00e4mple.com"))),
                new GeneralName(GeneralName.otherName, new OtherName(new ASN1ObjectIdentifier("1.2.3.4.5"),
                        new DERUTF8String("custom"))),
                new GeneralName(GeneralName.dNSName, new DERIA5String("quo\"te.example.com")),
                new GeneralName(GeneralName.dNSName, new DERIA5String("back\\slash'.example.com")),
                new GeneralName(GeneralName.dNSName, new DERIA5String("caf\u00e9.example.com")),
                new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[] {10, 0, 0, 0, (byte) 255, 0, 0, 0})),
                new GeneralName(GeneralName.uniformResourceIdentifier, new DERIA5String("urn:x,y"))));
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(CA.certificate().getSubjectX500Principal().getEncoded()), BigInteger.valueOf(7),
                Date.from(Instant.parse("2025-03-09T10:11:12Z")), Date.from(Instant.parse("2035-12-31T23:59:59Z")),
                new X500Name("CN=exotic,O=Quote\\\"Comma\\, Inc"), keys.getPublic());
        b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        b.addExtension(Extension.authorityInfoAccess, false, new DERSequence(new ASN1Encodable[] {
                new AccessDescription(AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.dNSName, "ocsp.example.com")),
                new AccessDescription(AccessDescription.id_ad_caIssuers,
                        new GeneralName(GeneralName.uniformResourceIdentifier, "http://ca.example.com/a,b")),
                new AccessDescription(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.5"),
                        new GeneralName(GeneralName.iPAddress, "::1"))}));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(CA.privateKey())));
        return new Served(Pem.privateKey(keys.getPrivate()), Pem.certificates(cert), List.of(cert));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("certificates")
    void toJsonIsWhatNodesGetPeerCertificatePrints(Served served, @TempDir Path dir) throws Exception {
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(JsseProvider.SUN)
                .key(served.keyPem()).cert(served.chainPem()).build(), EchoServers.ECHO)) {
            NodeCertificates.View node = NodeCertificates.client(dir, server.address().getPort(), null, null, null, 0);
            NodeCertificates.View node20 = NodeCertificates.client("node", dir, server.address().getPort(), null, null,
                    null, 0);
            System.out.println("getPeerCertificate: Node 20 " + (node20.equals(node) ? "prints what Node 24 prints"
                    : "differs from Node 24:\n  node 20: " + node20 + "\n  node 24: " + node));
            assertSameJson(node.plain(), PeerCertificate.of(served.chain().getFirst()).toJson());
            // Node's client trusts only its default roots here: the chain is what the server sent.
            assertSameJson(node.detailed(), PeerCertificate.detailed(served.chain()).toJson());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void clientPeerCertificateIsNodesWithTheChainCompletedToTheTrustedRoot(JsseProvider provider, @TempDir Path dir)
            throws Exception {
        HeldCertificate leaf = TestCerts.CHAINED_SERVER;
        try (NodeCertificates.Server node = NodeCertificates.server(dir, leaf.privateKeyPem(), leaf.chainPem(),
                TestCerts.ROOT.certificatePem(), 0)) {
            ClientOptions options = ClientOptions.builder().provider(provider).servername("localhost")
                    .ca(TestCerts.ROOT.certificatePem()).build();
            String plain;
            String detailed;
            TlsSocket s = Tls.connect(node.port(), "127.0.0.1", options);
            try {
                assertTrue(s.authorized(), s.authorizationError());
                plain = s.peerCertificate().orElseThrow().toJson();
                PeerCertificate full = s.peerCertificate(true).orElseThrow();
                detailed = full.toJson();
                assertEquals(List.of("localhost", "Weft Intermediate CA", "Weft Test Root CA", "Weft Test Root CA"),
                        commonNames(full, 4));
                assertEquals("OK", EchoServers.roundTrip(s, "OK"));
                s.close();
                assertEquals(Optional.empty(), s.peerCertificate(), "null after close in Node");
                assertEquals(Optional.empty(), s.peerCertificate(true));
            } finally {
                s.close();
            }
            assertSameJson(node.view().plain(), plain);
            assertSameJson(node.view().detailed(), detailed);
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void serverPeerCertificateIsTheClientsCertificateAsNodeDescribesIt(JsseProvider provider, @TempDir Path dir)
            throws Exception {
        HeldCertificate client = Certs.client("client1").subject("/O=Weft/OU=a/OU=b/CN=client1")
                .signedBy(TestCerts.INTERMEDIATE).build();
        CompletableFuture<String[]> seen = new CompletableFuture<>();
        ServerOptions options = ServerOptions.builder().provider(provider).requestCert(true).rejectUnauthorized(false)
                .ca(TestCerts.ROOT.certificatePem()).key(TestCerts.SERVER.privateKeyPem())
                .cert(TestCerts.SERVER.chainPem()).build();
        try (TlsServer server = EchoServers.listen(options, s -> {
            try {
                PeerCertificate full = s.peerCertificate(true).orElseThrow();
                String[] result = {s.peerCertificate().orElseThrow().toJson(), full.toJson(),
                        String.join(",", commonNames(full, 4)), String.valueOf(s.authorized()), null};
                EchoServers.echo(s);
                s.close();
                result[4] = String.valueOf(s.peerCertificate().isPresent() || s.peerCertificate(true).isPresent());
                seen.complete(result);
            } catch (Throwable t) {
                seen.completeExceptionally(t);
            }
        })) {
            NodeCertificates.View node = NodeCertificates.client(dir, server.address().getPort(), null,
                    client.privateKeyPem(), client.chainPem(), 0);
            String[] weft = seen.get(30, TimeUnit.SECONDS);
            // Node's getCertificate() is the same X509ToObject as getPeerCertificate(), for the local certificate.
            assertSameJson(node.local(), weft[0]);
            assertSameJson(PeerCertificate.detailed(List.of(client.certificate(), TestCerts.INTERMEDIATE.certificate(),
                    TestCerts.ROOT.certificate())).toJson(), weft[1]);
            assertEquals("client1,Weft Intermediate CA,Weft Test Root CA,Weft Test Root CA", weft[2]);
            assertEquals("true", weft[3]);
            assertEquals("false", weft[4], "no peer certificate once closed");
        }
    }

    /** The CN of {@code cert} and of its issuers, {@code depth} certificates in all (repeating a root). */
    static List<String> commonNames(PeerCertificate cert, int depth) {
        List<String> out = new ArrayList<>();
        Optional<PeerCertificate> c = Optional.of(cert);
        for (int i = 0; i < depth && c.isPresent(); i++) {
            out.add(c.get().subject().get("CN").getFirst());
            c = c.get().issuerCertificate();
        }
        return out;
    }
}
