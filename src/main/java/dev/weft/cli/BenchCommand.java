package dev.weft.cli;

import dev.weft.tls.ClientOptions;
import dev.weft.tls.ContextOptions;
import dev.weft.tls.SecureContext;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsSession;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft bench}: a load generator on weft's own client, one virtual thread per connection, against any TLS
 * echo server. The modes and their numbers follow the neutral Go harness ({@code bench/loadgen}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load generator on weft's client (one virtual thread per connection) against any TLS echo"
                + " server, on the provider chosen with --provider. Prints one table, or one JSON object with --json.",
                "Modes:",
                "  handshake   --workers loop {connect, full handshake, echo --msg bytes, close}: handshakes/s and"
                        + " handshake latency (TCP connect + TLS handshake).",
                "  resume      as handshake, each worker offering its last session: resumed/s and resumption %%.",
                "  throughput  --conns connections each write --chunk bytes while reading the echo: MB/s echoed"
                        + " back (10^6 bytes).",
                "  latency     --conns connections ping-pong --msg bytes: round trips/s, p50/p99/p999 in us.",
                "  hold        open --count connections (handshake + echo), hold them --hold-for (or until Enter"
                        + " or Ctrl-C), then close them: how many opened and how fast.",
                "Timed modes run --warmup unmeasured, then measure for --duration. Failures are counted by error"
                        + " code and the first one is reported; a server that refuses every connection ends the"
                        + " run early. The server must echo: './weft serve --mode echo', 'openssl s_server -rev'"
                        + " (the message is a palindrome ending in a newline, so a line-reversing echo fits).",
                "Verification is on by default, as in 'weft connect' (and Node): give --ca for a server with its"
                        + " own CA, or --insecure. The chain is checked either way (to report why), which costs"
                        + " client CPU on the same cores as a loopback server.",
                "Exit status: 0 when operations succeeded (failures, if any, are in the table), 1 when none did,"
                        + " 2 for bad usage."},
        footer = {"", "Examples:",
                "  ./weft serve --mode echo --port 8443 --provider conscrypt &",
                "  ./weft bench --mode handshake --port 8443 --insecure --provider sun",
                "  ./weft bench --mode resume --port 8443 --insecure --provider bc --tls 1.2",
                "  ./weft bench --mode throughput --port 8443 --insecure --conns 4 --duration 30s",
                "  ./weft bench --mode latency --port 8443 --ca ca.pem --servername localhost --json",
                "  ./weft bench --mode hold --port 8443 --insecure --count 1000 --hold-for 1m",
                "  openssl s_server -accept 8443 -cert cert.pem -key key.pem -rev &",
                "  ./weft bench --mode handshake --port 8443 --insecure --workers 4"})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    enum Mode { handshake, resume, throughput, latency, hold }

    @Option(names = "--mode", defaultValue = "handshake", paramLabel = "MODE",
            description = "handshake, resume, throughput, latency or hold. Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--port", required = true, description = "Server port.")
    int port;

    @Mixin
    ProviderOption provider;

    @Option(names = "--tls", paramLabel = "1.2|1.3", description = "Only TLS 1.3, or at most TLS 1.2 (as the Go"
            + " harness's -tls). Default: weft's (TLS 1.2 to 1.3; the server picks).")
    String tls;

    @Mixin
    NegotiationOptions negotiation;

    @Option(names = "--servername", description = "SNI name, also checked against the certificate. \"\" sends none.")
    String servername;

    @Option(names = "--ca", paramLabel = "FILE", description = "Trusted CA(s), PEM (repeatable). Default: the JDK's roots.")
    List<Path> ca = List.of();

    @Option(names = "--insecure", description = "Do not refuse a server whose certificate does not verify"
            + " (rejectUnauthorized: false).")
    boolean insecure;

    @Option(names = "--workers", defaultValue = "16", description = "handshake, resume: concurrent workers."
            + " Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--conns", description = "throughput, latency: connections. Default: 1 for throughput, 8 for"
            + " latency.")
    Integer conns;

    @Option(names = "--msg", defaultValue = "64", paramLabel = "BYTES", description = "Bytes echoed per handshake"
            + " and per latency round trip. Default: ${DEFAULT-VALUE}.")
    int msg;

    @Option(names = "--chunk", defaultValue = "16384", paramLabel = "BYTES", description = "throughput: bytes per"
            + " write. Default: ${DEFAULT-VALUE}.")
    int chunk;

    @Option(names = "--count", defaultValue = "1000", description = "hold: connections to open. Default:"
            + " ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--dial-par", defaultValue = "32", paramLabel = "N", description = "hold: connections opened"
            + " concurrently. Default: ${DEFAULT-VALUE}.")
    int dialPar;

    @Option(names = "--hold-for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "hold: how long to hold the connections once open. Default: --duration.")
    Duration holdFor;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Measured window (500ms, 10s, 2m). Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", paramLabel = "DURATION", converter = WarmupConverter.class,
            description = "Unmeasured warm-up before the window (0s for none). Default: ${DEFAULT-VALUE}.")
    Duration warmup;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Deadline for connect + handshake, and for each echo. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    /** Zero allowed: {@code --warmup 0s}. */
    static final class WarmupConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.trim().matches("0+(ms|s|m|h)?") ? Duration.ZERO : new DurationConverter().convert(value);
        }
    }

    private ContextOptions contextOptions;
    private final Failures failures = new Failures();
    private final Set<String> negotiated = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> serverKey = new AtomicReference<>();
    private Reaper reaper;

    @Override
    public Integer call() throws Exception {
        checkUsage();
        ContextOptions.Builder c = ContextOptions.builder();
        negotiation.applyTo(c);
        if ("1.3".equals(tls)) {
            c.minVersion("TLSv1.3").maxVersion("TLSv1.3");
        } else if ("1.2".equals(tls)) {
            c.maxVersion("TLSv1.2");
        }
        ca.forEach(c::ca);
        contextOptions = c.build();
        Tls.createSecureContext(contextOptions); // a bad --ca or --ciphers fails here, with its code
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("provider", provider.provider().cliName());
        result.put("mode", mode.name());
        result.put("target", host + ":" + port);
        if (tls != null) {
            result.put("tls", tls);
        }
        reaper = new Reaper(timeout);
        try {
            switch (mode) {
                case handshake -> handshakes(false, result);
                case resume -> handshakes(true, result);
                case throughput -> throughput(result);
                case latency -> latency(result);
                case hold -> hold(result);
            }
        } finally {
            reaper.stop();
        }
        result.put("negotiated", new TreeSet<>(negotiated).stream().toList());
        if (serverKey.get() != null) {
            result.put("server_key", serverKey.get());
        }
        failures.putInto(result);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? dev.weft.tls.internal.Json.write(result) : table(result));
        out.flush();
        boolean none = ((Number) result.get("ok")).longValue() == 0;
        if (none && failures.first() != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("weft: bench: no operation succeeded; first error " + failures.first()
                    + (failures.first().startsWith("ECONNREFUSED") ? "" : hint(failures.first())));
            err.flush();
        }
        return none ? 1 : 0;
    }

    private static String hint(String first) {
        return first.matches("(?s)[A-Z_]*(CERT|LEAF|ISSUER|ALTNAME|SIGNATURE)[A-Z_]*:.*")
                ? " (give --ca FILE, or --insecure)" : "";
    }

    private void checkUsage() {
        if (port < 1 || port > 65535) {
            throw usage("--port must be 1 to 65535, got " + port);
        }
        if (tls != null && !tls.equals("1.2") && !tls.equals("1.3")) {
            throw usage("--tls must be 1.2 or 1.3, got '" + tls + "'");
        }
        if (tls != null && (negotiation.minVersion != null || negotiation.maxVersion != null)) {
            throw usage("give --tls or --min-version/--max-version, not both");
        }
        if (insecure && !ca.isEmpty()) {
            throw usage("give --ca or --insecure, not both");
        }
        if (workers < 1 || (conns != null && conns < 1) || count < 1 || dialPar < 1) {
            throw usage("--workers, --conns, --count and --dial-par must be at least 1");
        }
        if (msg < 2 || chunk < 1) {
            throw usage("--msg must be at least 2 bytes and --chunk at least 1");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Client options with a new secure context (so an empty session cache), as Node's tls.connect makes. */
    private ClientOptions clientOptions() throws TlsException {
        return clientBuilder().secureContext(Tls.createSecureContext(contextOptions)).build();
    }

    /** Client options resuming {@code session}, which brings its own secure context. */
    private ClientOptions resuming(TlsSession session) {
        return clientBuilder().session(session).build();
    }

    private ClientOptions.Builder clientBuilder() {
        return ClientOptions.builder().provider(provider.provider()).rejectUnauthorized(!insecure)
                .servername(servername).alpnProtocols(negotiation.alpn()).handshakeTimeout(timeout);
    }

    private TlsSocket connect(ClientOptions options) throws TlsException {
        TlsSocket s = Tls.connect(port, host, options);
        if (serverKey.get() == null && !s.peerCertificateChain().isEmpty()) {
            serverKey.compareAndSet(null, s.peerCertificateChain().getFirst().getPublicKey().getAlgorithm());
        }
        return s;
    }

    private void noteNegotiated(TlsSocket s) {
        negotiated.add(s.cipher().standardName() + " " + s.protocol()); // as the Go harness writes it
    }

    // ---------- handshake / resume ----------

    private void handshakes(boolean resume, Map<String, Object> result) throws InterruptedException {
        Window w = new Window(warmup, duration);
        byte[] message = message(msg);
        LongAdder full = new LongAdder();
        LongAdder resumed = new LongAdder();
        AtomicLong everOk = new AtomicLong();
        Samples[] samples = new Samples[workers];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Samples mine = samples[i] = new Samples();
            threads.add(Thread.ofVirtual().name("weft-bench-" + i).start(() -> {
                byte[] buf = new byte[message.length];
                TlsSession last = null;
                while (!w.over()) {
                    long t0 = System.nanoTime();
                    try {
                        // handshake: a new secure context each time, as Node's tls.connect makes one per call;
                        // a shared one would resume from its cache by host:port on its own (Conscrypt even on
                        // TLS 1.3, where invalidating the session does not stop it)
                        ClientOptions o = resume && last != null ? resuming(last) : clientOptions();
                        try (TlsSocket s = connect(o)) {
                            long took = System.nanoTime() - t0;
                            try {
                                reaper.echo(s, message, buf);
                            } finally {
                                reaper.forget(s);
                            }
                            boolean reused = s.isSessionReused();
                            if (resume) {
                                last = s.session();
                            }
                            everOk.incrementAndGet();
                            if (w.measuring()) {
                                (reused ? resumed : full).increment();
                                mine.add(took);
                                noteNegotiated(s);
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                        if (everOk.get() == 0 && failures.count() >= workers) {
                            w.abort(); // the server refuses everything: do not hammer it for the whole window
                        }
                        pause();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
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

    // ---------- throughput ----------

    private void throughput(Map<String, Object> result) throws InterruptedException {
        int n = conns == null ? 1 : conns;
        List<TlsSocket> open = openAll(n);
        if (open.isEmpty()) {
            result.put("conns", n);
            result.put("ok", 0L);
            return;
        }
        byte[] data = new byte[chunk];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder tx = new LongAdder();
        LongAdder rx = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (TlsSocket s : open) {
            threads.add(Thread.ofVirtual().name("weft-bench-writer").start(() -> {
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
                        failures.add(e);
                    }
                }
            }));
            threads.add(Thread.ofVirtual().name("weft-bench-reader").start(() -> {
                try {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[64 * 1024];
                    for (int r; (r = in.read(buf)) > 0; ) {
                        rx.add(r);
                    }
                    if (!stop.get()) {
                        failures.add(new TlsException("ERR_WEFT_BENCH_EOF", "the server ended the connection"));
                    }
                } catch (IOException | RuntimeException e) {
                    if (!stop.get()) {
                        failures.add(e);
                    }
                }
            }));
        }
        Window w = new Window(warmup, duration);
        w.sleepUntilMeasuring();
        long tx0 = tx.sum();
        long rx0 = rx.sum();
        w.sleepUntilOver();
        long tx1 = tx.sum();
        long rx1 = rx.sum();
        stop.set(true);
        open.forEach(TlsSocket::destroy); // unblocks the readers and writers at once
        for (Thread t : threads) {
            t.join();
        }
        double secs = w.seconds();
        result.put("conns", n);
        result.put("chunk", chunk);
        result.put("secs", secs);
        result.put("ok", rx1 - rx0); // bytes echoed back in the window
        result.put("rx_MBps", (rx1 - rx0) / secs / 1e6);
        result.put("tx_MBps", (tx1 - tx0) / secs / 1e6);
    }

    // ---------- latency ----------

    private void latency(Map<String, Object> result) throws InterruptedException {
        int n = conns == null ? 8 : conns;
        List<TlsSocket> open = openAll(n);
        if (open.isEmpty()) {
            result.put("conns", n);
            result.put("ok", 0L);
            return;
        }
        byte[] message = message(msg);
        Window w = new Window(warmup, duration);
        Samples[] samples = new Samples[n];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TlsSocket s = open.get(i);
            Samples mine = samples[i] = new Samples();
            threads.add(Thread.ofVirtual().name("weft-bench-" + i).start(() -> {
                byte[] buf = new byte[message.length];
                try {
                    while (!w.over()) {
                        long t0 = System.nanoTime();
                        reaper.echo(s, message, buf);
                        long took = System.nanoTime() - t0;
                        if (w.measuring()) {
                            mine.add(took);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        closeAll(open);
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

    // ---------- hold ----------

    private void hold(Map<String, Object> result) throws Exception {
        Duration holdTime = holdFor != null ? holdFor : duration;
        byte[] message = message(msg);
        List<TlsSocket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < Math.min(dialPar, count); p++) {
            threads.add(Thread.ofVirtual().name("weft-bench-dial-" + p).start(() -> {
                byte[] buf = new byte[message.length];
                while (next.incrementAndGet() <= count) {
                    TlsSocket s = null;
                    try {
                        s = connect(clientOptions()); // its own context: a full handshake, as in handshake mode
                        reaper.echo(s, message, buf);
                        noteNegotiated(s);
                        held.add(s);
                    } catch (IOException | RuntimeException e) {
                        if (s != null) {
                            s.destroy();
                        }
                        failures.add(e);
                        long f = failed.incrementAndGet();
                        if (f > count / 10 + 10 || f > 100) {
                            return; // the server refuses or stalls: stop hammering it
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double openSecs = (System.nanoTime() - t0) / 1e9;
        PrintWriter err = spec.commandLine().getErr();
        int n = held.size();
        double heldSecs = 0;
        if (n > 0) {
            long ms = holdTime.toMillis();
            err.printf(Locale.ROOT, "holding %d of %d connections (opened in %.2f s) for %s; Enter or Ctrl-C ends"
                    + " it sooner%n", n, count, openSecs, ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms");
            err.flush();
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
                reaper.echo(held.get(i), message, buf);
                alive++;
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        closeAll(held);
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

    // ---------- shared ----------

    /** Opens {@code n} connections for throughput or latency (with one echo each); none open when one fails. */
    private List<TlsSocket> openAll(int n) throws InterruptedException {
        List<TlsSocket> open = new ArrayList<>();
        byte[] message = message(msg);
        byte[] buf = new byte[message.length];
        try {
            ClientOptions options = clientOptions();
            for (int i = 0; i < n; i++) {
                TlsSocket s = connect(options);
                open.add(s);
                reaper.echo(s, message, buf);
                noteNegotiated(s);
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
            closeAll(open);
            open.clear();
        }
        return open;
    }

    /** Closes every socket (close_notify), in parallel so a slow peer costs one close's bound, not n. */
    private static void closeAll(List<TlsSocket> sockets) throws InterruptedException {
        List<Thread> closing = new ArrayList<>();
        synchronized (sockets) {
            for (TlsSocket s : sockets) {
                closing.add(Thread.ofVirtual().start(s::close));
            }
        }
        for (Thread t : closing) {
            t.join();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The Go harness's message: a palindrome of {@code n} bytes ending in a newline, so a line-reversing echo
     * ({@code openssl s_server -rev}) sends the same bytes back.
     */
    static byte[] message(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n - 1; i++) {
            b[i] = (byte) ('a' + Math.min(i, n - 2 - i) % 26);
        }
        b[n - 1] = '\n';
        return b;
    }

    /** The measured window: {@code warmup} unmeasured, then {@code duration} measured, from construction. */
    static final class Window {
        private final long start = System.nanoTime();
        private final long measureFrom;
        private final long measureTo;
        private volatile long abortedAt;

        Window(Duration warmup, Duration duration) {
            measureFrom = start + warmup.toNanos();
            measureTo = measureFrom + duration.toNanos();
        }

        boolean measuring() {
            long now = System.nanoTime();
            return now >= measureFrom && now < measureTo && abortedAt == 0;
        }

        boolean over() {
            return abortedAt != 0 || System.nanoTime() >= measureTo;
        }

        void abort() {
            if (abortedAt == 0) {
                abortedAt = System.nanoTime();
            }
        }

        void sleepUntilMeasuring() throws InterruptedException {
            sleepUntil(measureFrom);
        }

        void sleepUntilOver() throws InterruptedException {
            sleepUntil(measureTo);
        }

        private static void sleepUntil(long t) throws InterruptedException {
            for (long left; (left = t - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000));
            }
        }

        /** The measured seconds: the window, or the part of it before an abort (at least a millisecond). */
        double seconds() {
            long end = abortedAt != 0 ? Math.min(abortedAt, measureTo) : measureTo;
            return Math.max(end - measureFrom, 1_000_000) / 1e9;
        }
    }

    /** Latency samples in nanoseconds: a growing long[], sorted once at the end. */
    static final class Samples {
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

    /** Failures by code (TlsException.code(), else the exception's class), and the first one with its message. */
    static final class Failures {
        private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();
        private final AtomicReference<String> first = new AtomicReference<>();
        private final LongAdder total = new LongAdder();

        void add(Throwable e) {
            String code = e instanceof TlsException t ? t.code() : e.getClass().getSimpleName();
            total.increment();
            if (byCode.size() < 16 || byCode.containsKey(code)) {
                byCode.computeIfAbsent(code, k -> new LongAdder()).increment();
            }
            first.compareAndSet(null, code + ": " + e.getMessage());
        }

        long count() {
            return total.sum();
        }

        String first() {
            return first.get();
        }

        void putInto(Map<String, Object> result) {
            result.put("failures", total.sum());
            if (first.get() != null) {
                result.put("first_error", first.get().substring(0, first.get().indexOf(':')));
                result.put("first_error_message", first.get());
                Map<String, Object> codes = new LinkedHashMap<>();
                byCode.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(en -> codes.put(en.getKey(), en.getValue().sum()));
                result.put("error_kinds", codes); // the Go harness's name; its "errors" count is "failures"
            }
        }
    }

    /**
     * Deadlines for echoes: a connection mid-echo for longer than the timeout is destroyed, which fails the
     * blocked read or write. One virtual thread checks every 50 ms, so an echo costs two volatile writes.
     */
    static final class Reaper {
        private final long limit;
        private final Map<TlsSocket, long[]> busy = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean stopped;

        Reaper(Duration timeout) {
            limit = timeout.toNanos();
            thread = Thread.ofVirtual().name("weft-bench-reaper").start(() -> {
                while (!stopped) {
                    long now = System.nanoTime();
                    busy.forEach((s, since) -> {
                        long t = since[0];
                        if (t != 0 && now - t > limit) {
                            s.destroy();
                        }
                    });
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        /** Writes {@code message} and reads as many bytes back, checking they are the same, within the deadline. */
        void echo(TlsSocket s, byte[] message, byte[] buf) throws IOException {
            long[] since = busy.computeIfAbsent(s, k -> new long[1]);
            since[0] = System.nanoTime();
            try {
                OutputStream out = s.getOutputStream();
                out.write(message);
                out.flush();
                InputStream in = s.getInputStream();
                int got = 0;
                while (got < message.length) {
                    int r = in.read(buf, got, message.length - got);
                    if (r < 0) {
                        throw new TlsException("ERR_WEFT_BENCH_EOF", "the server ended the connection after " + got
                                + " of " + message.length + " echoed bytes");
                    }
                    got += r;
                }
                if (!Arrays.equals(buf, 0, message.length, message, 0, message.length)) {
                    throw new TlsException("ERR_WEFT_BENCH_ECHO_MISMATCH", "the server sent back other bytes than"
                            + " it was sent: not an echo server?");
                }
            } catch (IOException e) {
                if (since[0] != 0 && System.nanoTime() - since[0] > limit) {
                    throw new TlsException("ERR_WEFT_BENCH_TIMEOUT", "no echo within " + limit / 1_000_000 + " ms",
                            e);
                }
                throw e;
            } finally {
                since[0] = 0;
            }
        }

        void forget(TlsSocket s) {
            busy.remove(s);
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join();
        }
    }

    // ---------- output ----------

    private String table(Map<String, Object> r) {
        List<String[]> cols = new ArrayList<>();
        cols.add(new String[] {"provider", str(r.get("provider"))});
        cols.add(new String[] {"mode", str(r.get("mode"))});
        switch (mode) {
            case handshake, resume -> {
                cols.add(new String[] {"workers", str(r.get("workers"))});
                cols.add(new String[] {"handshakes/s", num(r.get("handshakes_per_s"), 0)});
                if (mode == Mode.resume) {
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
