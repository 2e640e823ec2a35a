package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every key type dev.weft.cert makes, served on every provider that can use it; the others refuse clearly. */
class KeyTypesIT {
    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"RSA_2048", "RSA_3072", "EC_P256", "EC_P384"})
    void rsaAndEcServeOnEveryProvider(KeyType type) throws Exception {
        HeldCertificate leaf = Certs.server("localhost", "127.0.0.1").keyType(type).signedBy(TestCerts.ROOT).build();
        for (JsseProvider p : JsseProvider.values()) {
            try (TlsServer s = EchoServers.listen(ServerOptions.builder().provider(p).key(leaf.privateKeyPem())
                    .cert(leaf.chainPem()).build(), EchoServers.ECHO);
                    TlsSocket c = Tls.connect(s.address().getPort(), "127.0.0.1", ClientOptions.builder().provider(p)
                            .ca(TestCerts.ROOT.certificatePem()).build())) {
                assertTrue(c.authorized(), () -> p + ": " + c.authorizationError());
                assertEquals("TLSv1.3", c.protocol());
                assertEquals("ok", EchoServers.roundTrip(c, "ok"), p + " " + type);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void ed25519ServesOnSunAndIsRefusedAtConstructionElsewhere(JsseProvider p) throws Exception {
        HeldCertificate leaf = Certs.server("localhost", "127.0.0.1").keyType(KeyType.ED25519)
                .signedBy(TestCerts.ROOT).build();
        ServerOptions options = ServerOptions.builder().provider(p).key(leaf.privateKeyPem()).cert(leaf.chainPem())
                .build();
        if (p != JsseProvider.SUN) {
            TlsException e = assertThrows(TlsException.class, () -> Tls.createServer(options, EchoServers.ECHO));
            assertEquals("ERR_WEFT_KEY_TYPE_UNSUPPORTED", e.code());
            assertTrue(e.getMessage().contains("Ed25519") || e.getMessage().contains("EdDSA"), e.getMessage());
            TlsException client = assertThrows(TlsException.class, () -> Tls.connect(1, "127.0.0.1",
                    ClientOptions.builder().provider(p).key(leaf.privateKeyPem()).cert(leaf.certificatePem())
                            .build()));
            assertEquals("ERR_WEFT_KEY_TYPE_UNSUPPORTED", client.code(), "refused before connecting");
            return;
        }
        try (TlsServer s = EchoServers.listen(options, EchoServers.ECHO)) {
            for (JsseProvider client : new JsseProvider[] {JsseProvider.SUN, JsseProvider.BC}) {
                try (TlsSocket c = Tls.connect(s.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(client).ca(TestCerts.ROOT.certificatePem()).build())) {
                    assertTrue(c.authorized(), c::authorizationError);
                    assertEquals("ok", EchoServers.roundTrip(c, "ok"));
                }
            }
            // Conscrypt 2.5.2 cannot verify an Ed25519 server: the handshake fails with a code, never hangs
            TlsException e = assertThrows(TlsException.class, () -> Tls.connect(s.address().getPort(), "127.0.0.1",
                    ClientOptions.builder().provider(JsseProvider.CONSCRYPT).ca(TestCerts.ROOT.certificatePem())
                            .build()));
            assertTrue(!e.code().isEmpty());
        }
    }
}
