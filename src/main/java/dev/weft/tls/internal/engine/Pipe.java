package dev.weft.tls.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory byte pipe: what is written to {@link #sink()} is read from {@link #source()}. A write waits
 * while the pipe is full, a read while it is empty; closing the sink ends the source once drained (-1); {@link
 * #fail} makes every waiting and later call on either end throw. One reader and one writer may work at once.
 */
public final class Pipe {
    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int head;
    private int count;
    private boolean sinkClosed;
    private boolean sourceClosed;
    private IOException failure;
    private final InputStream source = new Source();
    private final OutputStream sink = new Sink();

    /** A pipe holding at most {@code capacity} bytes. */
    public Pipe(int capacity) {
        ring = new byte[capacity];
    }

    /** {@return the reading end} */
    public InputStream source() {
        return source;
    }

    /** {@return the writing end} */
    public OutputStream sink() {
        return sink;
    }

    /** Fails both ends with {@code why}: waiting and later reads and writes throw it. The first failure stays. */
    public void fail(IOException why) {
        lock.lock();
        try {
            if (failure == null) {
                failure = why;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the pipe: the source reads what is left, then -1; a later write fails. */
    public void closeSink() {
        lock.lock();
        try {
            sinkClosed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the source at once, with whatever is still unread; a later write fails. */
    void closeSource() {
        lock.lock();
        try {
            sourceClosed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void await() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a pipe");
        }
    }

    private final class Source extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (count == 0) {
                    if (failure != null) {
                        throw failure;
                    }
                    if (sinkClosed || sourceClosed) {
                        return -1;
                    }
                    await();
                }
                if (failure != null) {
                    throw failure;
                }
                int n = Math.min(len, count);
                int first = Math.min(n, ring.length - head);
                System.arraycopy(ring, head, b, off, first);
                System.arraycopy(ring, 0, b, off + first, n - first);
                head = (head + n) % ring.length;
                count -= n;
                changed.signalAll();
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeSource();
        }
    }

    private final class Sink extends ArrayOutputStream {
        @Override
        protected void writeArray(byte[] b, int off, int len) throws IOException {
            lock.lock();
            try {
                while (len > 0) {
                    if (failure != null) {
                        throw failure;
                    }
                    if (sinkClosed || sourceClosed) {
                        throw new IOException("write on a closed pipe");
                    }
                    if (count == ring.length) {
                        await();
                        continue;
                    }
                    int tail = (head + count) % ring.length;
                    int n = Math.min(len, Math.min(ring.length - count, ring.length - tail));
                    System.arraycopy(b, off, ring, tail, n);
                    count += n;
                    off += n;
                    len -= n;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            closeSink();
        }
    }
}
