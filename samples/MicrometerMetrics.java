import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.ClientOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsListener;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

// weft-sample-needs: io.micrometer:micrometer-core (with micrometer-commons, micrometer-observation, HdrHistogram)

/**
 * weft's {@link TlsListener} bound to a Micrometer {@link MeterRegistry}: copy {@link WeftMeters} into your
 * application and register it with {@code ServerOptions.builder().listener(new WeftMeters(registry, "server"))}
 * (and {@code ClientOptions} for the client side).
 *
 * <p>Meters:
 * <ul>
 *   <li>{@code weft.tls.handshakes} (counter): side, provider, outcome (ok, failed), protocol, resumed, code
 *   <li>{@code weft.tls.handshake.time} (timer): side, provider, outcome
 *   <li>{@code weft.tls.client.errors} (counter): code, e.g. {@code ERR_SSL_HTTP_REQUEST}
 *   <li>{@code weft.tls.drops} (counter): connections refused at {@code maxConnections}
 *   <li>{@code weft.tls.connections.open} (gauge)
 *   <li>{@code weft.tls.certificate.days.to.expiry} (gauge per served certificate): subject, serial
 * </ul>
 *
 * <p>Running it: weft does not depend on Micrometer, and {@code ./weft sample} puts only weft's CLI jar on the
 * class path, so it needs Micrometer's jars named in {@code WEFT_SAMPLE_CLASSPATH}:
 * <pre>
 *   mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 *   WEFT_SAMPLE_CLASSPATH=$(cat cp.txt) ./weft sample MicrometerMetrics
 * </pre>
 * Without it, {@code ./weft sample MicrometerMetrics} stops with a message saying so (exit 1). The provider is
 * {@code WEFT_PROVIDER} (sun, bc, conscrypt). The sample runs a server with the listener, makes a good client
 * connection, one that does not trust the server, a plain HTTP request and one connection past
 * {@code maxConnections}, then prints every meter, one a line: {@code name tag=value,... value}.
 */
public class MicrometerMetrics {

    /** The binding: one instance per side ("server", "client") and registry. Thread-safe, never blocks. */
    public static final class WeftMeters implements TlsListener {
        private final MeterRegistry registry;
        private final String side;
        private final AtomicInteger open = new AtomicInteger();
        private final Map<X509Certificate, Meter> expiry = new HashMap<>();

        public WeftMeters(MeterRegistry registry, String side) {
            this.registry = registry;
            this.side = side;
            if (side.equals("server")) {
                Gauge.builder("weft.tls.connections.open", open, AtomicInteger::get)
                        .description("open TLS connections, including those in their handshake").register(registry);
            }
        }

        @Override
        public void handshakeCompleted(JsseProvider provider, String protocol, String cipher, boolean resumed,
                Duration duration) {
            handshake(provider, "ok", protocol, resumed, "none", duration);
        }

        @Override
        public void handshakeFailed(JsseProvider provider, String code, Duration duration) {
            handshake(provider, "failed", "none", false, code, duration);
        }

        private void handshake(JsseProvider provider, String outcome, String protocol, boolean resumed, String code,
                Duration duration) {
            Counter.builder("weft.tls.handshakes").description("TLS handshakes by outcome")
                    .tags("side", side, "provider", provider.cliName(), "outcome", outcome, "protocol", protocol,
                            "resumed", String.valueOf(resumed), "code", code)
                    .register(registry).increment();
            Timer.builder("weft.tls.handshake.time").description("TLS handshake duration")
                    .tags("side", side, "provider", provider.cliName(), "outcome", outcome)
                    .register(registry).record(duration);
        }

        @Override
        public void connectionOpened() {
            open.incrementAndGet();
        }

        @Override
        public void connectionClosed() {
            open.decrementAndGet();
        }

        @Override
        public void clientError(String code) {
            registry.counter("weft.tls.client.errors", "code", code).increment();
        }

        @Override
        public void connectionDropped() {
            registry.counter("weft.tls.drops").increment();
        }

        /** One gauge per served certificate; those no longer served (replaced, reloaded) are removed. */
        @Override
        public synchronized void certificatesServed(List<X509Certificate> certificates) {
            for (var it = expiry.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!certificates.contains(e.getKey())) {
                    registry.remove(e.getValue());
                    it.remove();
                }
            }
            for (X509Certificate c : certificates) {
                expiry.computeIfAbsent(c, cert -> Gauge.builder("weft.tls.certificate.days.to.expiry", cert,
                                MicrometerMetrics::daysToExpiry)
                        .description("days until the served certificate's notAfter")
                        .tags("subject", cert.getSubjectX500Principal().getName(),
                                "serial", cert.getSerialNumber().toString(16))
                        .register(registry));
            }
        }
    }

    static double daysToExpiry(X509Certificate c) {
        return Duration.between(Instant.now(), c.getNotAfter().toInstant()).toSeconds() / 86_400.0;
    }

    public static void main(String[] args) throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        JsseProvider provider = JsseProvider.resolve(null);
        HeldCertificate cert = Certs.selfSigned("localhost").san("127.0.0.1").validFor(Duration.ofDays(90)).build();

        ServerOptions options = ServerOptions.builder().provider(provider)
                .key(cert.privateKeyPem()).cert(cert.certificatePem())
                .listener(new WeftMeters(registry, "server"))
                .build();
        TlsServer server = Tls.createServer(options, socket -> socket.getInputStream().transferTo(
                socket.getOutputStream()));
        try (server) {
            server.listen(0, "127.0.0.1");
            int port = server.address().getPort();
            WeftMeters clientMeters = new WeftMeters(registry, "client");
            ClientOptions client = ClientOptions.builder().provider(provider).ca(cert.certificatePem())
                    .listener(clientMeters).build();

            try (TlsSocket s = Tls.connect(port, "127.0.0.1", client)) { // a good client
                s.write("hello");
                s.getInputStream().readNBytes(5);
            }
            try { // a client that does not trust the server's certificate
                Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(provider)
                        .ca(Certs.ca("Someone Else").build().certificatePem()).listener(clientMeters).build()).close();
            } catch (TlsException expected) {
                System.out.println("untrusted: " + expected.code());
            }
            try (Socket plain = new Socket("127.0.0.1", port)) { // plain HTTP on the TLS port
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
                plain.getInputStream().readAllBytes();
            }
            awaitNoConnections(server);
            server.maxConnections(1);
            try (TlsSocket held = Tls.connect(port, "127.0.0.1", client)) {
                try { // past maxConnections: dropped (no listener on this client)
                    Tls.connect(port, "127.0.0.1", ClientOptions.builder().provider(provider)
                            .ca(cert.certificatePem()).build()).close();
                } catch (TlsException expected) {
                    System.out.println("past maxConnections: " + expected.code());
                }
                held.write("still here");
                held.getInputStream().readNBytes(10);
            }
            awaitNoConnections(server);
        }
        System.out.println("provider " + provider.cliName());
        print(registry);
    }

    private static void awaitNoConnections(TlsServer server) throws InterruptedException {
        for (int i = 0; i < 1000 && server.connections() > 0; i++) {
            Thread.sleep(10);
        }
    }

    /** Every meter, sorted: {@code name tag=value,... value} (a timer: its count and total milliseconds). */
    static void print(MeterRegistry registry) {
        List<String> lines = new ArrayList<>();
        for (Meter m : registry.getMeters()) {
            String tags = String.join(",", Tags.of(m.getId().getTags()).stream()
                    .map(t -> t.getKey() + "=" + t.getValue()).toList());
            String value = switch (m) {
                case Timer t -> "count=" + t.count() + " totalMs=" + t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
                case Counter c -> String.valueOf((long) c.count());
                case Gauge g -> String.format(java.util.Locale.ROOT, "%.2f", g.value());
                default -> m.measure().toString();
            };
            lines.add(m.getId().getName() + " " + (tags.isEmpty() ? "-" : tags) + " " + value);
        }
        lines.stream().sorted().forEach(System.out::println);
    }
}
