package dev.weft.bench;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deadlines for echoes: a connection mid-echo for longer than the timeout is destroyed, which fails the blocked
 * read or write. One virtual thread checks every 50 ms, so an echo costs two volatile writes.
 */
final class Reaper {
    private final long limit;
    private final Map<TlsSocket, long[]> busy = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopped;

    Reaper(Duration timeout) {
        limit = timeout.toNanos();
        thread = Thread.ofVirtual().name("weft-bench-reaper").start(() -> {
            while (!stopped) {
                long now = System.nanoTime();
                busy.forEach((s, since) -> {
                    long t = since[0];
                    if (t != 0 && now - t > limit) {
                        s.destroy();
                    }
                });
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Writes {@code message} and reads as many bytes back, checking they are the same, within the deadline. */
    void echo(TlsSocket s, byte[] message, byte[] buf) throws IOException {
        long[] since = busy.computeIfAbsent(s, k -> new long[1]);
        since[0] = System.nanoTime();
        try {
            OutputStream out = s.getOutputStream();
            out.write(message);
            out.flush();
            InputStream in = s.getInputStream();
            int got = 0;
            while (got < message.length) {
                int r = in.read(buf, got, message.length - got);
                if (r < 0) {
                    throw new TlsException(ErrorCode.BENCH_EOF, "the server ended the connection after " + got
                            + " of " + message.length + " echoed bytes");
                }
                got += r;
            }
            if (!Arrays.equals(buf, 0, message.length, message, 0, message.length)) {
                throw new TlsException(ErrorCode.BENCH_ECHO_MISMATCH, "the server sent back other bytes than"
                        + " it was sent: not an echo server?");
            }
        } catch (IOException e) {
            if (since[0] != 0 && System.nanoTime() - since[0] > limit) {
                throw new TlsException(ErrorCode.BENCH_TIMEOUT, "no echo within " + limit / 1_000_000 + " ms", e);
            }
            throw e;
        } finally {
            since[0] = 0;
        }
    }

    void forget(TlsSocket s) {
        busy.remove(s);
    }

    void stop() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join();
    }
}
