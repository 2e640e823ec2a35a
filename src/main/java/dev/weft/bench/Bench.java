package dev.weft.bench;

import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Runs one bench: the connections, the mode's loop and its measured window, and the result. */
public final class Bench {
    private Bench() {
    }

    /**
     * Runs the bench {@code settings} describe against their server and returns what it measured. Failures of
     * single operations (a refused connection, a timed-out echo) are counted in the result, not thrown.
     *
     * @param settings what to run
     * @param progress takes a line of progress meant for a person while the run goes on (the hold mode says what
     *     it holds and how to end it sooner)
     * @return the result: its fields, in the order of the JSON output
     * @throws TlsException when the settings' secure context cannot be made (a bad CA file or cipher list)
     * @throws InterruptedException when the calling thread is interrupted while the bench runs
     */
    public static BenchResult run(BenchSettings settings, Consumer<String> progress)
            throws TlsException, InterruptedException {
        Tls.createSecureContext(settings.context()); // a bad CA or cipher list fails here, with its code
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("provider", settings.provider().cliName());
        result.put("mode", settings.mode().name());
        result.put("target", settings.host() + ":" + settings.port());
        if (settings.tls() != null) {
            result.put("tls", settings.tls());
        }
        Reaper reaper = new Reaper(settings.timeout());
        Client client = new Client(settings, reaper);
        try {
            switch (settings.mode()) {
                case handshake -> Handshakes.run(client, false, result);
                case resume -> Handshakes.run(client, true, result);
                case throughput -> Throughput.run(client, result);
                case latency -> Latency.run(client, result);
                case hold -> Hold.run(client, result, progress);
                case rate -> OpenLoop.run(client, result);
            }
        } finally {
            reaper.stop();
        }
        result.put("negotiated", client.negotiated());
        if (client.serverKey() != null) {
            result.put("server_key", client.serverKey());
        }
        client.failures.putInto(result);
        return new BenchResult(settings.mode(), result);
    }
}
