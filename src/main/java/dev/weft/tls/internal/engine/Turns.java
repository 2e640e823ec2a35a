package dev.weft.tls.internal.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * When a connection's virtual thread gives its carrier to other connections. A virtual thread is never preempted: a
 * connection whose peer keeps the socket full (and drains what it is sent) never blocks, so two such connections
 * hold both carriers of a 2-core machine while the others wait for seconds (measured with
 * {@code conformance/fair/run}: 64 connections echoing at once, the slowest got 0.7 MB/s of a 17 MB/s fair share;
 * in the load generator's throughput mode up to 54 of them went 3 s without an echo). So a connection that keeps
 * its thread busy takes turns: after {@link #TURN_BYTES} read (and, apart, sent) it parks for 1 ns. A timed park
 * and not {@code Thread.yield()}: a yielding virtual thread goes back on its carrier's local queue, which the
 * scheduler drains before it looks at threads woken by I/O, so with yields some connections got nothing at all for
 * ten seconds.
 *
 * <p>Turns cost system calls (the scheduler's timer thread and an idle carrier are woken), so they are taken only
 * when more connections stream than there are carriers to run them: a lone bulk transfer never pays. A connection
 * streams from a read that fills the inbound array or a bulk send until a read that empties the kernel's queue, a
 * wait for the peer, or its close; request and response traffic never streams.
 */
final class Turns {
    /** About 2 ms of work on this machine (Netty reads a channel 16 times, 1 MiB at most, before it moves on). */
    static final int TURN_BYTES = 2 << 20;
    private static final int CARRIERS = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
            Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger STREAMING = new AtomicInteger();

    private Turns() {
    }

    /** One more (or, with {@code -1}, one fewer) connection streams. */
    static void streaming(int change) {
        STREAMING.addAndGet(change);
    }

    /**
     * Adds {@code moved} bytes to {@code sinceTurn}; past {@link #TURN_BYTES}, after a busy transfer ({@code busy}: a
     * read that filled the array, a bulk send) and with more connections streaming than carriers, the current
     * virtual thread lets the others run. {@return the bytes since the last turn}
     */
    static int take(int sinceTurn, int moved, boolean busy) {
        int total = sinceTurn + moved;
        if (total < TURN_BYTES || !busy) {
            return Math.min(total, TURN_BYTES);
        }
        if (STREAMING.get() > CARRIERS && Thread.currentThread().isVirtual()) {
            LockSupport.parkNanos(1);
        }
        return 0;
    }
}
