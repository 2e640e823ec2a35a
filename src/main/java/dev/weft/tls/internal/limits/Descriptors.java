package dev.weft.tls.internal.limits;

import java.lang.management.ManagementFactory;

/**
 * How many connections the process's file-descriptor limit leaves room for.
 *
 * <p>Each connection costs the provider's {@link ProviderSupport#descriptorsPerConnection()} descriptors. Past
 * the limit, {@code accept} fails with "Too many open files" over and over, and Conscrypt fails inside native
 * code ({@code AppData::create pipe(2) failed}); a server that knows its room instead refuses the extra
 * connection cleanly, as {@code maxConnections} does, and says why.
 */
public final class Descriptors {
    /** Descriptors kept for everything else the process opens (files, logs, outgoing connections). */
    static final int RESERVE = 64;

    private Descriptors() {
    }

    /**
     * The connections that fit in the descriptors still free now, at {@code perConnection} each; -1 where the
     * limit cannot be read (not a Unix-like system).
     */
    public static int connectionRoom(int perConnection) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - RESERVE;
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, free / Math.max(1, perConnection)));
        }
        return -1;
    }

    /** The soft limit on open descriptors, or -1 where it cannot be read. */
    public static long limit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os
                ? os.getMaxFileDescriptorCount() : -1;
    }
}
