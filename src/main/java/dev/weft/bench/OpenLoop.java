package dev.weft.bench;

import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The rate mode, an open loop (as wrk2 runs one): requests are due at fixed intervals, {@code 1 / rate} apart
 * across the connections, whatever earlier ones took, and each request's latency is measured from the time it was
 * due, not from when it could be sent. A server that stalls for 300 ms delays every request due on that connection
 * meanwhile, and each of those counts the wait it was made to have: the latency a client sending at that rate would
 * see, where a closed loop ({@link Latency}) would record one slow round trip and skip the requests never sent
 * (coordinated omission).
 *
 * <p>Request {@code j} (numbered over all connections from the warm-up's start) is due at
 * {@code start + j / rate}; connection {@code i} sends requests {@code i, i + conns, i + 2 conns, ...}, one at a
 * time, each as soon as it is due and the previous one is back. A request is measured when it is due inside the
 * window. The warm-up runs on the same schedule; its requests a connection has not sent when the window opens are
 * dropped, so that a backlog of the warm-up's does not count in the window. A connection still behind its schedule
 * when the window ends stops there: the requests due in the window and not sent are counted as {@code unsent}, so
 * that {@code scheduled = ok + unsent + the in-window failures}, and the achieved rate is {@code ok} per second.
 * Latencies go to an HdrHistogram (three significant digits) per connection, merged at the end.
 */
final class OpenLoop {
    private OpenLoop() {
    }

    static void run(Client client, List<TlsSocket> open, Map<String, Object> result) throws InterruptedException {
        BenchSettings settings = client.settings;
        int n = open.size();
        int rate = settings.rate();
        byte[] message = Client.message(settings.msg());
        Window w = new Window(settings.warmup(), settings.duration());
        Schedule schedule = new Schedule(w.start(), rate);
        Histogram[] histograms = new Histogram[n];
        long[] completed = new long[n]; // each written by its connection's thread only, read after join
        long[] unsent = new long[n];
        Workers threads = new Workers();
        for (int i = 0; i < n; i++) {
            TlsSocket s = open.get(i);
            Histogram h = histograms[i] = new Histogram(3);
            int conn = i;
            threads.start("weft-bench-" + i, () -> {
                byte[] buf = new byte[message.length];
                long j = conn;
                try {
                    for (long due; (due = schedule.due(j)) - w.end() < 0; j += n) {
                        long now = System.nanoTime();
                        if (now - w.end() >= 0) {
                            break; // behind the schedule when the window ends: the rest is unsent
                        }
                        if (due - w.from() < 0 && now - w.from() >= 0) {
                            // the window has begun with warm-up requests still unsent: drop them, so that the
                            // window runs on its own schedule rather than on the warm-up's backlog
                            j = schedule.firstOf(conn, n, w.from()) - n;
                            continue;
                        }
                        Window.sleepUntil(due);
                        client.reaper.echo(s, message, buf);
                        if (w.contains(due)) {
                            h.recordValue(System.nanoTime() - due);
                            completed[conn]++;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    client.failures.add(e);
                    j += n; // the failed request was sent: a failure, not unsent
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (long due; (due = schedule.due(j)) - w.end() < 0; j += n) {
                    if (w.contains(due)) {
                        unsent[conn]++;
                    }
                }
            });
        }
        threads.join();
        Client.closeAll(open);
        Histogram all = new Histogram(3);
        long ok = 0;
        long notSent = 0;
        for (int i = 0; i < n; i++) {
            all.add(histograms[i]);
            ok += completed[i];
            notSent += unsent[i];
        }
        double secs = w.seconds();
        result.put("conns", n);
        result.put("msg", message.length);
        result.put("rate", rate);
        result.put("secs", secs);
        result.put("scheduled", schedule.count(w.from(), w.end()));
        result.put("ok", ok);
        result.put("samples", all.getTotalCount());
        result.put("unsent", notSent);
        result.put("rtt_per_s", ok / secs); // the achieved rate; the Go harness's name for round trips per second
        result.put("p50_us", all.getValueAtPercentile(50.0) / 1e3);
        result.put("p90_us", all.getValueAtPercentile(90.0) / 1e3);
        result.put("p99_us", all.getValueAtPercentile(99.0) / 1e3);
        result.put("p999_us", all.getValueAtPercentile(99.9) / 1e3);
        result.put("max_us", all.getMaxValue() / 1e3);
    }

    /** When each request is due: request {@code j} at {@code start + j / rate} seconds (nanoTime). */
    record Schedule(long start, int rate) {
        long due(long j) {
            return start + Math.round(j * 1e9 / rate);
        }

        /** How many requests are due in {@code [from, to)}. */
        long count(long from, long to) {
            return first(to) - first(from);
        }

        /** The first request of connection {@code conn} (of {@code n}) due at or after {@code t}. */
        long firstOf(int conn, int n, long t) {
            long j = first(t);
            return j + Math.floorMod(conn - j, n);
        }

        /** The first request due at or after {@code t}. */
        private long first(long t) {
            long j = Math.max(0, (long) Math.ceil((t - start) * (double) rate / 1e9));
            while (j > 0 && due(j - 1) - t >= 0) {
                j--;
            }
            while (due(j) - t < 0) {
                j++;
            }
            return j;
        }
    }
}
