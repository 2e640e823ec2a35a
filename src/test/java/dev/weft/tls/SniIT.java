package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SNI on the server: addContext, SNICallback and servername() (scenarios 16–20 of node-behaviour.md), per provider. */
class SniIT {
    static final HeldCertificate SNI_A = Certs.server("a.example.com").signedBy(TestCerts.ROOT).build();
    static final HeldCertificate SNI_WILD = Certs.server("wild.example.com").dns("*.example.com")
            .signedBy(TestCerts.ROOT).build();
    static final HeldCertificate SNI_B = Certs.server("b.example.org").signedBy(TestCerts.ROOT).build();

    static SecureContext context(HeldCertificate c) throws TlsException {
        return Tls.createSecureContext(ContextOptions.builder().key(c.privateKeyPem()).cert(c.chainPem()).build());
    }

    /** The CN of the certificate the server presents for {@code servername} ("" for no SNI). */
    static String cnFor(TlsServer server, JsseProvider p, String servername) throws Exception {
        try (TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder().provider(p)
                .ca(TestCerts.ROOT.certificatePem()).servername(servername).checkServerIdentity((h, cert) -> { })
                .build())) {
            return c.peerCertificate().orElseThrow().subject().get("CN").getFirst();
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void addContextPicksTheLastMatchingPattern(JsseProvider p) throws Exception {
        // scenario 17 and 18
        try (TlsServer server = EchoServers.start(p)) {
            server.addContext("*.example.com", context(SNI_WILD)).addContext("a.example.com", context(SNI_A))
                    .addContext("b.example.org", context(SNI_B));
            assertEquals("a.example.com", cnFor(server, p, "a.example.com"));
            assertEquals("a.example.com", cnFor(server, p, "A.EXAMPLE.COM"), "DNS names match without case");
            assertEquals("wild.example.com", cnFor(server, p, "x.example.com"));
            assertEquals("localhost", cnFor(server, p, "a.b.example.com"));
            assertEquals("localhost", cnFor(server, p, "example.com"));
            assertEquals("b.example.org", cnFor(server, p, "b.example.org"));
            assertEquals("localhost", cnFor(server, p, ""));
            server.addContext("*.example.com", context(SNI_WILD));
            assertEquals("wild.example.com", cnFor(server, p, "a.example.com"), "the most recently added wins");
            assertEquals("ERR_WEFT_INVALID_OPTIONS", assertThrows(TlsException.class,
                    () -> server.addContext("", context(SNI_A))).code());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void servernameOnBothEnds(JsseProvider p) throws Exception {
        // scenario 16 (weft sends the host when it is a DNS name: README, "Differences from Node")
        List<Optional<String>> seen = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p), s -> {
            seen.add(s.servername());
            EchoServers.echo(s);
        })) {
            server.addContext("a.example.com", context(SNI_A));
            for (String name : new String[] {"a.example.com", ""}) {
                try (TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(p).ca(TestCerts.ROOT.certificatePem()).servername(name).build())) {
                    assertEquals(name.isEmpty() ? Optional.empty() : Optional.of(name), c.servername());
                    assertEquals("x", EchoServers.roundTrip(c, "x"));
                }
            }
            await().until(() -> seen.size() == 2);
            assertEquals(List.of(Optional.of("a.example.com"), Optional.empty()), seen);
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void theChosenContextVerifiesClientsWithItsOwnCa(JsseProvider p) throws Exception {
        // scenario 19: the default context trusts another CA; the SNI context trusts the client's
        HeldCertificate otherRoot = Certs.ca("other").build();
        List<String> verdicts = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p).requestCert(true)
                .rejectUnauthorized(false).ca(otherRoot.certificatePem()), s -> {
                    verdicts.add(s.authorized() ? "authorized" : s.authorizationError());
                    EchoServers.echo(s);
                })) {
            server.addContext("context1.test", Tls.createSecureContext(ContextOptions.builder()
                    .key(SNI_A.privateKeyPem()).cert(SNI_A.chainPem()).ca(TestCerts.ROOT.certificatePem()).build()));
            for (String name : new String[] {"context1.test", "unknown.test"}) {
                try (TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(p).ca(TestCerts.ROOT.certificatePem()).servername(name)
                        .key(TestCerts.CLIENT.privateKeyPem()).cert(TestCerts.CLIENT.certificatePem())
                        .checkServerIdentity((h, cert) -> { }).build())) {
                    assertEquals("x", EchoServers.roundTrip(c, "x"));
                }
            }
            await().until(() -> verdicts.size() == 2);
            assertEquals("authorized", verdicts.get(0), verdicts.toString());
            assertTrue(!verdicts.get(1).equals("authorized"), verdicts.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void sniCallback(JsseProvider p) throws Exception {
        // scenario 20
        List<String> asked = new CopyOnWriteArrayList<>();
        List<TlsException> errors = new CopyOnWriteArrayList<>();
        SecureContext a = context(SNI_A);
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p).sniCallback(name -> {
            asked.add(name);
            return switch (name) {
                case "a.example.com" -> a;
                case "boom.example.com" -> throw new IllegalStateException("sni boom");
                default -> null;
            };
        }), EchoServers.ECHO)) {
            server.onClientError((e, r) -> errors.add(e));
            assertEquals("a.example.com", cnFor(server, p, "a.example.com"));
            assertEquals("localhost", cnFor(server, p, "other.example.com"));
            assertEquals("localhost", cnFor(server, p, ""));
            assertThrows(TlsException.class, () -> cnFor(server, p, "boom.example.com"));
            await().until(() -> !errors.isEmpty());
            assertEquals("ERR_WEFT_SNI_CALLBACK", errors.getFirst().code());
            assertEquals("sni boom", errors.getFirst().getMessage());
            assertEquals(List.of("a.example.com", "other.example.com", "boom.example.com"), asked,
                    "never called without SNI");
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void hostileNamesNeverReachTheCallbackAndTheServerGoesOn(JsseProvider p) throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                .handshakeTimeout(Duration.ofMillis(500)).sniCallback(name -> {
                    asked.add(name);
                    return null;
                }), EchoServers.ECHO)) {
            // 300-byte name, NUL, empty, raw UTF-8, and two host names in one list
            byte[] twoNames = {0, 0, 6, 'a', '.', 't', 'e', 's', 't', 0, 0, 6, 'b', '.', 't', 'e', 's', 't'};
            List<byte[]> lists = new java.util.ArrayList<>();
            for (byte[] name : List.of("a".repeat(300).getBytes(), new byte[] {'a', 0, 'b'}, new byte[0],
                    "ünï.example".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                byte[] entry = new byte[name.length + 3];
                entry[1] = (byte) (name.length >> 8);
                entry[2] = (byte) name.length;
                System.arraycopy(name, 0, entry, 3, name.length);
                lists.add(entry);
            }
            lists.add(twoNames);
            for (byte[] list : lists) {
                try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
                    OutputStream out = raw.getOutputStream();
                    out.write(clientHelloWithServerNameList(list));
                    out.flush();
                    raw.setSoTimeout(5000);
                    raw.getInputStream().readAllBytes(); // an alert or a close, never a hang
                } catch (java.io.IOException expected) {
                    // a reset is an answer too
                }
            }
            try (Socket silent = new Socket("127.0.0.1", server.address().getPort())) {
                silent.setSoTimeout(5000);
                assertEquals(-1, silent.getInputStream().read(), "a silent client is cut off at the deadline");
            } catch (java.net.SocketException reset) {
                // closed under it: also cut off
            }
            assertTrue(asked.isEmpty(), asked.toString());
            assertEquals("localhost", cnFor(server, p, ""));
        }
    }

    /** A minimal TLS 1.2 ClientHello record whose server_name extension holds {@code list} as is. */
    static byte[] clientHelloWithServerNameList(byte[] list) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 3});
        body.writeBytes(new byte[32]);
        body.write(0); // session id
        body.writeBytes(new byte[] {0, 2, (byte) 0xc0, 0x2b}); // one suite
        body.writeBytes(new byte[] {1, 0}); // null compression
        int sniLen = list.length + 2;
        body.writeBytes(new byte[] {(byte) ((sniLen + 4) >> 8), (byte) (sniLen + 4)}); // extensions length
        body.writeBytes(new byte[] {0, 0, (byte) (sniLen >> 8), (byte) sniLen});
        body.writeBytes(new byte[] {(byte) (list.length >> 8), (byte) list.length});
        body.writeBytes(list);
        byte[] b = body.toByteArray();
        java.io.ByteArrayOutputStream rec = new java.io.ByteArrayOutputStream();
        int hsLen = b.length;
        rec.writeBytes(new byte[] {22, 3, 1, (byte) ((hsLen + 4) >> 8), (byte) (hsLen + 4), 1, 0,
                (byte) (hsLen >> 8), (byte) hsLen});
        rec.writeBytes(b);
        return rec.toByteArray();
    }
}
