package dev.weft.bench;

import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The hold mode: open many connections, hold them, check a sample is still alive, close them. */
final class Hold {
    private Hold() {
    }

    static void run(Client client, Map<String, Object> result, Consumer<String> progress)
            throws InterruptedException {
        BenchSettings settings = client.settings;
        int count = settings.count();
        Duration holdTime = settings.holdFor();
        byte[] message = Client.message(settings.msg());
        List<TlsSocket> held = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        Workers threads = new Workers();
        for (int p = 0; p < Math.min(settings.dialPar(), count); p++) {
            threads.start("weft-bench-dial-" + p, () -> {
                byte[] buf = new byte[message.length];
                while (next.incrementAndGet() <= count) {
                    TlsSocket s = null;
                    try {
                        s = client.connect(client.fresh()); // its own context: a full handshake, as in handshake mode
                        client.reaper.echo(s, message, buf);
                        client.noteNegotiated(s);
                        held.add(s);
                    } catch (IOException | RuntimeException e) {
                        if (s != null) {
                            s.destroy();
                        }
                        client.failures.add(e);
                        long f = failed.incrementAndGet();
                        if (f > count / 10 + 10 || f > 100) {
                            return; // the server refuses or stalls: stop hammering it
                        }
                    }
                }
            });
        }
        threads.join();
        double openSecs = (System.nanoTime() - t0) / 1e9;
        int n = held.size();
        double heldSecs = 0;
        if (n > 0) {
            long ms = holdTime.toMillis();
            progress.accept(String.format(Locale.ROOT, "holding %d of %d connections (opened in %.2f s) for %s;"
                    + " Enter or Ctrl-C ends it sooner", n, count, openSecs,
                    ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms"));
            long h0 = System.nanoTime();
            waitForRelease(holdTime);
            heldSecs = (System.nanoTime() - h0) / 1e9;
        }
        // the server may have dropped some while they were held: echo on a sample of them
        int sampled = 0;
        int alive = 0;
        byte[] buf = new byte[message.length];
        for (int i = 0; i < n; i += 97) {
            sampled++;
            try {
                client.reaper.echo(held.get(i), message, buf);
                alive++;
            } catch (IOException | RuntimeException e) {
                client.failures.add(e);
            }
        }
        Client.closeAll(held);
        result.put("count", count);
        result.put("ok", (long) n);
        result.put("held", n);
        result.put("open_secs", openSecs);
        result.put("opened_per_s", n / openSecs);
        result.put("held_secs", heldSecs);
        result.put("sampled", sampled);
        result.put("sampled_alive", alive);
    }

    /** Returns after {@code time}, or sooner on Enter (on a terminal) or SIGINT. */
    private static void waitForRelease(Duration time) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        java.io.Console console = System.console();
        if (console != null && console.isTerminal()) {
            Thread.ofVirtual().start(() -> {
                try {
                    console.reader().read();
                } catch (IOException ignored) {
                    // no stdin: the time limit alone
                }
                release.countDown();
            });
        }
        sun.misc.SignalHandler previous = null;
        sun.misc.Signal sigint = null;
        try {
            sigint = new sun.misc.Signal("INT");
            previous = sun.misc.Signal.handle(sigint, s -> release.countDown());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            sigint = null; // no SIGINT here: the time limit alone
        }
        try {
            release.await(time.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (sigint != null) {
                sun.misc.Signal.handle(sigint, previous);
            }
        }
    }
}
