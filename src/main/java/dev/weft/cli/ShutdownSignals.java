package dev.weft.cli;

import dev.weft.tls.TlsServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code weft serve}'s SIGTERM and SIGINT: the first drains the server ({@link TlsServer#shutdown}), a second one
 * closes what is left at once. Handled with {@code sun.misc.Signal} rather than a shutdown hook: a hook makes the JVM
 * exit with 143 and cannot see a second signal.
 */
final class ShutdownSignals {
    private final TlsServer server;
    private final Duration grace;
    private final AtomicInteger signals = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);

    private ShutdownSignals(TlsServer server, Duration grace) {
        this.server = server;
        this.grace = grace;
    }

    /** Handles SIGTERM and SIGINT for {@code server} from now on. */
    static ShutdownSignals drainOnSignal(TlsServer server, Duration grace) {
        ShutdownSignals s = new ShutdownSignals(server, grace);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> s.received());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // a platform without this signal: the other one, or killing the process, ends it
            }
        }
        return s;
    }

    private void received() {
        if (signals.incrementAndGet() == 1) {
            Thread.ofPlatform().name("weft-drain").start(this::drain);
        } else {
            server.closeNow();
        }
    }

    private void drain() {
        try {
            server.shutdown(grace);
        } catch (InterruptedException e) {
            server.closeNow();
        } finally {
            done.countDown();
        }
    }

    /** Waits until a signal has shut the server down (or it was closed some other way and its connections ended). */
    void await() throws InterruptedException {
        while (!done.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            if (signals.get() == 0 && !server.isListening() && server.awaitClose(Duration.ZERO)) {
                return;
            }
        }
    }
}
