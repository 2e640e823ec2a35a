package dev.weft.tls.internal.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Byte arrays a connection borrows only while bytes flow through it and gives back before it waits for its peer
 * again: an idle connection holds none. Two sizes: {@link #IN} for what arrives (a few TLS records at once, as the
 * kernel has them), {@link #OUT} for what leaves (many records wrapped from one large write, sent in one system
 * call). Free arrays are kept up to a budget of about 7 MiB ({@value #KEPT_IN} in, {@value #KEPT_OUT} out,
 * {@value #KEPT_PLAIN} plaintext buffers), enough for the connections that move bytes at the same moment on a
 * small machine; past it they go to the garbage collector, so a burst of connections does not leave the pool large.
 * Thread-safe.
 */
public final class BufferPool {
    /** Received bytes: room for four full TLS records, read in one call when the kernel holds that much. */
    static final int IN = 4 * 16_709;
    /** Bytes to send: up to sixteen full records wrapped from one write and sent in one call. */
    public static final int OUT = 16 * 16_709;
    /** Decrypted bytes of one record (the largest application buffer a provider asks for). */
    static final int PLAIN = 16_709;
    static final int KEPT_IN = 32;
    static final int KEPT_OUT = 16;
    static final int KEPT_PLAIN = 32;

    /** The pool every connection of the JVM borrows from. */
    public static final BufferPool SHARED = new BufferPool();

    private final ConcurrentLinkedQueue<java.nio.ByteBuffer> plain = new ConcurrentLinkedQueue<>();
    private final AtomicInteger plainKept = new AtomicInteger();
    private final ConcurrentLinkedQueue<byte[]> in = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> out = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inKept = new AtomicInteger();
    private final AtomicInteger outKept = new AtomicInteger();

    byte[] borrowIn() {
        byte[] b = in.poll();
        if (b == null) {
            return new byte[IN];
        }
        inKept.decrementAndGet();
        return b;
    }

    /** {@return an array of {@link #OUT} bytes, to give back with {@link #giveBack(byte[])} before waiting again} */
    public byte[] borrowOut() {
        byte[] b = out.poll();
        if (b == null) {
            return new byte[OUT];
        }
        outKept.decrementAndGet();
        return b;
    }

    /** A plaintext buffer of at least {@code size} bytes, cleared (write mode). */
    java.nio.ByteBuffer borrowPlain(int size) {
        java.nio.ByteBuffer b = plain.poll();
        if (b != null) {
            plainKept.decrementAndGet();
            if (b.capacity() >= size) {
                return b.clear();
            }
        }
        return java.nio.ByteBuffer.allocate(Math.max(size, PLAIN));
    }

    void giveBack(java.nio.ByteBuffer b) {
        if (b.capacity() == PLAIN && plainKept.incrementAndGet() <= KEPT_PLAIN) {
            plain.offer(b.clear());
        } else if (b.capacity() == PLAIN) {
            plainKept.decrementAndGet();
        }
    }

    /** Takes back an array borrowed from this pool; others are left to the garbage collector. */
    public void giveBack(byte[] b) {
        if (b.length == IN) {
            if (inKept.incrementAndGet() <= KEPT_IN) {
                in.offer(b);
            } else {
                inKept.decrementAndGet();
            }
        } else if (b.length == OUT) {
            if (outKept.incrementAndGet() <= KEPT_OUT) {
                out.offer(b);
            } else {
                outKept.decrementAndGet();
            }
        }
    }
}
