package dev.weft.tls.internal.streams;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.internal.engine.ArrayOutputStream;
import dev.weft.tls.internal.errors.Errors;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The cleartext streams a {@code TlsSocket} hands out over weft's socket: failures named with Node's codes (a
 * truncation reads as the end, a reset as {@code ECONNRESET}, a received alert by its name), activity reported for
 * the idle timeout, and a {@code transferTo} that holds no buffer while the peer is silent.
 */
public final class CleartextStreams {
    private CleartextStreams() {
    }

    /**
     * As {@link #input(InputStream, Runnable)} over a connection weft watches ({@code wire}, may be null): when weft
     * closed it (a refused renegotiation) a read fails with weft's reason; when the peer ended the TCP stream
     * without close_notify a read returns -1, as in Node, whether the provider returned -1 or threw, and
     * {@code onTruncated} runs; when the peer reset it a read fails with {@code ECONNRESET}.
     */
    public static InputStream input(InputStream in, dev.weft.tls.internal.engine.Wire wire, Runnable activity,
            Runnable onTruncated) {
        InputStream checked = input(in, activity);
        if (wire == null) {
            return checked;
        }
        return new Input(checked) {
            @Override
            int readAvailableNow(byte[] b, int off, int len) throws IOException {
                if (!(in instanceof dev.weft.tls.internal.engine.NonBlockingInput now)) {
                    return super.readAvailableNow(b, off, len);
                }
                int n;
                try {
                    n = now.readNow(b, off, len);
                } catch (IOException e) {
                    return failed(e);
                }
                if (n > 0) {
                    activity.run();
                }
                return n;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = checked.read(b, off, len);
                } catch (IOException e) {
                    return failed(e);
                }
                if (n < 0 && wire.peerEnded()) {
                    onTruncated.run();
                }
                return n;
            }

            /** What a failed read means, in Node's terms: -1 for a truncation, else the failure with its code. */
            private int failed(IOException e) throws IOException {
                dev.weft.tls.TlsException why = wire.failure();
                if (why != null) {
                    throw new dev.weft.tls.TlsException(why.code(), why.getMessage(), e);
                }
                String alert = Errors.receivedAlertCode(e);
                if (alert != null) { // the peer said why it ends the connection: not a truncation
                    throw new dev.weft.tls.TlsException(alert, wire.peer() + " sent a fatal alert: "
                            + e.getMessage(), e);
                }
                if (wire.peerEnded()) {
                    onTruncated.run();
                    return -1;
                }
                boolean tlsError = e instanceof javax.net.ssl.SSLException
                        || e.getClass().getName().startsWith("org.bouncycastle.tls."); // BC's TlsFatalAlert
                if (tlsError && !(e instanceof dev.weft.tls.TlsException)) {
                    // a record that fails to decrypt or parse: the peer, or something between, broke TLS
                    throw new dev.weft.tls.TlsException(ErrorCode.TLS_PROTOCOL, "TLS error in data from "
                            + wire.peer() + ": " + e.getMessage(), e);
                }
                if (resetByPeer(e)) { // the kernel's word: never a close of ours
                    // as Node's read ECONNRESET: a code, not the JDK's bare SocketException
                    throw new dev.weft.tls.TlsException(ErrorCode.ECONNRESET, "read ECONNRESET: "
                            + wire.peer() + " reset the connection", e);
                }
                throw e;
            }
        };
    }

    /** Whether {@code e} (or a cause) is the JDK's report of a TCP reset from the peer. */
    private static boolean resetByPeer(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.SocketException && c.getMessage() != null
                    && c.getMessage().startsWith("Connection reset")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code in}, answering zero-length reads at once, checking bounds before the provider sees them, and calling
     * {@code activity} whenever bytes arrive.
     */
    public static InputStream input(InputStream in, Runnable activity) {
        return new Input(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                int n = in.read(b, off, len);
                if (n > 0) {
                    activity.run();
                }
                return n;
            }
        };
    }

    /**
     * A cleartext input stream whose {@link #transferTo} holds no buffer while it waits for the peer: an idle
     * connection piped to an output ({@code in.transferTo(out)}, Node's {@code socket.pipe(socket)}) costs no
     * 16 KiB array, as the default {@link InputStream#transferTo} would hold for the connection's whole life.
     */
    private abstract static class Input extends FilterInputStream {
        /** The most one step copies: what a large write sends in one call (many records). */
        private static final int MAX_STEP = dev.weft.tls.internal.engine.BufferPool.OUT;

        Input(InputStream in) {
            super(in);
        }

        /** What can be read now without waiting; 0 when nothing is. */
        int readAvailableNow(byte[] b, int off, int len) throws IOException {
            return available() > 0 ? read(b, off, len) : 0;
        }

        /** One byte, through {@link #read(byte[], int, int)} and so through its checks. */
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        /**
         * Waits for the first byte with no buffer, then copies what the provider has already decrypted
         * ({@link #available()}) through a buffer sized to it, and lets the buffer go before waiting again.
         */
        @Override
        public long transferTo(OutputStream out) throws IOException {
            Objects.requireNonNull(out, "out");
            long total = 0;
            for (int first; (first = read()) >= 0; ) {
                // the first byte decrypted a record: take the rest of it without waiting, then write it all
                int ready = available();
                int size = Math.min(MAX_STEP, 1 + Math.max(0, ready));
                // a large step borrows a pooled array (given back before waiting again); a small one allocates
                byte[] buffer = size > 16384 ? dev.weft.tls.internal.engine.BufferPool.SHARED.borrowOut()
                        : new byte[size];
                try {
                buffer[0] = (byte) first;
                int n = 1;
                while (ready > 0 && n < buffer.length) {
                    int got;
                    try {
                        got = readAvailableNow(buffer, n, buffer.length - n); // never waits for the peer
                    } catch (IOException e) {
                        out.write(buffer, 0, n); // what was read before the failure still goes out
                        throw e;
                    }
                    if (got < 0) {
                        out.write(buffer, 0, n);
                        return total + n;
                    }
                    if (got == 0) {
                        break;
                    }
                    n += got;
                    ready = n < buffer.length ? available() : 0;
                }
                out.write(buffer, 0, n);
                total += n;
                } finally {
                    dev.weft.tls.internal.engine.BufferPool.SHARED.giveBack(buffer);
                }
            }
            return total;
        }
    }

    /**
     * {@code out}, ignoring zero-length writes, passing arrays through whole (not byte by byte), refusing any
     * write once {@code ended} says the connection's writing side was ended, calling {@code activity} per write and
     * counting in {@code writing} the writes under way (blocked while the peer does not read).
     */
    public static OutputStream output(OutputStream out, java.util.function.BooleanSupplier ended,
            Runnable activity, java.util.concurrent.atomic.AtomicInteger writing) {
        return new ArrayOutputStream() {
            @Override
            protected void writeArray(byte[] b, int off, int len) throws IOException {
                if (ended.getAsBoolean()) {
                    throw new dev.weft.tls.TlsException(ErrorCode.WRITE_AFTER_END, "write after end");
                }
                if (len > 0) {
                    writing.incrementAndGet();
                    try {
                        out.write(b, off, len);
                    } finally {
                        writing.decrementAndGet();
                    }
                    activity.run();
                }
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
