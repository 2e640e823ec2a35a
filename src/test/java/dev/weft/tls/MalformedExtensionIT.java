package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.EchoServers;
import dev.weft.testing.Node24;
import dev.weft.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A malformed extension that verification does not read (here the authority information access, a SEQUENCE holding
 * an INTEGER instead of access descriptions) never breaks a connection that verification allows: the chain is
 * authorized, the peer certificate is built without the field, as Node 24 leaves it out. Checked against a live
 * Node 24 connecting to the same weft server.
 */
class MalformedExtensionIT {
    static final HeldCertificate ROOT = Certs.ca("Malformed Extension Root").build();
    static final HeldCertificate LEAF = Certs.server("localhost", "127.0.0.1").signedBy(ROOT)
            .extension("1.3.6.1.5.5.7.1.1", false, new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}).build();

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void malformedInfoAccessLeavesTheConnectionAuthorized(JsseProvider p, @TempDir Path dir) throws Exception {
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(p).key(LEAF.privateKeyPem())
                .cert(LEAF.certificatePem()).build(), EchoServers.ECHO)) {
            int port = server.address().getPort();
            try (TlsSocket s = Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(p)
                    .ca(ROOT.certificatePem()).build())) {
                assertTrue(s.authorized(), "authorized despite the malformed extension");
                PeerCertificate cert = s.peerCertificate(true).orElseThrow();
                assertTrue(cert.infoAccess().isEmpty(), "the unreadable extension is left out");
                assertFalse(cert.toJson().contains("infoAccess"), cert.toJson());
                assertEquals("ping", EchoServers.roundTrip(s, "ping"));
            }
            Path ca = Files.writeString(dir.resolve("ca.pem"), ROOT.certificatePem());
            Path script = Files.writeString(dir.resolve("peer.js"), """
                    const tls = require('tls'), fs = require('fs');
                    const s = tls.connect({port: +process.argv[2], host: '127.0.0.1', ca: fs.readFileSync(process.argv[3])},
                      () => { const c = s.getPeerCertificate(true);
                              console.log('authorized=' + s.authorized + ' infoAccess=' + typeof c.infoAccess);
                              s.end(); });
                    s.on('error', e => { console.log('error ' + e.code); process.exit(1); });
                    """);
            Tool node = Tool.run(Duration.ofSeconds(30), dir, Node24.binary().toString(), script.toString(),
                    String.valueOf(port), ca.toString());
            assertEquals("authorized=true infoAccess=undefined", node.stdout().strip(), node.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void verifyReportsTheSameAsTheHandshake(JsseProvider p) throws Exception {
        VerifyResult r = Tls.verify(java.util.List.of(LEAF.certificate()),
                VerifyOptions.builder().ca(ROOT.certificatePem()).host("localhost").build());
        assertTrue(r.authorized(), r.toString());
        assertNull(r.authorizationError());
        assertEquals(2, r.chain().size(), "the chain as built reaches the trusted root");
    }
}
