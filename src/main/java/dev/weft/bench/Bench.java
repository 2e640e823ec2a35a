package dev.weft.bench;

import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsSocket;
import java.util.LinkedHashMap;
import java.util.List;
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
                case throughput -> onConnections(client, result, Throughput::run);
                case latency -> onConnections(client, result, Latency::run);
                case hold -> Hold.run(client, result, progress);
                case rate -> onConnections(client, result, OpenLoop::run);
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

    /** A mode that runs on connections opened for it beforehand (throughput, latency, rate). */
    private interface ConnectionsMode {
        void run(Client client, List<TlsSocket> open, Map<String, Object> result) throws InterruptedException;
    }

    /**
     * Opens the {@code --conns} connections and runs {@code mode} on them; when they cannot all be opened nothing is
     * measured, and the result says how many were asked for (and at what rate) with {@code ok} 0.
     */
    private static void onConnections(Client client, Map<String, Object> result, ConnectionsMode mode)
            throws InterruptedException {
        BenchSettings settings = client.settings;
        List<TlsSocket> open = client.openAll(settings.conns());
        if (open.isEmpty()) {
            result.put("conns", settings.conns());
            if (settings.mode() == BenchMode.rate) {
                result.put("rate", settings.rate());
            }
            result.put("ok", 0L);
            return;
        }
        mode.run(client, open, result);
    }
}
