package dev.weft.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The measured window: {@code warmup} unmeasured, then {@code duration} measured, from construction. */
final class Window {
    private final long start = System.nanoTime();
    private final long measureFrom;
    private final long measureTo;
    private volatile long abortedAt;

    Window(Duration warmup, Duration duration) {
        measureFrom = start + warmup.toNanos();
        measureTo = measureFrom + duration.toNanos();
    }

    /** When the window was made (the warm-up's start), in {@link System#nanoTime()}'s terms. */
    long start() {
        return start;
    }

    /** When the measured window begins (the warm-up's end), in {@link System#nanoTime()}'s terms. */
    long from() {
        return measureFrom;
    }

    /** When the measured window ends, in {@link System#nanoTime()}'s terms. */
    long end() {
        return measureTo;
    }

    boolean measuring() {
        long now = System.nanoTime();
        return now >= measureFrom && now < measureTo && abortedAt == 0;
    }

    /** Whether the instant {@code t} (nanoTime) is inside the measured window. */
    boolean contains(long t) {
        return t - measureFrom >= 0 && t - measureTo < 0;
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

    /** Sleeps until the instant {@code t} (nanoTime), in steps of at most 50 ms. */
    static void sleepUntil(long t) throws InterruptedException {
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
