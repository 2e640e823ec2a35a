package dev.weft.bench;

import dev.weft.tls.ClientOptions;
import dev.weft.tls.TlsSession;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The handshake and resume modes: workers loop {connect, handshake, echo, close}. */
final class Handshakes {
    private Handshakes() {
    }

    static void run(Client client, boolean resume, Map<String, Object> result) throws InterruptedException {
        BenchSettings settings = client.settings;
        int workers = settings.workers();
        Window w = new Window(settings.warmup(), settings.duration());
        byte[] message = Client.message(settings.msg());
        LongAdder full = new LongAdder();
        LongAdder resumed = new LongAdder();
        AtomicLong everOk = new AtomicLong();
        Samples[] samples = new Samples[workers];
        Workers threads = new Workers();
        for (int i = 0; i < workers; i++) {
            Samples mine = samples[i] = new Samples();
            threads.start("weft-bench-" + i, () -> {
                byte[] buf = new byte[message.length];
                TlsSession last = null;
                while (!w.over()) {
                    long t0 = System.nanoTime();
                    try {
                        // handshake: a new secure context each time, as Node's tls.connect makes one per call;
                        // a shared one would resume from its cache by host:port on its own (Conscrypt even on
                        // TLS 1.3, where invalidating the session does not stop it)
                        ClientOptions o = resume && last != null ? client.resuming(last) : client.fresh();
                        try (TlsSocket s = client.connect(o)) {
                            long took = System.nanoTime() - t0;
                            try {
                                client.reaper.echo(s, message, buf);
                            } finally {
                                client.reaper.forget(s);
                            }
                            boolean reused = s.isSessionReused();
                            if (resume) {
                                last = s.session();
                            }
                            everOk.incrementAndGet();
                            if (w.measuring()) {
                                (reused ? resumed : full).increment();
                                mine.add(took);
                                client.noteNegotiated(s);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        client.failures.add(e);
                        if (everOk.get() == 0 && client.failures.count() >= workers) {
                            w.abort(); // the server refuses everything: do not hammer it for the whole window
                        }
                        Client.pause();
                    }
                }
            });
        }
        threads.join();
        double secs = w.seconds();
        long f = full.sum();
        long r = resumed.sum();
        Samples all = Samples.merge(samples);
        result.put("workers", workers);
        result.put("secs", secs);
        result.put("ok", f + r);
        result.put("handshakes_per_s", (f + r) / secs);
        if (resume) {
            result.put("resumed_per_s", r / secs);
            result.put("resumed_pct", f + r == 0 ? 0.0 : 100.0 * r / (f + r));
            if (f + r > 0) {
                result.put("resume_ratio", (double) r / (f + r)); // the Go harness's name, 0 to 1
            }
        }
        result.put("full", f);
        result.put("resumed", r);
        all.putPercentiles(result);
    }
}
