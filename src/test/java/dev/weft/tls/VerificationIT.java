package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.Crls;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.Pem;
import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Verification as Node reports it (node-behaviour.md §2.2, §2.3; scenarios 1, 3–8, 13–15, 45, 48), with the
 * same provider on both ends, once per provider.
 */
class VerificationIT {
    static final HeldCertificate ROOT = TestCerts.ROOT;
    static final HeldCertificate OTHER_ROOT = Certs.ca("Weft Other Root CA").build();
    static final HeldCertificate INTER = TestCerts.INTERMEDIATE;
    static final HeldCertificate AGENT1 = TestCerts.SERVER;
    static final HeldCertificate AGENT2 = TestCerts.CHAINED_SERVER;
    static final HeldCertificate SELF = Certs.selfSigned("localhost").san("127.0.0.1").build();
    static final HeldCertificate SELF_EXPIRED = Certs.selfSigned("localhost").san("127.0.0.1").expired().build();
    static final HeldCertificate EXPIRED = Certs.server("localhost", "127.0.0.1").expired().signedBy(ROOT).build();
    static final HeldCertificate NOT_YET = Certs.server("localhost", "127.0.0.1").notYetValid().signedBy(ROOT).build();
    static final HeldCertificate CLIENT1 = TestCerts.CLIENT;
    static final HeldCertificate CLIENT2 = Certs.client("client2").signedBy(OTHER_ROOT).build();
    static final HeldCertificate REVOKED = Certs.client("revoked").signedBy(ROOT).build();
    static final String ROOT_CRL = Pem.crl(Crls.create(ROOT, List.of(REVOKED.serial())));

    /** What a client saw: the connected socket, or the failure. */
    record Outcome(TlsSocket socket, TlsException error) {
        String code() {
            return error != null ? "error " + error.code()
                    : socket.authorized() ? "authorized" : socket.authorizationError();
        }
    }

    /** Serves {@code certPem}/{@code key} and connects a client configured by {@code client}; echoes "ping". */
    static Outcome connect(JsseProvider provider, String certPem, String keyPem, ClientOptions.Builder client)
            throws Exception {
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(provider).key(keyPem)
                .cert(certPem).build(), EchoServers.ECHO)) {
            TlsSocket s;
            try {
                s = Tls.connect(server.address().getPort(), "127.0.0.1", client.provider(provider).build());
            } catch (TlsException e) {
                return new Outcome(null, e);
            }
            try (s) {
                assertEquals("ping", EchoServers.roundTrip(s, "ping"), "data flows whatever the verdict");
                return new Outcome(s, null);
            }
        }
    }

    static ClientOptions.Builder lenient() {
        return ClientOptions.builder().rejectUnauthorized(false);
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void selfSignedServer(JsseProvider p) throws Exception {
        // scenario 3: the default client refuses with Node's code and words
        Outcome refused = connect(p, SELF.certificatePem(), SELF.privateKeyPem(), ClientOptions.builder());
        assertEquals("DEPTH_ZERO_SELF_SIGNED_CERT", refused.error().code());
        // Node 24 adds a hint to trust the system roots (--use-system-ca); weft names its own equivalent
        assertEquals("self-signed certificate" + dev.weft.tls.internal.trust.Verifier.SYSTEM_ROOTS_HINT,
                refused.error().getMessage());
        // scenario 4: lenient client connects, unauthorized
        assertEquals("DEPTH_ZERO_SELF_SIGNED_CERT",
                connect(p, SELF.certificatePem(), SELF.privateKeyPem(), lenient()).code());
        // scenario 5: trusted through ca
        assertEquals("authorized", connect(p, SELF.certificatePem(), SELF.privateKeyPem(),
                ClientOptions.builder().ca(SELF.certificatePem())).code());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void chainErrors(JsseProvider p) throws Exception {
        String agent2Chain = Pem.certificates(AGENT2.certificate(), INTER.certificate());
        String agent2ChainAndRoot = Pem.certificates(AGENT2.certificate(), INTER.certificate(), ROOT.certificate());
        String key2 = AGENT2.privateKeyPem();
        String other = OTHER_ROOT.certificatePem();
        // (a) .. (h) of scenario 6
        assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", connect(p, AGENT1.certificatePem(), AGENT1.privateKeyPem(),
                lenient().ca(other)).code());
        assertEquals("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", connect(p, agent2Chain, key2, lenient().ca(other)).code());
        assertEquals("SELF_SIGNED_CERT_IN_CHAIN", connect(p, agent2ChainAndRoot, key2, lenient().ca(other)).code());
        assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", connect(p, AGENT2.certificatePem(), key2,
                lenient().ca(ROOT.certificatePem())).code());
        assertEquals("authorized", connect(p, AGENT2.certificatePem(), key2,
                lenient().ca(ROOT.certificatePem()).ca(INTER.certificatePem())).code());
        assertEquals("UNABLE_TO_GET_ISSUER_CERT", connect(p, agent2Chain, key2,
                lenient().ca(INTER.certificatePem())).code());
        assertEquals("authorized", connect(p, agent2Chain, key2,
                lenient().ca(INTER.certificatePem()).allowPartialTrustChain(true)).code());
        assertEquals("authorized", connect(p, AGENT2.certificatePem(), key2,
                lenient().ca(Pem.certificates(ROOT.certificate(), INTER.certificate()))).code());
        // the default client refuses with the message Node uses
        TlsException e = connect(p, agent2ChainAndRoot, key2, ClientOptions.builder().ca(other)).error();
        assertEquals("SELF_SIGNED_CERT_IN_CHAIN", e.code());
        assertEquals("self-signed certificate in certificate chain", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void validityAndPrecedence(JsseProvider p) throws Exception {
        // scenario 7
        TlsException expired = connect(p, EXPIRED.certificatePem(), EXPIRED.privateKeyPem(),
                ClientOptions.builder().ca(ROOT.certificatePem())).error();
        assertEquals("CERT_HAS_EXPIRED", expired.code());
        assertEquals("certificate has expired", expired.getMessage());
        TlsException notYet = connect(p, NOT_YET.certificatePem(), NOT_YET.privateKeyPem(),
                ClientOptions.builder().ca(ROOT.certificatePem())).error();
        assertEquals("CERT_NOT_YET_VALID", notYet.code());
        assertEquals("certificate is not yet valid", notYet.getMessage());
        // scenario 8: the last error in OpenSSL's order wins
        assertEquals("CERT_HAS_EXPIRED", connect(p, SELF_EXPIRED.certificatePem(), SELF_EXPIRED.privateKeyPem(),
                lenient()).code());
        assertEquals("CERT_HAS_EXPIRED", connect(p, EXPIRED.certificatePem(), EXPIRED.privateKeyPem(),
                lenient().ca(OTHER_ROOT.certificatePem())).code());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void clientCertificateAsServerCertificateIsInvalidPurpose(JsseProvider p) throws Exception {
        // scenario 48: CLIENT1 has only clientAuth; its CN is not a host name either, so name the host it has
        HeldCertificate clientOnly = Certs.client("localhost").san("127.0.0.1").signedBy(ROOT).build();
        assertEquals("INVALID_PURPOSE", connect(p, clientOnly.certificatePem(), clientOnly.privateKeyPem(),
                lenient().ca(ROOT.certificatePem())).code());
        TlsException e = connect(p, clientOnly.certificatePem(), clientOnly.privateKeyPem(),
                ClientOptions.builder().ca(ROOT.certificatePem())).error();
        assertEquals("INVALID_PURPOSE", e.code());
        assertEquals("unsuitable certificate purpose", e.getMessage());
    }

    /** The server's view of one client: its socket's verdict, or the client error it reported. */
    record ServerView(Boolean authorized, String authorizationError, String peerCn, TlsException clientError) {
    }

    static ServerView serverSees(JsseProvider p, ServerOptions.Builder server, HeldCertificate clientCert)
            throws Exception {
        CompletableFuture<ServerView> seen = new CompletableFuture<>();
        List<TlsException> clientErrors = new CopyOnWriteArrayList<>();
        ServerOptions options = server.provider(p).key(AGENT1.privateKeyPem()).cert(AGENT1.certificatePem()).build();
        try (TlsServer s = EchoServers.listen(options, socket -> {
            List<java.security.cert.X509Certificate> chain = socket.peerCertificateChain();
            seen.complete(new ServerView(socket.authorized(), socket.authorizationError(),
                    chain.isEmpty() ? null : chain.getFirst().getSubjectX500Principal().getName(), null));
            EchoServers.echo(socket);
        })) {
            s.onClientError((e, remote) -> clientErrors.add(e));
            ClientOptions.Builder client = ClientOptions.builder().provider(p).ca(ROOT.certificatePem());
            if (clientCert != null) {
                client.key(clientCert.privateKeyPem()).cert(clientCert.certificatePem());
            }
            try (TlsSocket c = Tls.connect(s.address().getPort(), "127.0.0.1", client.build())) {
                c.write("ping");
                byte[] got = readOrNothing(c);
                if (got.length > 0) {
                    assertEquals("ping", new String(got, java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                // a strict server may fail the client's handshake, or close before the client's first write
                // lands (a broken pipe): either way the client gets no data, which is what is asserted here
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.isDone() || !clientErrors.isEmpty());
            if (seen.isDone()) {
                return seen.get();
            }
            return new ServerView(null, null, null, clientErrors.getFirst());
        }
    }

    private static byte[] readOrNothing(TlsSocket c) {
        try {
            return c.getInputStream().readNBytes(4);
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void lenientServerReportsEachClient(JsseProvider p) throws Exception {
        // scenario 13
        ServerOptions.Builder lenient = ServerOptions.builder().requestCert(true).rejectUnauthorized(false)
                .ca(ROOT.certificatePem());
        ServerView none = serverSees(p, lenient, null);
        assertEquals(false, none.authorized());
        assertEquals("UNABLE_TO_GET_ISSUER_CERT", none.authorizationError());
        assertNull(none.peerCn());
        assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", serverSees(p, lenient, CLIENT2).authorizationError());
        HeldCertificate selfClient = Certs.selfSigned("selfclient").clientAuth().build();
        assertEquals("DEPTH_ZERO_SELF_SIGNED_CERT", serverSees(p, lenient, selfClient).authorizationError());
        ServerView good = serverSees(p, lenient, CLIENT1);
        assertEquals(true, good.authorized());
        assertNull(good.authorizationError());
        assertEquals("CN=client1", good.peerCn());
        // scenario 1's server side: no requestCert, never authorized, no error
        ServerView plain = serverSees(p, ServerOptions.builder(), CLIENT1);
        assertEquals(false, plain.authorized());
        assertNull(plain.authorizationError());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void strictServerRefusesBeforeTheHandler(JsseProvider p) throws Exception {
        // scenario 14
        ServerOptions.Builder strict = ServerOptions.builder().requestCert(true).ca(ROOT.certificatePem());
        ServerView none = serverSees(p, strict, null);
        assertNull(none.authorized(), "the handler must not run");
        assertEquals("ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE", none.clientError().code());
        ServerView untrusted = serverSees(p, strict, CLIENT2);
        assertNull(untrusted.authorized(), "the handler must not run");
        assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", untrusted.clientError().code());
        ServerView good = serverSees(p, strict, CLIENT1);
        assertEquals(true, good.authorized());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void crlRevokesOnBothSides(JsseProvider p) throws Exception {
        // scenario 15
        ServerOptions.Builder withCrl = ServerOptions.builder().requestCert(true).rejectUnauthorized(false)
                .ca(ROOT.certificatePem()).crl(ROOT_CRL);
        assertEquals("CERT_REVOKED", serverSees(p, withCrl, REVOKED).authorizationError());
        assertEquals(true, serverSees(p, withCrl, CLIENT1).authorized());
        // and a client checking the server against a CRL
        HeldCertificate revokedServer = Certs.server("localhost", "127.0.0.1").signedBy(ROOT).build();
        String crl = Pem.crl(Crls.create(ROOT, List.of(revokedServer.serial())));
        assertEquals("CERT_REVOKED", connect(p, revokedServer.certificatePem(), revokedServer.privateKeyPem(),
                lenient().ca(ROOT.certificatePem()).crl(crl)).code());
        assertEquals("authorized", connect(p, AGENT1.certificatePem(), AGENT1.privateKeyPem(),
                lenient().ca(ROOT.certificatePem()).crl(crl)).code());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void pfxServesAndBadCredentialsFailAtConstruction(JsseProvider p) throws Exception {
        // scenario 45
        byte[] pfx = AGENT1.pkcs12("sesame".toCharArray());
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(p).pfx(pfx).passphrase("sesame")
                .build(), EchoServers.ECHO);
                TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1",
                        ClientOptions.builder().provider(p).ca(ROOT.certificatePem()).build())) {
            assertTrue(c.authorized());
            assertEquals("ok", EchoServers.roundTrip(c, "ok"));
        }
        assertEquals("ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE", assertThrows(TlsException.class,
                () -> Tls.createServer(ServerOptions.builder().provider(p).pfx(pfx).passphrase("wrong").build(),
                        EchoServers.ECHO)).code());
        String encrypted = AGENT1.privateKeyPem("sesame".toCharArray());
        TlsException noPass = assertThrows(TlsException.class, () -> Tls.createServer(ServerOptions.builder()
                .provider(p).key(encrypted).cert(AGENT1.certificatePem()).build(), EchoServers.ECHO));
        assertFalse(noPass.code().isEmpty());
        assertEquals("ERR_OSSL_X509_KEY_VALUES_MISMATCH", assertThrows(TlsException.class,
                () -> Tls.createServer(ServerOptions.builder().provider(p).key(SELF.privateKeyPem())
                        .cert(AGENT1.certificatePem()).build(), EchoServers.ECHO)).code());
        assertEquals("ERR_OSSL_PEM_NO_START_LINE", assertThrows(TlsException.class,
                () -> Tls.createServer(ServerOptions.builder().provider(p).key("garbage")
                        .cert(AGENT1.certificatePem()).build(), EchoServers.ECHO)).code());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void trustedRootsAddCaToTheJdksOrTheSystemsRoots(JsseProvider p) throws Exception {
        int jdk = Tls.createSecureContext(ContextOptions.builder().build()).trustedCertificates().size();
        for (TrustedRoots roots : TrustedRoots.values()) {
            SecureContext ctx = Tls.createSecureContext(ContextOptions.builder().trustedRoots(roots)
                    .ca(ROOT.certificatePem()).build());
            int expected = switch (roots) {
                case REPLACED_BY_CA -> 1;
                case JDK_PLUS_CA -> jdk + 1;
                case SYSTEM_PLUS_CA -> systemBundleSize() + 1;
            };
            assertEquals(expected, ctx.trustedCertificates().size(), roots.name());
            assertTrue(ctx.trustedCertificates().contains(ROOT.certificate()), roots.name());
            assertEquals("authorized", connect(p, AGENT1.certificatePem(), AGENT1.privateKeyPem(),
                    ClientOptions.builder().secureContext(ctx)).code(), roots.name());
        }
    }

    private static int systemBundleSize() throws Exception {
        String pem = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/ssl/certs/ca-certificates.crt"));
        return pem.split("-----BEGIN CERTIFICATE-----", -1).length - 1;
    }
}
