package dev.weft.tls.internal.limits;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines that blocking sockets lack (handshake, close), enforced by closing the socket from one shared daemon
 * thread, in the manner of Okio's {@code AsyncTimeout}. Closing the raw socket is the one abort that releases a
 * blocked handshake, read or write on every provider.
 */
public final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "weft-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Watchdog() {
    }

    /** Runs {@code action} after {@code delay} unless the returned future is cancelled first. */
    public static Future<?> schedule(Duration delay, Runnable action) {
        return TIMER.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
