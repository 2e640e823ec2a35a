package dev.weft.tls;

import dev.weft.tls.internal.limits.Descriptors;
import dev.weft.tls.internal.provider.ProviderSupport;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a {@link TlsServer} takes one more connection: past {@code maxConnections}, or past the connections the
 * process's file-descriptor limit leaves room for (measured when the server starts listening), it does not.
 * Counts the open connections. Thread-safe.
 */
final class Admission {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.server");

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean warnedDescriptors = new AtomicBoolean();
    private volatile int maxConnections;
    /** The connections the descriptor limit leaves room for, or -1 when unknown. */
    private volatile int descriptorRoom = -1;
    private volatile int descriptorsPerConnection = 1;

    /** Measures the room the descriptor limit leaves for connections of {@code support}'s provider. */
    void measure(ProviderSupport support) {
        descriptorsPerConnection = support.descriptorsPerConnection();
        descriptorRoom = Descriptors.connectionRoom(descriptorsPerConnection);
    }

    /**
     * Counts one more connection and returns true, or returns false when it must be dropped (warning once when
     * the descriptor limit is what drops it).
     */
    boolean admit(Object where, JsseProvider provider) {
        int limit = maxConnections;
        int room = descriptorRoom;
        boolean noDescriptors = room > 0 && open.get() >= room && (limit <= 0 || limit > room);
        if (noDescriptors && warnedDescriptors.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "dropping connections past {0} on {1}: {2} uses {3} file descriptors per "
                    + "connection and the limit is {4} (ulimit -n); raise it, or set maxConnections",
                    room, where, provider.cliName(), descriptorsPerConnection, Descriptors.limit());
        }
        if (noDescriptors || limit > 0 && open.get() >= limit) {
            return false;
        }
        open.incrementAndGet();
        return true;
    }

    /** Counts a connection that ended; returns how many are still open. */
    int ended() {
        return open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    void maxConnections(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("maxConnections must be >= 0: " + limit);
        }
        maxConnections = limit;
    }

    int maxConnections() {
        return maxConnections;
    }
}
