package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client's identity check as Node does it (scenarios 8, 9, 10 and 12 of node-behaviour.md §3.2), per provider. */
class IdentityIT {
    static final HeldCertificate AGENT1 = Certs.server("localhost").dns("*.example.com").ip("127.0.0.1", "::1")
            .signedBy(TestCerts.ROOT).build();
    static final HeldCertificate NO_SAN = Certs.leaf("cnonly.example.com").serverAuth().signedBy(TestCerts.ROOT)
            .build();

    static TlsSocket connect(JsseProvider p, HeldCertificate cert, ClientOptions.Builder client) throws Exception {
        TlsServer server = EchoServers.listen(ServerOptions.builder().provider(p).key(cert.privateKeyPem())
                .cert(cert.chainPem()).build(), EchoServers.ECHO);
        try {
            return Tls.connect(server.address().getPort(), "127.0.0.1", client.provider(p).build());
        } finally {
            server.close(); // stops accepting; the open connection runs on
        }
    }

    static ClientOptions.Builder trusting() {
        return ClientOptions.builder().ca(TestCerts.ROOT.certificatePem());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void hostnameMismatchIsRefusedWithNodesReason(JsseProvider p) throws Exception {
        ServerIdentityException e = assertThrows(ServerIdentityException.class,
                () -> connect(p, AGENT1, trusting().servername("evil.test")));
        assertEquals("ERR_TLS_CERT_ALTNAME_INVALID", e.code());
        assertEquals("evil.test", e.host());
        assertTrue(e.reason().startsWith("Host: evil.test. is not in the cert's altnames: DNS:localhost"), e.reason());
        assertEquals("Hostname/IP does not match certificate's altnames: " + e.reason(), e.getMessage());
        assertEquals(List.of("localhost"), e.certificate().subject().get("CN"));
        try (TlsSocket lenient = connect(p, AGENT1, trusting().servername("evil.test").rejectUnauthorized(false))) {
            assertEquals("ERR_TLS_CERT_ALTNAME_INVALID", lenient.authorizationError());
            assertEquals("x", EchoServers.roundTrip(lenient, "x"));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void wildcardsIpsAndCommonNames(JsseProvider p) throws Exception {
        try (TlsSocket s = connect(p, AGENT1, trusting().servername("a.example.com"))) {
            assertTrue(s.authorized());
        }
        for (String name : List.of("a.b.example.com", "example.com")) {
            assertEquals("ERR_TLS_CERT_ALTNAME_INVALID", assertThrows(TlsException.class,
                    () -> connect(p, AGENT1, trusting().servername(name))).code(), name);
        }
        try (TlsSocket s = connect(p, AGENT1, trusting())) { // no servername: 127.0.0.1 against the IP SAN
            assertTrue(s.authorized(), s::authorizationError);
        }
        try (TlsSocket s = connect(p, NO_SAN, trusting().servername("cnonly.example.com"))) {
            assertTrue(s.authorized(), s::authorizationError);
        }
        ServerIdentityException cn = assertThrows(ServerIdentityException.class,
                () -> connect(p, NO_SAN, trusting().servername("x.example.com")));
        assertEquals("Host: x.example.com. is not cert's CN: cnonly.example.com", cn.reason());
        // the identity check is skipped when the chain does not verify: the chain's code wins (scenario 8)
        try (TlsSocket s = connect(p, AGENT1, ClientOptions.builder().rejectUnauthorized(false)
                .ca(Certs.ca("other").build().certificatePem()).servername("evil.test"))) {
            assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", s.authorizationError());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void customCheckReplacesNodesRules(JsseProvider p) throws Exception {
        List<String> hosts = new CopyOnWriteArrayList<>();
        List<PeerCertificate> certs = new CopyOnWriteArrayList<>();
        TlsException nope = new TlsException("ERR_NOPE", "nope");
        TlsException thrown = assertThrows(TlsException.class, () -> connect(p, AGENT1, trusting()
                .servername("localhost").checkServerIdentity((h, c) -> {
                    hosts.add(h);
                    certs.add(c);
                    throw nope;
                })));
        assertSame(nope, thrown, "the check's own exception, as Node emits the check's Error");
        assertEquals(List.of("localhost"), hosts);
        assertEquals(List.of("Weft Test Root CA"), certs.getFirst().issuerCertificate().orElseThrow().subject().get("CN"));
        try (TlsSocket s = connect(p, AGENT1, trusting().servername("evil.test").checkServerIdentity((h, c) -> { }))) {
            assertTrue(s.authorized(), "a check that accepts everything accepts a mismatching name");
        }
        List<String> calls = new CopyOnWriteArrayList<>();
        try (TlsSocket s = connect(p, AGENT1, ClientOptions.builder().rejectUnauthorized(false)
                .checkServerIdentity((h, c) -> calls.add(h)))) {
            assertEquals("UNABLE_TO_VERIFY_LEAF_SIGNATURE", s.authorizationError());
            assertTrue(calls.isEmpty(), "not called on an unverified chain");
        }
        try (TlsSocket s = connect(p, AGENT1, trusting().rejectUnauthorized(false)
                .checkServerIdentity((h, c) -> { throw nope; }))) {
            assertEquals("ERR_NOPE", s.authorizationError());
        }
    }
}
