package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.EchoServers;
import dev.weft.testing.Tool;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OCSP stapling, Node's {@code 'OCSPRequest'}, {@code requestOCSP} and {@code 'OCSPResponse'}, against real peers:
 * responses made by {@code openssl ocsp} from a test CA (good, revoked) and by Bouncy Castle (expired); a weft
 * server's staple read by {@code openssl s_client -status}; weft's client of every provider reading
 * {@code openssl s_server -status_file}, TLS 1.3 and 1.2. Providers that cannot staple are refused with a code.
 */
class OcspStaplingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HeldCertificate CA = Certs.ca("OCSP Test CA").build();
    private static final HeldCertificate SERVER = Certs.server("localhost", "127.0.0.1").signedBy(CA).build();

    @TempDir
    static Path dir;
    private static byte[] good;
    private static byte[] revoked;
    private static byte[] expired;

    @BeforeAll
    static void responses() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), CA.certificatePem());
        Files.writeString(dir.resolve("ca.key"), CA.privateKeyPem());
        Files.writeString(dir.resolve("server.pem"), SERVER.certificatePem());
        Files.writeString(dir.resolve("chain.pem"), SERVER.certificatePem() + CA.certificatePem());
        Files.writeString(dir.resolve("server.key"), SERVER.privateKeyPem());
        Tool.check(dir, "openssl", "ocsp", "-issuer", "ca.pem", "-cert", "server.pem", "-no_nonce", "-reqout",
                "req.der");
        DateTimeFormatter asn1 = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        String serial = SERVER.certificate().getSerialNumber().toString(16).toUpperCase();
        serial = serial.length() % 2 == 0 ? serial : "0" + serial;
        String expiry = asn1.format(SERVER.certificate().getNotAfter().toInstant());
        String subject = "/CN=localhost";
        Files.writeString(dir.resolve("index-good.txt"), "V\t" + expiry + "\t\t" + serial + "\tunknown\t" + subject
                + "\n");
        Files.writeString(dir.resolve("index-revoked.txt"), "R\t" + expiry + "\t" + asn1.format(Instant.now()
                .minusSeconds(3600)) + ",keyCompromise\t" + serial + "\tunknown\t" + subject + "\n");
        for (String status : List.of("good", "revoked")) {
            Tool.check(dir, "openssl", "ocsp", "-index", "index-" + status + ".txt", "-CA", "ca.pem", "-rsigner",
                    "ca.pem", "-rkey", "ca.key", "-reqin", "req.der", "-ndays", "7", "-respout", status + ".der");
        }
        good = Files.readAllBytes(dir.resolve("good.der"));
        revoked = Files.readAllBytes(dir.resolve("revoked.der"));
        expired = bouncyCastleResponse(Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(3)));
        Files.write(dir.resolve("expired.der"), expired);
        assertInstanceOf(RevokedStatus.class, status(revoked), "openssl made a revoked response");
        assertEquals(CertificateStatus.GOOD, status(good));
    }

    /** A good response signed by the CA, valid from {@code thisUpdate} to {@code nextUpdate}. */
    private static byte[] bouncyCastleResponse(Instant thisUpdate, Instant nextUpdate) throws Exception {
        X509CertificateHolder issuer = new X509CertificateHolder(CA.certificate().getEncoded());
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), issuer, SERVER.certificate().getSerialNumber());
        BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(issuer.getSubject()));
        b.addResponse(id, CertificateStatus.GOOD, Date.from(thisUpdate), Date.from(nextUpdate));
        BasicOCSPResp basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(CA.keyPair().getPrivate()), new X509CertificateHolder[] {issuer}, Date.from(thisUpdate));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    /** What a response says of the server's certificate: {@code CertificateStatus.GOOD} (null) or revoked. */
    private static CertificateStatus status(byte[] der) throws Exception {
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(der).getResponseObject();
        return basic.getResponses()[0].getCertStatus();
    }

    private static ServerOptions.Builder server(JsseProvider provider) {
        return ServerOptions.builder().provider(provider).key(SERVER.privateKeyPem())
                .cert(SERVER.certificatePem() + CA.certificatePem());
    }

    static List<Arguments> versions() {
        return List.of(Arguments.of("-tls1_3"), Arguments.of("-tls1_2"));
    }

    @ParameterizedTest
    @MethodSource("versions")
    void conscryptStaplesTheResponderAnswerForOpensslStatus(String version) throws Exception {
        List<X509Certificate[]> asked = new CopyOnWriteArrayList<>();
        AtomicReference<byte[]> current = new AtomicReference<>(good);
        try (TlsServer server = EchoServers.listen(server(JsseProvider.CONSCRYPT).ocspResponder((cert, issuer) -> {
            asked.add(new X509Certificate[] {cert, issuer});
            return current.get();
        }).build(), EchoServers.ECHO)) {
            String port = Integer.toString(server.address().getPort());
            Tool client = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                    "-status", "-CAfile", "ca.pem", "-servername", "localhost", "-verify_return_error");
            assertEquals(0, client.exitCode(), client.stderr());
            assertTrue(client.stdout().contains("OCSP Response Status: successful"), client.stdout());
            assertTrue(client.stdout().contains("Cert Status: good"), client.stdout());
            assertEquals(1, asked.size());
            assertEquals(SERVER.certificate(), asked.getFirst()[0], "the certificate served");
            assertEquals(CA.certificate(), asked.getFirst()[1], "its issuer, from the served chain");

            current.set(revoked);
            client = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, version, "-status",
                    "-CAfile", "ca.pem", "-servername", "localhost");
            assertTrue(client.stdout().contains("Cert Status: revoked"), client.stdout());

            client = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                    "-CAfile", "ca.pem", "-servername", "localhost", "-verify_return_error");
            assertEquals(0, client.exitCode(), client.stderr());
            assertEquals(2, asked.size(), "a client that does not ask for a staple does not run the responder");

            current.set(null);
            client = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + port, version, "-status",
                    "-CAfile", "ca.pem", "-servername", "localhost", "-verify_return_error");
            assertEquals(0, client.exitCode(), client.stderr());
            assertTrue(client.stdout().contains("OCSP response: no response sent"), client.stdout());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void weftClientsReadWhatAWeftServerStaples(JsseProvider provider) throws Exception {
        try (TlsServer server = EchoServers.listen(server(JsseProvider.CONSCRYPT)
                .ocspResponder((cert, issuer) -> good).build(), EchoServers.ECHO)) {
            for (String version : List.of("TLSv1.3", "TLSv1.2")) {
                ClientOptions.Builder client = ClientOptions.builder().provider(provider).ca(CA.certificatePem())
                        .maxVersion(version);
                try (TlsSocket s = Tls.connect(server.address().getPort(), "127.0.0.1",
                        client.requestOCSP(true).build())) {
                    assertEquals("x", EchoServers.roundTrip(s, "x"));
                    if (provider == JsseProvider.BC && version.equals("TLSv1.3")) {
                        assertTrue(s.ocspResponse().isEmpty(), "Bouncy Castle gained TLS 1.3 staples: update the docs");
                        continue;
                    }
                    assertArrayEquals(good, s.ocspResponse().orElseThrow(), version + ": the responder's bytes");
                }
                try (TlsSocket s = Tls.connect(server.address().getPort(), "127.0.0.1",
                        client.requestOCSP(false).build())) {
                    assertTrue(s.ocspResponse().isEmpty(), "not kept unless asked for");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = JsseProvider.class, names = {"SUN", "BC"})
    void providersThatCannotStapleAreRefusedWithACode(JsseProvider provider) {
        TlsException e = assertThrows(TlsException.class, () -> Tls.createServer(server(provider)
                .ocspResponder((cert, issuer) -> good).build(), EchoServers.ECHO));
        assertEquals("ERR_WEFT_OCSP_UNSUPPORTED", e.code(), e::getMessage);
        assertTrue(e.getMessage().contains(provider.cliName()), e::getMessage);
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void aResponderThatThrowsRefusesTheClient(JsseProvider clientProvider) throws Exception {
        List<TlsException> errors = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.listen(server(JsseProvider.CONSCRYPT).ocspResponder((cert, issuer) -> {
            throw new IllegalStateException("responder unreachable");
        }).build(), EchoServers.ECHO)) {
            server.onClientError((e, remote) -> errors.add(e));
            assertThrows(TlsException.class, () -> Tls.connect(server.address().getPort(), "127.0.0.1",
                    ClientOptions.builder().provider(clientProvider).ca(CA.certificatePem()).requestOCSP(true)
                            .build()).close());
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !errors.isEmpty());
            assertEquals("ERR_WEFT_OCSP_RESPONDER", errors.getFirst().code());
            assertTrue(errors.getFirst().getMessage().contains("responder unreachable"));
        }
    }

    @org.junit.jupiter.api.Test
    void weftServeStaplesAFileAndFollowsItsChanges() throws Exception {
        Path staple = dir.resolve("staple.der");
        Files.write(staple, good);
        try (Tool serve = Tool.start(dir, Tool.weftCli("serve", "--port", "0", "--provider", "conscrypt", "--mode",
                "echo", "--key", "server.key", "--cert", "chain.pem", "--ocsp-response", "staple.der")
                .toArray(String[]::new))) {
            serve.awaitStdout("server bound", WAIT);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bound 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(serve.stdout());
            assertTrue(m.find(), serve.stdout());
            Tool client = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + m.group(1),
                    "-status", "-CAfile", "ca.pem", "-servername", "localhost", "-verify_return_error");
            assertTrue(client.stdout().contains("Cert Status: good"), client.stdout() + client.stderr());
            Files.write(staple, revoked);
            Files.setLastModifiedTime(staple, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
            client = Tool.run(WAIT, dir, "openssl", "s_client", "-connect", "127.0.0.1:" + m.group(1), "-status",
                    "-CAfile", "ca.pem", "-servername", "localhost");
            assertTrue(client.stdout().contains("Cert Status: revoked"), "the refreshed file: " + client.stdout());
        }
        Tool refused = Tool.run(WAIT, dir, Tool.weftCli("serve", "--port", "0", "--provider", "sun", "--key",
                "server.key", "--cert", "chain.pem", "--ocsp-response", "staple.der").toArray(String[]::new));
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().contains("ERR_WEFT_OCSP_UNSUPPORTED"), refused.stderr());
    }

    static List<Arguments> clientCases() {
        List<Arguments> cases = new java.util.ArrayList<>();
        for (JsseProvider p : JsseProvider.values()) {
            for (String version : List.of("-tls1_3", "-tls1_2")) {
                for (String response : List.of("good", "revoked", "expired")) {
                    cases.add(Arguments.of(p, version, response));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("clientCases")
    void clientsKeepTheResponseOpensslServerStaples(JsseProvider provider, String version, String response)
            throws Exception {
        int port = Tool.freePort();
        try (Tool server = Tool.start(dir, "openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                "server.pem", "-key", "server.key", "-cert_chain", "ca.pem", version, "-status_file",
                response + ".der", "-naccept", "1")) {
            server.awaitStdout("ACCEPT", WAIT);
            byte[] expected = Files.readAllBytes(dir.resolve(response + ".der"));
            try (TlsSocket s = Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(provider)
                    .ca(CA.certificatePem()).requestOCSP(true).build())) {
                if (provider == JsseProvider.BC && version.equals("-tls1_3")) {
                    // documented: Bouncy Castle JSSE 1.84 hands no TLS 1.3 staple to the trust manager or session
                    assertTrue(s.ocspResponse().isEmpty(), "Bouncy Castle gained TLS 1.3 staples: update the docs");
                    return;
                }
                byte[] got = s.ocspResponse().orElseThrow();
                assertArrayEquals(expected, got, "the stapled bytes, as the server sent them");
                // what an application does with them: decode and refuse a revoked certificate
                CertificateStatus status = status(got);
                if (response.equals("revoked")) {
                    assertInstanceOf(RevokedStatus.class, status);
                } else {
                    assertNull(status, "good");
                }
            }
        }
    }
}
