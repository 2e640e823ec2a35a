package dev.weft.cli;

import dev.weft.bench.Bench;
import dev.weft.bench.BenchMode;
import dev.weft.bench.BenchResult;
import dev.weft.bench.BenchSettings;
import dev.weft.tls.ContextOptions;
import dev.weft.tls.ErrorCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft bench}: a load generator on weft's own client, one virtual thread per connection, against any TLS
 * echo server. The modes and their numbers follow the neutral Go harness ({@code bench/loadgen}). This class parses
 * the options into a {@link BenchSettings}, runs {@link Bench} and prints its {@link BenchResult}; the load
 * generator itself is the package {@code dev.weft.bench}.
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
                "  rate        open loop (as wrk2): --rate requests/s across --conns connections, each sending --msg"
                        + " bytes and waiting for the echo. Requests are due at fixed intervals whatever earlier"
                        + " ones took, and each one's latency counts from when it was due, not when it was sent (no"
                        + " coordinated omission): achieved rate, p50/p90/p99/p99.9/max in us.",
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
                "  ./weft bench --mode rate --port 8443 --insecure --rate 2000 --conns 8",
                "  ./weft bench --mode hold --port 8443 --insecure --count 1000 --hold-for 1m",
                "  openssl s_server -accept 8443 -cert cert.pem -key key.pem -rev &",
                "  ./weft bench --mode handshake --port 8443 --insecure --workers 4"})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mode", defaultValue = "handshake", paramLabel = "MODE",
            description = "handshake, resume, throughput, latency, hold or rate. Default: ${DEFAULT-VALUE}.")
    BenchMode mode;

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

    @Option(names = "--conns", description = "throughput, latency, rate: connections. Default: 1 for throughput, 8"
            + " for latency and rate.")
    Integer conns;

    @Option(names = "--rate", paramLabel = "N", description = "rate: requests per second across all connections"
            + " (required there).")
    Integer rate;

    @Option(names = "--msg", defaultValue = "64", paramLabel = "BYTES", description = "Bytes echoed per handshake"
            + " and per latency or rate round trip. Default: ${DEFAULT-VALUE}.")
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
        BenchSettings settings = new BenchSettings(mode, host, port, provider.provider(), tls, c.build(),
                servername, insecure, negotiation.alpn, workers, conns != null ? conns : mode.defaultConns(), msg,
                chunk, count, dialPar, holdFor != null ? holdFor : duration, duration, warmup, timeout,
                rate != null ? rate : 0);
        PrintWriter err = spec.commandLine().getErr();
        BenchResult result = Bench.run(settings, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? result.json() : result.table());
        out.flush();
        boolean none = result.ok() == 0;
        String first = result.firstError();
        if (none && first != null) {
            err.println("weft: bench: no operation succeeded; first error " + first
                    + (first.startsWith(ErrorCode.ECONNREFUSED.code()) ? "" : hint(first)));
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
        if (mode == BenchMode.rate && rate == null) {
            throw usage("--mode rate needs --rate N (requests per second across the connections)");
        }
        if (rate != null && rate < 1) {
            throw usage("--rate must be at least 1 request per second, got " + rate);
        }
        if (rate != null && mode != BenchMode.rate) {
            throw usage("--rate is for --mode rate");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
