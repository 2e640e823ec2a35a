package dev.weft.tls.internal.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An {@code OutputStream} that works on arrays only: a single byte goes through {@link #writeArray} like any other
 * write, after the one bounds check every subclass would otherwise repeat.
 */
public abstract class ArrayOutputStream extends OutputStream {
    /** For subclasses. */
    protected ArrayOutputStream() {
    }

    @Override
    public final void write(int b) throws IOException {
        writeArray(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        writeArray(b, off, len);
    }

    /**
     * Writes {@code len} bytes of {@code b} from {@code off}; the range has been checked.
     *
     * @param b the bytes
     * @param off where they start
     * @param len how many
     * @throws IOException when they cannot be written
     */
    protected abstract void writeArray(byte[] b, int off, int len) throws IOException;
}
