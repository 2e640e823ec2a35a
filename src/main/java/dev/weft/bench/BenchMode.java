package dev.weft.bench;

/**
 * What a bench run measures. The constants are lower case as the command line and the JSON output write them
 * ({@code --mode handshake}, {@code "mode":"handshake"}).
 */
public enum BenchMode {
    /** Workers loop {connect, full handshake, echo, close}: handshakes/s and handshake latency. */
    handshake(0),
    /** As {@link #handshake}, each worker offering its last session: resumed/s and resumption %. */
    resume(0),
    /** Connections each write chunks while reading the echo: MB/s echoed back. */
    throughput(1),
    /** Connections ping-pong a message (closed loop): round trips/s and their latency. */
    latency(8),
    /** Open a number of connections, hold them, then close them: how many opened and how fast. */
    hold(0),
    /**
     * Open loop: requests scheduled at a fixed rate across the connections whatever earlier ones took, each one's
     * latency measured from its scheduled send time (no coordinated omission).
     */
    rate(8);

    private final int defaultConns;

    BenchMode(int defaultConns) {
        this.defaultConns = defaultConns;
    }

    /** The connections this mode uses when none are given (0 where the mode does not use the setting). */
    public int defaultConns() {
        return defaultConns;
    }
}
