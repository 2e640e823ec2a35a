package dev.weft.bench;

import dev.weft.tls.internal.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a bench run measured: named fields in a fixed order (as the JSON output writes them: {@code provider},
 * {@code mode}, {@code target}, the mode's figures, {@code negotiated}, {@code failures}, ...), and their two
 * printed forms.
 *
 * @param mode the mode that ran
 * @param fields the figures by name, in output order; numbers are {@link Integer}, {@link Long} or {@link Double}
 */
public record BenchResult(BenchMode mode, Map<String, Object> fields) {

    /** Keeps an unmodifiable copy of {@code fields}, in their order. */
    public BenchResult {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The operations that succeeded (handshakes, echoed bytes, round trips, held connections); 0 when none did. */
    public long ok() {
        Object ok = fields.get("ok");
        return ok == null ? 0 : ((Number) ok).longValue();
    }

    /** The first failure as {@code "CODE: message"}, or null when there was none. */
    public String firstError() {
        return (String) fields.get("first_error_message");
    }

    /** The result as one line of JSON (numbers to three decimals at most). */
    public String json() {
        return Json.write(fields);
    }

    /** The result as a table: a line of headings, a line of values, then what was negotiated and what failed. */
    public String table() {
        Map<String, Object> r = fields;
        List<String[]> cols = new ArrayList<>();
        cols.add(new String[] {"provider", str(r.get("provider"))});
        cols.add(new String[] {"mode", str(r.get("mode"))});
        switch (mode) {
            case handshake, resume -> {
                cols.add(new String[] {"workers", str(r.get("workers"))});
                cols.add(new String[] {"handshakes/s", num(r.get("handshakes_per_s"), 0)});
                if (mode == BenchMode.resume) {
                    cols.add(new String[] {"resumed/s", num(r.get("resumed_per_s"), 0)});
                    cols.add(new String[] {"resumed %", num(r.get("resumed_pct"), 1)});
                }
                cols.add(new String[] {"p50 us", num(r.get("p50_us"), 0)});
                cols.add(new String[] {"p99 us", num(r.get("p99_us"), 0)});
            }
            case throughput -> {
                cols.add(new String[] {"conns", str(r.get("conns"))});
                cols.add(new String[] {"chunk", str(r.get("chunk"))});
                cols.add(new String[] {"echoed MB/s", num(r.get("rx_MBps"), 1)});
                cols.add(new String[] {"sent MB/s", num(r.get("tx_MBps"), 1)});
            }
            case latency -> {
                cols.add(new String[] {"conns", str(r.get("conns"))});
                cols.add(new String[] {"round trips/s", num(r.get("rtt_per_s"), 0)});
                cols.add(new String[] {"p50 us", num(r.get("p50_us"), 0)});
                cols.add(new String[] {"p99 us", num(r.get("p99_us"), 0)});
                cols.add(new String[] {"p999 us", num(r.get("p999_us"), 0)});
            }
            case hold -> {
                cols.add(new String[] {"held", r.get("held") + "/" + r.get("count")});
                cols.add(new String[] {"open s", num(r.get("open_secs"), 2)});
                cols.add(new String[] {"opened/s", num(r.get("opened_per_s"), 0)});
                cols.add(new String[] {"alive", r.get("sampled_alive") + "/" + r.get("sampled")});
            }
            case rate -> {
                cols.add(new String[] {"conns", str(r.get("conns"))});
                cols.add(new String[] {"rate/s", str(r.get("rate"))});
                cols.add(new String[] {"achieved/s", num(r.get("rtt_per_s"), 0)});
                cols.add(new String[] {"p50 us", num(r.get("p50_us"), 0)});
                cols.add(new String[] {"p90 us", num(r.get("p90_us"), 0)});
                cols.add(new String[] {"p99 us", num(r.get("p99_us"), 0)});
                cols.add(new String[] {"p99.9 us", num(r.get("p999_us"), 0)});
                cols.add(new String[] {"max us", num(r.get("max_us"), 0)});
            }
        }
        cols.add(new String[] {"failures", str(r.get("failures"))});
        cols.add(new String[] {"first error", r.containsKey("first_error") ? str(r.get("first_error")) : "-"});
        StringBuilder head = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (String[] c : cols) {
            int width = Math.max(c[0].length(), c[1].length());
            boolean left = c[0].equals("provider") || c[0].equals("mode") || c[0].equals("first error");
            String f = "%" + (left ? "-" : "") + width + "s  ";
            head.append(String.format(Locale.ROOT, f, c[0]));
            row.append(String.format(Locale.ROOT, f, c[1]));
        }
        StringBuilder sb = new StringBuilder(head.toString().stripTrailing()).append('\n')
                .append(row.toString().stripTrailing());
        @SuppressWarnings("unchecked")
        List<String> neg = (List<String>) r.get("negotiated");
        if (!neg.isEmpty()) {
            sb.append("\nnegotiated ").append(String.join(", ", neg));
            if (r.get("server_key") != null) {
                sb.append("; server key ").append(r.get("server_key"));
            }
        }
        if (mode == BenchMode.rate) {
            if (r.get("unsent") instanceof Long unsent && unsent > 0) {
                sb.append("\nunsent ").append(unsent).append(" of the ").append(r.get("scheduled"))
                        .append(" requests due in the window: the rate was not kept up");
            }
            if (r.get("error_kinds") instanceof Map<?, ?> kinds) {
                sb.append("\nfailures by code: ").append(kinds.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            }
        }
        if (r.get("first_error_message") != null) {
            sb.append("\nfirst error: ").append(r.get("first_error_message"));
        }
        return sb.toString();
    }

    private static String str(Object o) {
        return String.valueOf(o);
    }

    private static String num(Object o, int decimals) {
        return o == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", ((Number) o).doubleValue());
    }
}
