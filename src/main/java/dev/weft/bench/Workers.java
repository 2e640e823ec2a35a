package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;

/** A mode's worker threads: one virtual thread per worker or connection, started by name, joined together. */
final class Workers {
    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code body} on a new virtual thread named {@code name}. */
    void start(String name, Runnable body) {
        threads.add(Thread.ofVirtual().name(name).start(body));
    }

    /** Waits for every worker started to end. */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }
}
