package dev.weft.tls.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The cleartext streams a {@code TlsSocket} hands out: the provider's own, held to the {@link InputStream} and
 * {@link OutputStream} contracts where a provider is not.
 *
 * <p>Conscrypt 2.5.2's engine socket blocks on a zero-length read until a record arrives, where the contract
 * says such a read returns 0 at once. {@link InputStream#readNBytes(int)} makes exactly that call after its
 * last byte, so a request/response exchange over Conscrypt hung until the peer sent more.
 */
public final class CleartextStreams {
    private CleartextStreams() {
    }

    /** {@code in}, answering zero-length reads at once and checking bounds before the provider sees them. */
    public static InputStream input(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : in.read(b, off, len);
            }
        };
    }

    /**
     * {@code out}, ignoring zero-length writes, passing arrays through whole (not byte by byte), and refusing any
     * write once {@code ended} says the connection's writing side was ended.
     */
    public static OutputStream output(OutputStream out, java.util.function.BooleanSupplier ended) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (ended.getAsBoolean()) {
                    throw new dev.weft.tls.TlsException(ErrorCodes.WRITE_AFTER_END, "write after end");
                }
                if (len > 0) {
                    out.write(b, off, len);
                }
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
