package dev.weft.tls.internal.limits;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.RawPeers;
import dev.weft.testing.TestCerts;
import dev.weft.tls.ClientOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bound on handshakes computing at once (issue 7): newest first, and never held by a client weft waits for. */
class HandshakeGateIT {
    @Test
    void underOverloadTheNewestWaiterIsServedFirst() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        HandshakeGate.Pass first = gate.enter(Duration.ZERO);
        assertNotNull(first);
        List<String> order = new CopyOnWriteArrayList<>();
        List<Thread> waiters = new ArrayList<>();
        for (String name : List.of("old", "middle", "new")) {
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    HandshakeGate.Pass p = gate.enter(Duration.ofSeconds(10));
                    order.add(name);
                    p.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            int expected = waiters.size();
            await().atMost(Duration.ofSeconds(5)).until(() -> gate.waiting() == expected);
        }
        first.release();
        first.release(); // a second release gives nothing back twice
        for (Thread t : waiters) {
            t.join(5000);
        }
        assertEquals(List.of("new", "middle", "old"), order);
        assertEquals(0, gate.inUse());
    }

    @Test
    void aWaiterWhoseTimeRunsOutGetsNoPermitAndLeavesNoTrace() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        HandshakeGate.Pass held = gate.enter(Duration.ZERO);
        assertNull(gate.enter(Duration.ofMillis(50)));
        assertEquals(0, gate.waiting());
        held.release();
        assertEquals(0, gate.inUse());
        assertNotNull(gate.enter(Duration.ZERO), "the permit is free again");
    }

    /**
     * Many clients that sent a whole ClientHello and then fall silent (the server's first flight answered, their
     * Finished never coming): each waits for its own deadline, and none of them keeps a permit meanwhile, so a
     * normal client is served at once. Were the permit held until the handshake ended, the silent clients would hold
     * them all for the 30 s deadline and the normal client's 5 s handshake would time out.
     */
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void clientsSilentAfterTheirClientHelloHoldNoPermit(JsseProvider p) throws Exception {
        int silentCount = 4 * Runtime.getRuntime().availableProcessors() * 2;
        List<Socket> silent = new ArrayList<>();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(p)
                .handshakeTimeout(Duration.ofSeconds(30)), EchoServers.ECHO)) {
            try {
                for (int i = 0; i < silentCount; i++) {
                    Socket s = RawPeers.connect(server.address().getPort());
                    RawPeers.send(s, RawPeers.realClientHello());
                    silent.add(s);
                    // the server answered this one: it computed its flight and now waits for the client
                    s.setSoTimeout(10_000);
                    assertTrue(s.getInputStream().read() >= 0, "the server answers the ClientHello");
                }
                long start = System.nanoTime();
                try (TlsSocket normal = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(p).ca(TestCerts.ROOT.certificatePem()).handshakeTimeout(Duration.ofSeconds(5))
                        .build())) {
                    assertEquals("ok", EchoServers.roundTrip(normal, "ok"));
                }
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
                assertEquals(0, HandshakeGate.SHARED.inUse(), "no permit held by the silent clients");
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> HandshakeGate.SHARED.inUse() == 0);
    }
}
