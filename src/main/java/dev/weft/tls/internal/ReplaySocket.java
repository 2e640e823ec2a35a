package dev.weft.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A connected socket whose input starts with bytes already read from it (a ClientHello read to find the SNI
 * name), for providers without {@code SSLSocketFactory.createSocket(Socket, InputStream, boolean)} (Conscrypt).
 * Everything else goes to the real socket; closing this closes it.
 */
public final class ReplaySocket extends Socket {
    private final Socket raw;
    private final InputStream in;
    private final byte[] first = new byte[5];
    private volatile int firstCount;
    private final RecordWatch records = new RecordWatch();
    private final boolean server;
    private volatile boolean peerEnded;
    private volatile dev.weft.tls.TlsException failure;
    private int replayLeft;
    private volatile Runnable beforeWaiting;

    ReplaySocket(Socket raw, byte[] consumed) throws IOException {
        this(raw, consumed, false);
    }

    /**
     * @param server whether this is a server's connection: then a client that starts a second handshake (TLS 1.2
     *               renegotiation, seen in the record headers, which TLS 1.2 sends in the clear) is cut off
     */
    ReplaySocket(Socket raw, byte[] consumed, boolean server) throws IOException {
        this.raw = raw;
        this.server = server;
        this.replayLeft = consumed.length;
        InputStream replayed = new SequenceInputStream(new ByteArrayInputStream(consumed), raw.getInputStream());
        this.in = new java.io.FilterInputStream(replayed) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                dev.weft.tls.TlsException why = failure;
                if (why != null) {
                    throw new dev.weft.tls.TlsException(why.code(), why.getMessage());
                }
                if (replayLeft == 0 && len > 0) {
                    Runnable hook = beforeWaiting;
                    if (hook != null) {
                        beforeWaiting = null;
                        hook.run(); // the replayed bytes are used up: this read waits for the peer
                    }
                }
                int n = super.read(b, off, len);
                if (n > 0 && replayLeft > 0) {
                    replayLeft -= n; // a replayed read returns replayed bytes only
                }
                if (n < 0) {
                    peerEnded = true;
                    return n;
                }
                record(b, off, n);
                if (records.observe(b, off, n) && ReplaySocket.this.server) {
                    fail(new dev.weft.tls.TlsException(ErrorCodes.SESSION_ATTACK, "client-initiated renegotiation "
                            + "refused: " + peer() + " started a second handshake"));
                    throw new dev.weft.tls.TlsException(ErrorCodes.SESSION_ATTACK, failure.getMessage());
                }
                return n;
            }
        };
    }

    /** Runs {@code hook} once, before the first read that goes past the replayed bytes to the peer. */
    void beforeWaiting(Runnable hook) {
        this.beforeWaiting = hook;
    }

    /** The peer as {@code address:port}, for messages. */
    String peer() {
        return raw.getInetAddress().getHostAddress() + ":" + raw.getPort();
    }

    /** Whether a read met the end of the peer's TCP stream. */
    public boolean peerEnded() {
        return peerEnded;
    }

    /** Why weft closed this connection, or null. */
    public dev.weft.tls.TlsException failure() {
        return failure;
    }

    private void fail(dev.weft.tls.TlsException why) {
        if (failure == null) {
            failure = why;
        }
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing is the point
        }
    }

    /**
     * Follows the TLS record headers a peer sends (design from the hostile-peers work on issue 7): after the
     * client's change_cipher_spec, its first handshake record is its Finished (TLS 1.2) or a second ClientHello
     * (TLS 1.3 after a HelloRetryRequest); any further handshake record opens a new handshake. TLS 1.3 hides
     * post-handshake messages (KeyUpdate) inside application_data records, so they pass.
     */
    private static final class RecordWatch {
        private final byte[] header = new byte[5];
        private int headerFill;
        private int skip;
        private boolean changeCipherSpec;
        private int handshakeRecordsAfterChangeCipherSpec;

        synchronized boolean observe(byte[] b, int off, int n) {
            boolean renegotiation = false;
            for (int i = off, end = off + n; i < end; ) {
                if (skip > 0) {
                    int k = Math.min(skip, end - i);
                    skip -= k;
                    i += k;
                    continue;
                }
                header[headerFill++] = b[i++];
                if (headerFill == 5) {
                    headerFill = 0;
                    skip = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    int type = header[0] & 0xff;
                    if (type == 20) {
                        changeCipherSpec = true;
                    } else if (type == 22 && changeCipherSpec) {
                        renegotiation |= ++handshakeRecordsAfterChangeCipherSpec > 1;
                    }
                }
            }
            return renegotiation;
        }
    }

    private void record(byte[] b, int off, int n) {
        int c = firstCount;
        if (n > 0 && c < first.length) {
            int take = Math.min(first.length - c, n);
            System.arraycopy(b, off, first, c, take);
            firstCount = c + take;
        }
    }

    /** The first bytes the peer sent (at most five: a record header), as read so far. */
    byte[] firstBytes() {
        return java.util.Arrays.copyOf(first, firstCount);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return raw.getOutputStream();
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        raw.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        raw.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return raw.isConnected();
    }

    @Override
    public boolean isBound() {
        return raw.isBound();
    }

    @Override
    public boolean isClosed() {
        return raw.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return raw.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return raw.isOutputShutdown();
    }

    @Override
    public InetAddress getInetAddress() {
        return raw.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return raw.getLocalAddress();
    }

    @Override
    public int getPort() {
        return raw.getPort();
    }

    @Override
    public int getLocalPort() {
        return raw.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return raw.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return raw.getLocalSocketAddress();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        raw.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return raw.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        raw.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return raw.getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        raw.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return raw.getKeepAlive();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        raw.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return raw.getSoLinger();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        raw.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return raw.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        raw.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return raw.getReceiveBufferSize();
    }

    @Override
    public String toString() {
        return "ReplaySocket[" + raw + "]";
    }
}
