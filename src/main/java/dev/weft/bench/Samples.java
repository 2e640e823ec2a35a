package dev.weft.bench;

import java.util.Arrays;
import java.util.Map;

/** Latency samples in nanoseconds: a growing long[], sorted once at the end (the closed-loop modes). */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    int size() {
        return size;
    }

    static Samples merge(Samples[] parts) {
        Samples all = new Samples();
        int total = 0;
        for (Samples p : parts) {
            total += p.size;
        }
        all.values = new long[Math.max(total, 1)];
        for (Samples p : parts) {
            System.arraycopy(p.values, 0, all.values, all.size, p.size);
            all.size += p.size;
        }
        Arrays.sort(all.values, 0, all.size);
        return all;
    }

    /** The {@code p} quantile in microseconds, as the Go harness picks it (index p * (n - 1)). */
    double micros(double p) {
        return size == 0 ? 0 : values[(int) (p * (size - 1))] / 1e3;
    }

    void putPercentiles(Map<String, Object> result) {
        result.put("p50_us", micros(0.50));
        result.put("p90_us", micros(0.90));
        result.put("p99_us", micros(0.99));
        result.put("p999_us", micros(0.999));
        result.put("max_us", size == 0 ? 0.0 : values[size - 1] / 1e3);
    }
}
