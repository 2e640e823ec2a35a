package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Client session resumption with isSessionReused() on both ends (scenarios 30 and 31), per provider and version.
 * What each provider does is asserted exactly, so that a provider that starts (or stops) resuming shows here.
 */
class SessionResumptionIT {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            // provider, version, the client resumes, the server can tell (measured; README "Sessions")
            "SUN, TLSv1.3, true, true", "SUN, TLSv1.2, true, true",
            "BC, TLSv1.3, false, false", "BC, TLSv1.2, true, true",
            "CONSCRYPT, TLSv1.3, true, false", "CONSCRYPT, TLSv1.2, true, false"})
    void aSessionHandedToTheNextConnectResumes(JsseProvider p, String version, boolean resumes, boolean serverTells)
            throws Exception {
        List<Boolean> serverSaw = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p), s -> {
            serverSaw.add(s.isSessionReused());
            EchoServers.echo(s);
        })) {
            ClientOptions options = ClientOptions.builder().provider(p).maxVersion(version)
                    .ca(TestCerts.ROOT.certificatePem()).build();
            TlsSession session;
            try (TlsSocket first = Tls.connect(server.address().getPort(), "127.0.0.1", options)) {
                assertEquals("1", EchoServers.roundTrip(first, "1")); // TLS 1.3 tickets arrive after the handshake
                assertFalse(first.isSessionReused());
                session = first.session();
            }
            try (TlsSocket again = Tls.connect(server.address().getPort(), "127.0.0.1",
                    options.toBuilder().session(session).build())) {
                assertEquals("2", EchoServers.roundTrip(again, "2"));
                assertEquals(resumes, again.isSessionReused(), "client: resumed");
                assertTrue(again.authorized(), "a resumed session keeps its verdict");
            }
            try (TlsSocket fresh = Tls.connect(server.address().getPort(), "127.0.0.1", options)) {
                assertEquals("3", EchoServers.roundTrip(fresh, "3"));
                assertFalse(fresh.isSessionReused(), "no session given: a full handshake");
            }
            org.awaitility.Awaitility.await().until(() -> serverSaw.size() == 3);
            assertEquals(List.of(false, resumes && serverTells, false), serverSaw, "server's isSessionReused()");
        }
    }
}
