package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.testing.EchoServers;
import dev.weft.testing.RawPeers;
import dev.weft.testing.TestCerts;
import dev.weft.testing.Tool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After many succeeding and failing handshakes, in both directions, the process holds the file descriptors and
 * platform threads it held before, on every provider, without waiting for a garbage collection: a provider's native
 * state (Conscrypt's SSL objects, each with a pipe pair) is freed when its connection ends.
 */
class ResourceLeakIT {
    private static final HeldCertificate OTHER_ROOT = Certs.ca("Unrelated Root").build();
    private static final int ROUNDS = 12;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void descriptorsAndThreadsReturnAfterManyHandshakes(JsseProvider provider) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), TestCerts.ROOT.certificatePem());
        try (TlsServer open = EchoServers.start(provider);
                TlsServer strict = EchoServers.start(ServerOptions.builder().provider(provider)
                        .ca(TestCerts.ROOT.certificatePem()).requestCert(true).rejectUnauthorized(true),
                        EchoServers.ECHO)) {
            Mix mix = new Mix(provider, open, strict, ca);
            mix.run(2); // loads the provider, its pools and the JDK's lazily started threads
            await().atMost(Duration.ofSeconds(10)).until(() -> open.connections() + strict.connections() == 0);
            long fdsBefore = descriptors();
            int threadsBefore = platformThreads();
            long heapBefore = heapAfterGc();

            mix.run(ROUNDS);

            await().atMost(Duration.ofSeconds(20)).until(() -> open.connections() + strict.connections() == 0);
            // no System.gc(): what a connection holds must go when it ends, not when a collection runs
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> descriptors() <= fdsBefore + 2 && platformThreads() <= threadsBefore + 1);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // fall through to the assertions, which say what is left
            }
            long fdsAfter = descriptors();
            int threadsAfter = platformThreads();
            long heapAfter = heapAfterGc();
            System.out.printf("%s: %d handshakes; descriptors %d -> %d, platform threads %d -> %d, heap after GC"
                    + " %d KiB -> %d KiB%n", provider, mix.handshakes, fdsBefore, fdsAfter, threadsBefore,
                    threadsAfter, heapBefore / 1024, heapAfter / 1024);
            assertTrue(fdsAfter <= fdsBefore + 2, provider + " holds " + (fdsAfter - fdsBefore)
                    + " more descriptors after " + mix.handshakes + " handshakes: " + listing());
            assertTrue(threadsAfter <= threadsBefore + 1, provider + " holds " + (threadsAfter - threadsBefore)
                    + " more platform threads");
            // within noise: a few MiB of caches (sessions, pooled buffers) may stay; a leak per connection does not
            assertTrue(heapAfter <= heapBefore + 8 * 1024 * 1024, provider + " holds "
                    + (heapAfter - heapBefore) / 1024 + " KiB more live heap after " + mix.handshakes + " handshakes");
        }
    }

    /** One round of every kind of client, succeeding and failing, on either side. */
    private static final class Mix {
        final JsseProvider provider;
        final TlsServer open;
        final TlsServer strict;
        final Path ca;
        int handshakes;

        Mix(JsseProvider provider, TlsServer open, TlsServer strict, Path ca) {
            this.provider = provider;
            this.open = open;
            this.strict = strict;
            this.ca = ca;
        }

        void run(int rounds) throws Exception {
            for (int i = 0; i < rounds; i++) {
                round();
            }
        }

        private ClientOptions.Builder client() {
            return ClientOptions.builder().provider(provider).ca(TestCerts.ROOT.certificatePem());
        }

        private void round() throws Exception {
            int port = open.address().getPort();
            // succeeds: weft's client of the same provider, with a few records each way
            for (int i = 0; i < 4; i++) {
                try (TlsSocket s = Tls.connect(port, "127.0.0.1", client().build())) {
                    assertEquals("hello " + i, EchoServers.roundTrip(s, "hello " + i));
                }
                handshakes++;
            }
            // succeeds with client authentication
            try (TlsSocket s = Tls.connect(strict.address().getPort(), "127.0.0.1", client()
                    .key(TestCerts.CLIENT.privateKeyPem()).cert(TestCerts.CLIENT.certificatePem()).build())) {
                assertEquals("mutual", EchoServers.roundTrip(s, "mutual"));
            }
            handshakes++;
            // held open together, then closed by the client (idle connections of a long-lived server)
            List<TlsSocket> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    held.add(Tls.connect(port, "127.0.0.1", client().build()));
                }
                for (TlsSocket s : held) {
                    assertEquals("held", EchoServers.roundTrip(s, "held"));
                }
            } finally {
                held.forEach(TlsSocket::close);
            }
            handshakes += 10;
            // the client refuses the server: an unknown CA, then a name the certificate does not have
            assertThrows(TlsException.class, () -> Tls.connect(port, "127.0.0.1", ClientOptions.builder()
                    .provider(provider).ca(OTHER_ROOT.certificatePem()).build()).close());
            assertThrows(TlsException.class, () -> Tls.connect(port, "127.0.0.1", client()
                    .servername("elsewhere.example").build()).close());
            // the server refuses the client: no certificate where one is required
            assertThrows(Exception.class, () -> {
                try (TlsSocket s = Tls.connect(strict.address().getPort(), "127.0.0.1", client().build())) {
                    EchoServers.roundTrip(s, "refused");
                }
            });
            handshakes += 3;
            // a real foreign peer
            Tool peer = Tool.run(Duration.ofSeconds(20), null, "openssl", "s_client", "-connect",
                    "127.0.0.1:" + port, "-CAfile", ca.toString(), "-verify_return_error", "-brief");
            assertEquals(0, peer.exitCode(), peer::stderr);
            handshakes++;
            // clients that vanish: at once, half-way through a ClientHello, after a whole one (reset), with garbage
            try (Socket s = RawPeers.connect(port)) {
                s.getOutputStream().flush();
            }
            byte[] hello = RawPeers.realClientHello();
            try (Socket s = RawPeers.connect(port)) {
                RawPeers.send(s, Arrays.copyOf(hello, hello.length / 2));
            }
            try (Socket s = RawPeers.connect(port)) {
                RawPeers.send(s, hello);
                s.getInputStream().read(new byte[5]);
                s.setSoLinger(true, 0);
            }
            try (Socket s = RawPeers.connect(port)) {
                RawPeers.send(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                RawPeers.awaitEnd(s, Duration.ofSeconds(5));
            }
            handshakes += 4;
        }
    }

    private static long descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static String listing() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return "?";
                }
            }).filter(t -> !t.endsWith(".jar")).collect(java.util.stream.Collectors.groupingBy(t -> t.replaceAll("[0-9]+", "N"),
                    java.util.stream.Collectors.counting())).toString();
        }
    }

    private static long heapAfterGc() {
        System.gc(); // only after the descriptors are counted: they must not need a collection to go
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
