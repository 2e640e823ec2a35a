package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** connections(), maxConnections and close()/awaitClose, once per provider. */
class ServerLifecycleIT {
    private static TlsSocket connect(TlsServer server, JsseProvider provider) throws TlsException {
        return Tls.connect(server.address().getPort(), "127.0.0.1",
                ClientOptions.builder().ca(TestCerts.ROOT.certificatePem()).provider(provider).build());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void countsConnectionsUpAndDown(JsseProvider provider) throws Exception {
        try (TlsServer server = EchoServers.start(provider)) {
            assertEquals(0, server.connections());
            TlsSocket a = connect(server, provider);
            TlsSocket b = connect(server, provider);
            assertEquals("a", EchoServers.roundTrip(a, "a"));
            assertEquals("b", EchoServers.roundTrip(b, "b"));
            assertEquals(2, server.connections());
            a.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 1);
            b.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void dropsConnectionsBeyondMaxConnections(JsseProvider provider) throws Exception {
        List<InetSocketAddress> dropped = new CopyOnWriteArrayList<>();
        List<TlsException> clientErrors = new CopyOnWriteArrayList<>();
        try (TlsServer server = EchoServers.start(provider)) {
            server.maxConnections(1).onDrop(dropped::add).onClientError((e, r) -> clientErrors.add(e));
            try (TlsSocket first = connect(server, provider)) {
                assertEquals("one", EchoServers.roundTrip(first, "one"));
                TlsException e = assertThrows(TlsException.class, () -> connect(server, provider));
                assertEquals("ECONNRESET", e.code(), e::getMessage);
                await().atMost(Duration.ofSeconds(10)).until(() -> dropped.size() == 1);
                assertEquals("127.0.0.1", dropped.getFirst().getAddress().getHostAddress());
                assertTrue(clientErrors.isEmpty(), "a drop is not a client error (Node): " + clientErrors);
                assertEquals("still here", EchoServers.roundTrip(first, "still here"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 0);
            try (TlsSocket again = connect(server, provider)) {
                assertEquals("served again", EchoServers.roundTrip(again, "served again"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void closeStopsAcceptingWhileOpenConnectionsRunOn(JsseProvider provider) throws Exception {
        TlsServer server = EchoServers.start(provider);
        try (TlsSocket open = connect(server, provider)) {
            assertEquals("before", EchoServers.roundTrip(open, "before"));
            server.close();
            assertFalse(server.isListening());
            TlsException refused = assertThrows(TlsException.class, () -> connect(server, provider));
            assertEquals("ECONNREFUSED", refused.code());
            assertEquals("after close", EchoServers.roundTrip(open, "after close"));
            assertFalse(server.awaitClose(Duration.ofMillis(200)), "'close' must wait for the open connection");
            server.close(); // again: nothing happens
        }
        assertTrue(server.awaitClose(Duration.ofSeconds(10)), "'close' once the last connection ended");
        assertEquals(0, server.connections());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void closeNowEndsOpenConnections(JsseProvider provider) throws Exception {
        TlsServer server = EchoServers.start(provider);
        try (TlsSocket open = connect(server, provider)) {
            assertEquals("x", EchoServers.roundTrip(open, "x"));
            server.closeNow();
            assertTrue(server.awaitClose(Duration.ofSeconds(10)));
            assertEquals(-1, readOrEnd(open));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void shutdownTellsHandlersWhichSayGoodbyeAndDrain(JsseProvider provider) throws Exception {
        TlsServer server = EchoServers.start(ServerOptions.builder().provider(provider), socket -> {
            socket.onDraining(() -> {
                try {
                    socket.write("bye\n");
                    socket.end();
                } catch (java.io.IOException e) {
                    socket.destroy();
                }
            });
            EchoServers.echo(socket);
        });
        java.util.concurrent.CompletableFuture<TlsServer.Shutdown> shutdown;
        try (TlsSocket open = connect(server, provider)) {
            assertEquals("hello", EchoServers.roundTrip(open, "hello"));
            shutdown = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return server.shutdown(Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("bye\n", EchoServers.read(open, 4), "the handler said goodbye in its protocol");
            assertEquals(-1, readOrEnd(open));
            assertFalse(open.truncated(), "ended with close_notify");
            assertTrue(server.draining());
            assertFalse(server.isListening());
        } // the client closes when the server ended (Node's allowHalfOpen: false)
        TlsServer.Shutdown done = shutdown.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(new TlsServer.Shutdown(1, 1, 0, done.took()), done);
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void shutdownCutsWhatTheGracePeriodLeavesWithCloseNotify(JsseProvider provider) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean sawDraining = new java.util.concurrent.atomic.AtomicBoolean();
        TlsServer server = EchoServers.start(ServerOptions.builder().provider(provider), socket -> {
            try {
                EchoServers.echo(socket);
            } finally {
                sawDraining.set(socket.draining());
            }
        });
        try (TlsSocket a = connect(server, provider); TlsSocket b = connect(server, provider)) {
            assertEquals("a", EchoServers.roundTrip(a, "a"));
            assertEquals("b", EchoServers.roundTrip(b, "b"));
            TlsServer.Shutdown done = server.shutdown(Duration.ofMillis(300));
            assertEquals(2, done.open());
            assertEquals(2, done.cut());
            assertEquals(0, done.drained());
            assertEquals(-1, readOrEnd(a));
            assertFalse(a.truncated(), "cut with close_notify");
            TlsException refused = assertThrows(TlsException.class, () -> connect(server, provider));
            assertEquals("ECONNREFUSED", refused.code());
        }
        assertTrue(server.awaitClose(Duration.ofSeconds(10)));
        assertTrue(sawDraining.get(), "the handler saw the server draining");
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void warnsOfACertificateNearItsEndAtListenAndOnEveryReload(JsseProvider provider) throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.weft.tls.server");
        List<String> warnings = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(new java.util.logging.SimpleFormatter().formatMessage(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        var soon = dev.weft.cert.Certs.server("soon.example", "127.0.0.1").signedBy(TestCerts.ROOT)
                .validFor(Duration.ofDays(5)).build();
        try (TlsServer server = EchoServers.start(provider)) { // TestCerts.SERVER: good for long
            assertTrue(warnings.isEmpty(), warnings::toString);
            server.setSecureContext(Tls.createSecureContext(ContextOptions.builder().key(soon.privateKeyPem())
                    .cert(soon.certificatePem()).build()));
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.getFirst().matches(".*CN=soon\\.example expires on .*, in [45] days: renew it"),
                    warnings::toString);
        } finally {
            log.removeHandler(capture);
        }
        warnings.clear();
        log.addHandler(capture);
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(provider)
                .key(soon.privateKeyPem()).cert(soon.certificatePem()).build(), EchoServers.ECHO)) {
            assertEquals(1, warnings.size(), "at listen: " + warnings);
        } finally {
            log.removeHandler(capture);
        }
    }

    private static int readOrEnd(TlsSocket s) {
        try {
            return s.getInputStream().read();
        } catch (java.io.IOException e) {
            return -1; // a reset is an end here too
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void listenReportsTheChosenPortAndRefusesASecondListen(JsseProvider provider) throws Exception {
        try (TlsServer server = EchoServers.start(provider)) {
            assertTrue(server.address().getPort() > 0);
            assertTrue(server.isListening());
            TlsException e = assertThrows(TlsException.class, () -> server.listen(0));
            assertEquals("ERR_SERVER_ALREADY_LISTEN", e.code());
            TlsServer other = Tls.createServer(ServerOptions.builder().provider(provider)
                    .key(TestCerts.SERVER.privateKeyPem()).cert(TestCerts.SERVER.certificatePem()).build(),
                    EchoServers.ECHO);
            TlsException inUse = assertThrows(TlsException.class,
                    () -> other.listen(server.address().getPort(), "127.0.0.1"));
            assertEquals("EADDRINUSE", inUse.code());
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void setSecureContextServesNewHandshakesWithTheNewCertificate(JsseProvider provider) throws Exception {
        // scenario 46
        var cnonly = dev.weft.cert.Certs.leaf("cnonly.example.com").serverAuth().signedBy(TestCerts.ROOT).build();
        ClientOptions client = ClientOptions.builder().ca(TestCerts.ROOT.certificatePem()).provider(provider)
                .checkServerIdentity((host, cert) -> { }).build();
        try (TlsServer server = EchoServers.start(provider);
                TlsSocket before = Tls.connect(server.address().getPort(), "127.0.0.1", client)) {
            assertEquals(List.of("localhost"), before.peerCertificate().orElseThrow().subject().get("CN"));
            TlsException refused = assertThrows(TlsException.class,
                    () -> server.setSecureContext(Tls.createSecureContext(ContextOptions.builder()
                            .ca(TestCerts.ROOT.certificatePem()).build())));
            assertEquals("ERR_WEFT_INVALID_OPTIONS", refused.code());
            server.setSecureContext(Tls.createSecureContext(ContextOptions.builder().key(cnonly.privateKeyPem())
                    .cert(cnonly.chainPem()).build()));
            try (TlsSocket after = Tls.connect(server.address().getPort(), "127.0.0.1", client)) {
                assertEquals(List.of("cnonly.example.com"), after.peerCertificate().orElseThrow().subject().get("CN"));
                assertEquals("new", EchoServers.roundTrip(after, "new"));
            }
            assertEquals("old", EchoServers.roundTrip(before, "old"), "the open connection keeps its context");
            assertEquals(List.of("localhost"), before.peerCertificate().orElseThrow().subject().get("CN"));
        }
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void watchCredentialsFollowsASymlinkSwapAndRefusesABrokenPair(JsseProvider provider,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var first = dev.weft.cert.Certs.server("first.example").signedBy(TestCerts.ROOT).build();
        var second = dev.weft.cert.Certs.server("second.example").signedBy(TestCerts.ROOT).build();
        java.nio.file.Path v1 = java.nio.file.Files.createDirectories(dir.resolve("v1"));
        java.nio.file.Path v2 = java.nio.file.Files.createDirectories(dir.resolve("v2"));
        java.nio.file.Files.writeString(v1.resolve("tls.crt"), first.chainPem());
        java.nio.file.Files.writeString(v1.resolve("tls.key"), first.privateKeyPem());
        java.nio.file.Files.writeString(v2.resolve("tls.crt"), second.chainPem());
        java.nio.file.Files.writeString(v2.resolve("tls.key"), second.privateKeyPem());
        // the layout Kubernetes uses for a mounted secret: files behind a ..data link that is swapped atomically
        java.nio.file.Path data = java.nio.file.Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        java.nio.file.Path cert = java.nio.file.Files.createSymbolicLink(dir.resolve("tls.crt"),
                java.nio.file.Path.of("..data/tls.crt"));
        java.nio.file.Path key = java.nio.file.Files.createSymbolicLink(dir.resolve("tls.key"),
                java.nio.file.Path.of("..data/tls.key"));
        ClientOptions client = ClientOptions.builder().ca(TestCerts.ROOT.certificatePem()).provider(provider)
                .checkServerIdentity((h, c) -> { }).build();
        try (TlsServer server = EchoServers.listen(ServerOptions.builder().provider(provider).cert(cert).key(key)
                .build(), EchoServers.ECHO)) {
            server.watchCredentials(cert, key, Duration.ofMillis(50));
            assertEquals("first.example", cn(server, client));
            java.nio.file.Path tmp = java.nio.file.Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
            java.nio.file.Files.move(tmp, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            await().atMost(Duration.ofSeconds(10)).until(() -> cn(server, client).equals("second.example"));
            java.nio.file.Files.writeString(v2.resolve("tls.key"), first.privateKeyPem()); // mismatched pair
            // for several watch intervals the broken pair is refused and the working one stays
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> cn(server, client).equals("second.example"));
        }
    }

    private static String cn(TlsServer server, ClientOptions client) throws Exception {
        try (TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", client)) {
            return c.peerCertificate().orElseThrow().subject().get("CN").getFirst();
        }
    }
}
