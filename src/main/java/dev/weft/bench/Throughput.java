package dev.weft.bench;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** The throughput mode: each connection writes chunks while another thread reads the echo. */
final class Throughput {
    private Throughput() {
    }

    static void run(Client client, List<TlsSocket> open, Map<String, Object> result) throws InterruptedException {
        BenchSettings settings = client.settings;
        int n = open.size();
        byte[] data = new byte[settings.chunk()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder tx = new LongAdder();
        LongAdder rx = new LongAdder();
        Workers threads = new Workers();
        for (TlsSocket s : open) {
            threads.start("weft-bench-writer", () -> {
                try {
                    OutputStream out = s.getOutputStream();
                    while (!stop.get()) {
                        out.write(data);
                        out.flush();
                        tx.add(data.length);
                        // a write that fits the socket buffer does not park, and virtual threads are not
                        // time-sliced: without this the writers keep the carriers from the readers (and from an
                        // in-process server) until the buffers fill
                        Thread.yield();
                    }
                } catch (IOException | RuntimeException e) {
                    if (!stop.get()) {
                        client.failures.add(e);
                    }
                }
            });
            threads.start("weft-bench-reader", () -> {
                try {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[64 * 1024];
                    for (int r; (r = in.read(buf)) > 0; ) {
                        rx.add(r);
                    }
                    if (!stop.get()) {
                        client.failures.add(new TlsException(ErrorCode.BENCH_EOF, "the server ended the connection"));
                    }
                } catch (IOException | RuntimeException e) {
                    if (!stop.get()) {
                        client.failures.add(e);
                    }
                }
            });
        }
        Window w = new Window(settings.warmup(), settings.duration());
        w.sleepUntilMeasuring();
        long tx0 = tx.sum();
        long rx0 = rx.sum();
        w.sleepUntilOver();
        long tx1 = tx.sum();
        long rx1 = rx.sum();
        stop.set(true);
        open.forEach(TlsSocket::destroy); // unblocks the readers and writers at once
        threads.join();
        double secs = w.seconds();
        result.put("conns", n);
        result.put("chunk", settings.chunk());
        result.put("secs", secs);
        result.put("ok", rx1 - rx0); // bytes echoed back in the window
        result.put("rx_MBps", (rx1 - rx0) / secs / 1e6);
        result.put("tx_MBps", (tx1 - tx0) / secs / 1e6);
    }
}
