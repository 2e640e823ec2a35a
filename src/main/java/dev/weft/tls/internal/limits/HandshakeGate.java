package dev.weft.tls.internal.limits;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the handshakes that compute at once, and under overload serves the newest first.
 *
 * <p>A server handshake passes the gate once its whole ClientHello has arrived and leaves it when the provider
 * next waits for the client (its first read past the ClientHello) or when the handshake ends. So only the CPU
 * part is bounded (key exchange, signature, the first flight): a silent or slow client holds no permit while
 * weft waits for its bytes, and cannot keep others from being served.
 *
 * <p>When more handshakes are ready than there are permits, the one that arrived last is served first. Measured
 * with the benchmark harness's load generator (1024 clients, each giving up after 1 s), a first-come order
 * collapsed: every handshake queued behind older ones whose clients had already left, and nearly all timed out
 * together. Newest-first completes the ones whose clients still wait; the oldest wait until load drops or their
 * handshake deadline passes. Without overload nobody waits and the order does not matter.
 *
 * <p>One gate serves the JVM (the CPU is shared by every server in it): {@link #SHARED}, with two permits per
 * processor. Thread-safe.
 */
public final class HandshakeGate {
    /** The JVM's gate: two handshakes computing per processor. */
    public static final HandshakeGate SHARED = new HandshakeGate(2 * Runtime.getRuntime().availableProcessors());

    private final int permits;
    private int inUse;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

    HandshakeGate(int permits) {
        this.permits = permits;
    }

    private static final class Waiter {
        final CountDownLatch granted = new CountDownLatch(1);
    }

    /**
     * Waits at most {@code timeout} for a permit.
     *
     * @return the pass to release, or null when the time ran out first
     */
    public Pass enter(Duration timeout) throws InterruptedException {
        Waiter w;
        synchronized (this) {
            if (inUse < permits) {
                inUse++;
                return new Pass();
            }
            w = new Waiter();
            waiting.push(w); // newest first
        }
        if (w.granted.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS)) {
            return new Pass();
        }
        synchronized (this) {
            if (w.granted.getCount() == 0) {
                return new Pass(); // granted as the time ran out
            }
            waiting.remove(w);
            return null;
        }
    }

    private synchronized void leave() {
        Waiter next = waiting.poll();
        if (next != null) {
            next.granted.countDown(); // the permit passes on directly
        } else {
            inUse--;
        }
    }

    /** Permits in use now (for tests). */
    synchronized int inUse() {
        return inUse;
    }

    /** Handshakes waiting now (for tests). */
    synchronized int waiting() {
        return waiting.size();
    }

    /** A held permit; {@link #release()} gives it back once, later calls do nothing. */
    public final class Pass implements Runnable {
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Pass() {
        }

        /** Gives the permit back (the first call only). */
        public void release() {
            if (held.compareAndSet(true, false)) {
                leave();
            }
        }

        @Override
        public void run() {
            release();
        }
    }
}
