package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo of Node's v0.6 documentation between weft's client and server, for all nine server-provider x client-provider pairs. */
class EchoIT {
    static Stream<Arguments> pairs() {
        return Arrays.stream(JsseProvider.values())
                .flatMap(s -> Arrays.stream(JsseProvider.values()).map(c -> Arguments.of(s, c)));
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @MethodSource("pairs")
    void echoesBetweenEveryProviderPair(JsseProvider serverProvider, JsseProvider clientProvider) throws Exception {
        CompletableFuture<TlsSocket> serverSide = new CompletableFuture<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(serverProvider), s -> {
            serverSide.complete(s);
            s.write("welcome!\n");
            EchoServers.echo(s);
        })) {
            ClientOptions options = ClientOptions.builder().ca(TestCerts.ROOT.certificatePem())
                    .provider(clientProvider).build();
            try (TlsSocket client = Tls.connect(server.address().getPort(), "127.0.0.1", options)) {
                assertEquals(clientProvider, client.provider());
                assertTrue(client.authorized(), () -> "client not authorized: " + client.authorizationError());
                assertNull(client.authorizationError());
                assertEquals("TLSv1.3", client.protocol());
                assertEquals("welcome!\n", EchoServers.read(client, 9));
                assertEquals("hello, weft\n", EchoServers.roundTrip(client, "hello, weft\n"));
                String big = "x".repeat(100_000) + "\n";
                assertEquals(big, EchoServers.roundTrip(client, big));

                TlsSocket s = serverSide.get(10, TimeUnit.SECONDS);
                assertEquals(serverProvider, s.provider());
                assertFalse(s.authorized(), "a server without requestCert never authorizes its client (Node)");
                assertNull(s.authorizationError());
                assertEquals("TLSv1.3", s.protocol());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(JsseProvider.class)
    void zeroLengthReadsAndWritesReturnAtOnce(JsseProvider provider) throws Exception {
        // Conscrypt 2.5.2 blocks on read(b, off, 0), which readNBytes issues after its last byte.
        try (TlsServer server = EchoServers.start(provider);
                TlsSocket client = Tls.connect(server.address().getPort(), "127.0.0.1",
                        ClientOptions.builder().ca(TestCerts.ROOT.certificatePem()).provider(provider).build())) {
            CompletableFuture<Integer> zero = CompletableFuture.supplyAsync(() -> {
                try {
                    client.getOutputStream().write(new byte[0]);
                    return client.getInputStream().read(new byte[8], 3, 0);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(0, zero.get(10, TimeUnit.SECONDS));
            client.write("ab");
            assertEquals("ab", new String(client.getInputStream().readNBytes(2), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("c", EchoServers.roundTrip(client, "c"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(JsseProvider.class)
    void transferToPipesEveryByteInOrderAndCountsThem(JsseProvider provider) throws Exception {
        // TlsSocket's input answers transferTo without a buffer held while idle; every byte must still arrive
        CompletableFuture<Long> piped = new CompletableFuture<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(provider), s -> {
            try {
                piped.complete(s.getInputStream().transferTo(s.getOutputStream()));
            } catch (java.io.IOException e) {
                piped.completeExceptionally(e);
            }
        });
                TlsSocket client = Tls.connect(server.address().getPort(), "127.0.0.1",
                        ClientOptions.builder().ca(TestCerts.ROOT.certificatePem()).provider(provider).build())) {
            java.util.Random random = new java.util.Random(42);
            byte[] sent = new byte[1 << 20];
            random.nextBytes(sent);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < sent.length; ) { // writes of 1 byte to 40 KB: records of every size
                        int n = Math.min(sent.length - off, 1 + random.nextInt(random.nextBoolean() ? 40_000 : 300));
                        client.getOutputStream().write(sent, off, n);
                        off += n;
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] back = client.getInputStream().readNBytes(sent.length);
            writer.get(30, TimeUnit.SECONDS);
            assertTrue(Arrays.equals(sent, back), "the echo differs from what was sent");
            client.close(); // close_notify: the server's transferTo ends and returns its count
            assertEquals(sent.length, piped.get(10, TimeUnit.SECONDS));
        }
    }
}
