package dev.weft.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.EchoServers;
import dev.weft.testing.TestCerts;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JFR events weft emits: handshakes (both ends, ok and failed), client errors and drops, per provider. */
class JfrEventsIT {
    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void handshakesClientErrorsAndDropsAreRecorded(JsseProvider p, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("weft.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.weft.Handshake");
            recording.enable("dev.weft.ClientError");
            recording.enable("dev.weft.Drop");
            recording.start();
            try (TlsServer server = EchoServers.start(p)) {
                try (TlsSocket c = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(p).ca(TestCerts.ROOT.certificatePem()).build())) {
                    assertEquals("ok", EchoServers.roundTrip(c, "ok"));
                }
                assertThrows(TlsException.class, () -> Tls.connect(server.address().getPort(), "127.0.0.1",
                        ClientOptions.builder().provider(p).build())); // JDK roots: the test root is unknown
                try (Socket raw = new Socket("127.0.0.1", server.address().getPort())) {
                    raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
                    raw.getInputStream().readAllBytes();
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 0);
                server.maxConnections(1);
                try (TlsSocket held = Tls.connect(server.address().getPort(), "127.0.0.1", ClientOptions.builder()
                        .provider(p).ca(TestCerts.ROOT.certificatePem()).build())) {
                    assertThrows(TlsException.class, () -> Tls.connect(server.address().getPort(), "127.0.0.1",
                            ClientOptions.builder().provider(p).ca(TestCerts.ROOT.certificatePem())
                                    .handshakeTimeout(Duration.ofSeconds(5)).build()));
                    assertEquals("held", EchoServers.roundTrip(held, "held"));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.connections() == 0);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> handshakes = events.stream().filter(e -> e.getEventType().getName()
                .equals("dev.weft.Handshake")).toList();
        assertTrue(handshakes.stream().anyMatch(e -> e.getBoolean("server") && "ok".equals(e.getString("outcome"))
                && "TLSv1.3".equals(e.getString("protocol")) && p.cliName().equals(e.getString("provider"))),
                handshakes.toString());
        assertTrue(handshakes.stream().anyMatch(e -> !e.getBoolean("server") && "failed".equals(e.getString("outcome"))
                && "UNABLE_TO_VERIFY_LEAF_SIGNATURE".equals(e.getString("code"))), handshakes.toString());
        assertTrue(handshakes.stream().allMatch(e -> e.getDuration().toNanos() > 0));
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.weft.ClientError")
                && "ERR_SSL_HTTP_REQUEST".equals(e.getString("code"))), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("dev.weft.Drop")
                && e.getString("peer").contains("127.0.0.1")), events.toString());
    }
}
