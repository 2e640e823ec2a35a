package dev.weft.bench;

import dev.weft.tls.ContextOptions;
import dev.weft.tls.JsseProvider;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One bench run's settings, as the command line's options give them (its defaults already applied).
 *
 * @param mode what to measure
 * @param host the server's address
 * @param port the server's port, 1 to 65535
 * @param provider the client's TLS provider
 * @param tls {@code "1.2"} or {@code "1.3"} when the versions were narrowed that way (reported only; the versions
 *     themselves are in {@code context}), else null
 * @param context the secure context's options (versions, ciphers, CAs); each connection's context is made from them
 * @param servername the SNI name ({@code ""} sends none), or null for the default
 * @param insecure true not to refuse a server whose certificate does not verify
 * @param alpn ALPN protocols to offer, most preferred first
 * @param workers handshake, resume: concurrent workers
 * @param conns throughput, latency, rate: connections
 * @param msg bytes echoed per handshake and per round trip, at least 2
 * @param chunk throughput: bytes per write
 * @param count hold: connections to open
 * @param dialPar hold: connections opened concurrently
 * @param holdFor hold: how long to hold the connections once open
 * @param duration the measured window
 * @param warmup the unmeasured warm-up before the window (zero for none)
 * @param timeout the deadline for connect + handshake, and for each echo
 * @param rate rate: requests per second across all connections (0 in the other modes)
 */
public record BenchSettings(BenchMode mode, String host, int port, JsseProvider provider, String tls,
        ContextOptions context, String servername, boolean insecure, List<String> alpn, int workers, int conns,
        int msg, int chunk, int count, int dialPar, Duration holdFor, Duration duration, Duration warmup,
        Duration timeout, int rate) {

    /** Checks what the modes rely on; the command line reports each of these as a usage error first. */
    public BenchSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(context, "context");
        alpn = List.copyOf(alpn);
        Objects.requireNonNull(holdFor, "holdFor");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65535 || workers < 1 || count < 1 || dialPar < 1 || msg < 2 || chunk < 1
                || (mode.defaultConns() > 0 && conns < 1) || (mode == BenchMode.rate && rate < 1) || rate < 0) {
            throw new IllegalArgumentException("bench settings out of range: port " + port + ", workers " + workers
                    + ", conns " + conns + ", msg " + msg + ", chunk " + chunk + ", count " + count + ", dialPar "
                    + dialPar + ", rate " + rate);
        }
    }
}
