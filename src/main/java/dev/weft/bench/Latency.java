package dev.weft.bench;

import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The latency mode, a closed loop: each connection sends its next message when the last echo is back, and a round
 * trip is timed from its actual send. A server that stalls delays the requests that would have been sent meanwhile,
 * and they are never timed: the rate mode ({@link OpenLoop}) times them.
 */
final class Latency {
    private Latency() {
    }

    static void run(Client client, List<TlsSocket> open, Map<String, Object> result) throws InterruptedException {
        BenchSettings settings = client.settings;
        int n = open.size();
        byte[] message = Client.message(settings.msg());
        Window w = new Window(settings.warmup(), settings.duration());
        Samples[] samples = new Samples[n];
        Workers threads = new Workers();
        for (int i = 0; i < n; i++) {
            TlsSocket s = open.get(i);
            Samples mine = samples[i] = new Samples();
            threads.start("weft-bench-" + i, () -> {
                byte[] buf = new byte[message.length];
                try {
                    while (!w.over()) {
                        long t0 = System.nanoTime();
                        client.reaper.echo(s, message, buf);
                        long took = System.nanoTime() - t0;
                        if (w.measuring()) {
                            mine.add(took);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    client.failures.add(e);
                }
            });
        }
        threads.join();
        Client.closeAll(open);
        double secs = w.seconds();
        Samples all = Samples.merge(samples);
        result.put("conns", n);
        result.put("msg", message.length);
        result.put("secs", secs);
        result.put("ok", (long) all.size());
        result.put("samples", all.size());
        result.put("rtt_per_s", all.size() / secs);
        all.putPercentiles(result);
    }
}
