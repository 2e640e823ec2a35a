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
final class ReplaySocket extends Socket {
    private final Socket raw;
    private final InputStream in;
    private final byte[] first = new byte[5];
    private volatile int firstCount;

    ReplaySocket(Socket raw, byte[] consumed) throws IOException {
        this.raw = raw;
        InputStream replayed = new SequenceInputStream(new ByteArrayInputStream(consumed), raw.getInputStream());
        this.in = new java.io.FilterInputStream(replayed) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    record(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                record(b, off, n);
                return n;
            }
        };
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
