package dev.weft.cli;

import static dev.weft.cli.BenchCommandIT.bench;
import static dev.weft.cli.BenchCommandIT.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cli.BenchCommandIT.Run;
import dev.weft.testing.EchoServers;
import dev.weft.testing.Tool;
import dev.weft.tls.ConnectionHandler;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.TlsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code weft bench --mode rate}, the open loop: against {@code weft serve --mode echo} run as a process, and
 * against in-process servers that stall once or end connections. The assertions are on counts (the schedule fixes
 * how many requests are due in the window) and on relations between figures, never on a speed alone.
 */
class BenchRateModeIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern BOUND = Pattern.compile("server bound 127\\.0\\.0\\.1:(\\d+)");
    /** The stalling servers' one stall. */
    private static final long STALL_MS = 300;

    @Test
    void againstWeftServeEchoAsAProcess() {
        try (Tool serve = Tool.start(null, Tool.weftCli("serve", "--mode", "echo", "--port", "0", "--provider",
                "sun").toArray(String[]::new))) {
            serve.awaitStdout("server bound", WAIT);
            Matcher bound = BOUND.matcher(serve.stdout());
            assertTrue(bound.find(), serve.stdout());
            String port = bound.group(1);

            Run table = bench("--mode", "rate", "--port", port, "--insecure", "--rate", "100", "--conns", "2",
                    "--duration", "1s", "--warmup", "0s");
            assertEquals(0, table.code(), table.out() + table.err());
            String[] lines = table.out().split("\n");
            assertTrue(lines[0].matches("provider\\s+mode\\s+conns\\s+rate/s\\s+achieved/s\\s+p50 us\\s+p90 us"
                    + "\\s+p99 us\\s+p99\\.9 us\\s+max us\\s+failures\\s+first error"), table.out());
            assertTrue(lines[1].matches("sun\\s+rate\\s+2\\s+100\\s+\\d+(\\s+\\d+){5}\\s+0\\s+-"), table.out());
            assertTrue(lines[2].matches("negotiated TLS_\\w+ TLSv1\\.3; server key EC"), table.out());

            // 200 requests/s on 4 connections for 1 s after a 1 s warm-up: request j is due at j / 200 s from the
            // warm-up's start, so exactly 200 are due in the window, whatever the warm-up sent
            Run r = json("--mode", "rate", "--port", port, "--insecure", "--rate", "200", "--conns", "4",
                    "--warmup", "1s");
            assertEquals("rate", r.text("mode"), r.out());
            assertEquals(200, r.number("rate"), r.out());
            assertEquals(4, r.number("conns"), r.out());
            assertEquals(64, r.number("msg"), r.out());
            assertEquals(200, r.number("scheduled"), r.out());
            checkCounts(r, 0);
            assertTrue(r.number("ok") > 0, r.out());
        }
    }

    @Test
    void aStallIsChargedToEveryRequestDueDuringIt() throws Exception {
        AtomicBoolean stalled = new AtomicBoolean();
        // 100 requests/s per connection: one due every 10 ms on each
        int rate = 200;
        int conns = 2;
        long intervalMs = 1000L * conns / rate;
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(JsseProvider.SUN),
                stallingOnce(stalled))) {
            String port = String.valueOf(server.address().getPort());
            Run open = json("--mode", "rate", "--port", port, "--insecure", "--rate", String.valueOf(rate),
                    "--conns", String.valueOf(conns));
            assertTrue(stalled.get(), "the server never stalled");
            assertEquals(rate, open.number("scheduled"), open.out());
            checkCounts(open, 0);

            // the request the server sat on was due before it was read, so it waited at least the stall; the
            // next one on that connection was due 10 ms later and could not be sent before the first came back,
            // so it waited at least the stall less 10 ms, and so on: the three slowest of at most 200 requests
            // waited at least the stall less 20 ms, and the 99th percentile of 200 is the third slowest
            double stallUs = STALL_MS * 1000.0;
            assertTrue(open.number("max_us") >= stallUs, open.out());
            assertTrue(open.number("p99_us") >= stallUs - 2 * intervalMs * 1000.0, open.out());
            assertTrue(open.number("p99_us") >= open.number("p90_us")
                    && open.number("p90_us") >= open.number("p50_us"), open.out());

            // the closed loop on the same server sees the stall once (its max), then skips the requests that would
            // have been sent during it: its 99th percentile stays under the open loop's
            stalled.set(false);
            Run closed = json("--mode", "latency", "--port", port, "--insecure", "--conns", String.valueOf(conns));
            assertTrue(stalled.get(), "the server never stalled");
            assertTrue(closed.number("max_us") >= stallUs, closed.out());
            assertTrue(closed.number("samples") > 100, "one slow sample of more than 100 is above the p99: "
                    + closed.out());
            assertTrue(closed.number("p99_us") < open.number("p99_us"), closed.out() + "\n" + open.out());
        }
    }

    @Test
    void theWarmupIsNotMeasured() throws Exception {
        AtomicBoolean stalled = new AtomicBoolean();
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(JsseProvider.SUN),
                stallingOnce(stalled))) {
            String port = String.valueOf(server.address().getPort());
            // the stall comes with the first request due, 0 s into a 2 s warm-up; the window holds 100 requests
            Run r = json("--mode", "rate", "--port", port, "--insecure", "--rate", "100", "--conns", "1",
                    "--warmup", "2s");
            assertTrue(stalled.get(), "the server never stalled");
            assertEquals(100, r.number("scheduled"), r.out());
            checkCounts(r, 0);
            assertTrue(r.number("max_us") < STALL_MS * 1000.0, "the warm-up's stall was measured: " + r.out());
        }
    }

    @Test
    void failuresAreCountedByCodeAndTheRestOfTheScheduleIsUnsent() throws Exception {
        // echoes the bench's check message and the first request, then ends the connection
        ConnectionHandler twoThenClose = s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16384];
            long echoed = 0;
            for (int n; echoed < 128 && (n = in.read(buf)) > 0; echoed += n) {
                out.write(buf, 0, n);
                out.flush();
            }
        };
        try (TlsServer server = EchoServers.start(ServerOptions.builder().provider(JsseProvider.SUN),
                twoThenClose)) {
            Run r = bench("--mode", "rate", "--port", String.valueOf(server.address().getPort()), "--insecure",
                    "--rate", "200", "--conns", "2", "--duration", "1s", "--warmup", "0s", "--json");
            assertEquals(0, r.code(), "one request succeeded on each connection: " + r.out() + r.err());
            assertEquals(200, r.number("scheduled"), r.out());
            assertEquals(2, r.number("ok"), r.out());
            assertEquals(2, r.number("failures"), "one failed request per connection: " + r.out());
            checkCounts(r, 2);
            assertTrue(r.out().contains("\"error_kinds\":{"), r.out());

            Run table = bench("--mode", "rate", "--port", String.valueOf(server.address().getPort()), "--insecure",
                    "--rate", "200", "--conns", "2", "--duration", "1s", "--warmup", "0s");
            assertEquals(0, table.code(), table.out() + table.err());
            assertTrue(table.out().contains("\nunsent 196 of the 200 requests due in the window"), table.out());
            assertTrue(table.out().contains("\nfailures by code: "), table.out());
            assertTrue(table.out().contains("\nfirst error: "), table.out());
        }
    }

    /**
     * The counts that must agree: every request due in the window was answered (ok), failed, or never sent; the
     * histogram holds one sample per answered request; the achieved rate is the answered ones per second.
     */
    private static void checkCounts(Run r, long failuresInWindow) {
        assertEquals(r.number("ok"), r.number("samples"), "histogram samples against requests answered: " + r.out());
        assertEquals(r.number("scheduled"), r.number("ok") + r.number("unsent") + failuresInWindow, r.out());
        assertEquals(r.number("ok") / r.number("secs"), r.number("rtt_per_s"), 0.01, r.out());
        assertTrue(r.number("max_us") >= r.number("p999_us") && r.number("p999_us") >= r.number("p99_us")
                && r.number("p99_us") >= r.number("p90_us") && r.number("p90_us") >= r.number("p50_us"), r.out());
    }

    /**
     * An echo that, once (while {@code stalled} is false), sits for {@link #STALL_MS} on the first byte of a
     * connection's second message, the first request after the bench's check echo (counted in bytes: the bench
     * sends 64-byte messages).
     */
    private static ConnectionHandler stallingOnce(AtomicBoolean stalled) {
        return s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[16384];
            long read = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                if (read <= 64 && read + n > 64 && stalled.compareAndSet(false, true)) {
                    Thread.sleep(STALL_MS);
                }
                read += n;
                out.write(buf, 0, n);
                out.flush();
            }
        };
    }
}
