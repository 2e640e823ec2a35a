package dev.weft.tls.internal.provider;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.conscrypt.AllocatedBuffer;
import org.conscrypt.BufferAllocator;

/**
 * Direct buffers for Conscrypt, recycled instead of allocated (and zeroed) for every connection.
 *
 * <p>Without an allocator, each Conscrypt engine socket allocates a 16 KiB direct buffer for decrypted data
 * when its handshake starts and keeps another one for copying heap data to BoringSSL for its whole life. Profiled
 * under the benchmark harness's handshake load, allocating and zeroing those buffers was a third of Conscrypt's
 * Java-side time. With this allocator the copy buffer is borrowed for one call and returned, and the
 * decrypted-data buffer is returned when the socket closes.
 *
 * <p>Buffers come in power-of-two sizes from 1 KiB to 32 KiB and hold at most one TLS record. At most
 * {@value #KEPT_PER_SIZE} free buffers per size are kept (at most 32 MiB in all); more are left to the garbage
 * collector. Thread-safe and lock-free.
 */
final class ConscryptBufferAllocator extends BufferAllocator {
    static final ConscryptBufferAllocator SHARED = new ConscryptBufferAllocator();

    private static final int MIN_SHIFT = 10;
    private static final int MAX_SHIFT = 15;
    /**
     * The most a buffer holds: the size of the copy buffer Conscrypt uses without an allocator (one TLS record).
     * Given a buffer as large as it asks for, Conscrypt 2.5.2 encrypts a whole large write at once and its socket
     * then fails with "Unexpected engine result BUFFER_OVERFLOW"; capped, it writes one record per call as it
     * does unpooled.
     */
    private static final int MAX_CAPACITY = 16709;
    private static final int KEPT_PER_SIZE = 512;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedQueue<ByteBuffer>[] free = new ConcurrentLinkedQueue[MAX_SHIFT - MIN_SHIFT + 1];
    private final AtomicInteger[] kept = new AtomicInteger[free.length];

    ConscryptBufferAllocator() {
        for (int i = 0; i < free.length; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
            kept[i] = new AtomicInteger();
        }
    }

    @Override
    public AllocatedBuffer allocateDirectBuffer(int requested) {
        int capacity = Math.min(requested, MAX_CAPACITY);
        int shift = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(1, capacity) - 1));
        int size = shift - MIN_SHIFT;
        ByteBuffer whole = free[size].poll();
        if (whole == null) {
            whole = ByteBuffer.allocateDirect(1 << shift);
        } else {
            kept[size].decrementAndGet();
        }
        return new Borrowed(whole, size, capacity);
    }

    private void giveBack(ByteBuffer whole, int size) {
        if (kept[size].incrementAndGet() <= KEPT_PER_SIZE) {
            free[size].offer(whole.clear());
        } else {
            kept[size].decrementAndGet();
        }
    }

    /** A view of {@code capacity} bytes of a pooled buffer; released once, later releases are ignored. */
    private final class Borrowed extends AllocatedBuffer {
        private final ByteBuffer whole;
        private final ByteBuffer view;
        private final int size;
        private final AtomicInteger released = new AtomicInteger();

        Borrowed(ByteBuffer whole, int size, int capacity) {
            this.whole = whole;
            this.size = size;
            this.view = whole.clear().slice(0, capacity);
        }

        @Override
        public ByteBuffer nioBuffer() {
            return view;
        }

        @Override
        public AllocatedBuffer release() {
            if (released.compareAndSet(0, 1)) {
                giveBack(whole, size);
            }
            return this;
        }
    }
}
