package dev.weft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What this JVM holds, from Linux's {@code /proc}: open file descriptors, TCP sockets by state, live platform
 * threads and heap, for leak checks after hostile traffic.
 */
public final class ProcessSockets {
    /** The TCP state {@code /proc/net/tcp} writes as {@code 08}: the peer sent FIN and we have not closed. */
    public static final String CLOSE_WAIT = "08";

    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

    private ProcessSockets() {
    }

    /** One TCP socket of this process: its local and remote ports and its state (two hex digits). */
    public record TcpSocket(int localPort, int remotePort, String state, long inode) {
    }

    /** The number of open file descriptors of this JVM ({@code /proc/self/fd}). */
    public static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The inodes of the sockets this process holds open, from the {@code socket:[inode]} links in /proc/self/fd. */
    public static Set<Long> socketInodes() {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(Long.parseLong(m.group(1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing: not ours any more
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return inodes;
    }

    /** The TCP sockets (IPv4 and IPv6) that belong to this process. */
    public static List<TcpSocket> tcpSockets() {
        Set<Long> ours = socketInodes();
        List<TcpSocket> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException noIpv6) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10) {
                    continue;
                }
                long inode = Long.parseLong(f[9]);
                if (inode != 0 && ours.contains(inode)) {
                    out.add(new TcpSocket(port(f[1]), port(f[2]), f[3], inode));
                }
            }
        }
        return out;
    }

    /** This process's sockets in CLOSE_WAIT whose local port is one of {@code ports}. */
    public static List<TcpSocket> closeWait(Set<Integer> ports) {
        return tcpSockets().stream().filter(s -> s.state().equals(CLOSE_WAIT) && ports.contains(s.localPort()))
                .toList();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }

    /** The live platform threads, by name (virtual threads are not listed by the JVM). */
    public static List<String> platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).sorted()
                .toList();
    }

    /** Heap in use after a full GC, in bytes. */
    public static long heapAfterGc() {
        System.gc();
        System.gc();
        Runtime rt = Runtime.getRuntime(); // java.management is not read by the dev.weft module the tests patch
        return rt.totalMemory() - rt.freeMemory();
    }
}
