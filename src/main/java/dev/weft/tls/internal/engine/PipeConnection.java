package dev.weft.tls.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;

/**
 * A connection with no network under it: what {@link EngineSocket} reads comes from {@code incoming}, what it
 * writes goes to {@code outgoing}, both in-memory {@link Pipe}s that the application's transport moves to and from
 * the peer. So a {@code SecurePair} runs on the same driver as a socket. Closing it ends {@code outgoing} once
 * drained and fails reads of {@code incoming}; shutting its output down ends {@code outgoing} only.
 */
public final class PipeConnection extends Socket {
    private final Pipe incoming;
    private final Pipe outgoing;
    private final String name;
    private volatile boolean closed;
    private volatile boolean outputShut;

    /**
     * @param incoming what the peer sent, for the engine to read
     * @param outgoing what the engine wrote, for the transport to take to the peer
     * @param name     how messages name the peer
     */
    public PipeConnection(Pipe incoming, Pipe outgoing, String name) throws SocketException {
        super((java.net.SocketImpl) null);
        this.incoming = incoming;
        this.outgoing = outgoing;
        this.name = name;
    }

    @Override
    public InputStream getInputStream() {
        return incoming.source();
    }

    @Override
    public OutputStream getOutputStream() {
        return outgoing.sink();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        outgoing.closeSink();
        incoming.closeSource();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public java.net.InetAddress getInetAddress() {
        return null;
    }

    @Override
    public int getPort() {
        return 0;
    }

    @Override
    public java.net.SocketAddress getRemoteSocketAddress() {
        return null;
    }

    @Override
    public java.net.SocketAddress getLocalSocketAddress() {
        return null;
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
        outgoing.closeSink();
    }

    @Override
    public void shutdownInput() {
        incoming.closeSource();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut || closed;
    }

    @Override
    public void setSoTimeout(int timeout) {
        // a pipe has no read deadline: the pair's owner decides how long to wait
    }

    @Override
    public int getSoTimeout() {
        return 0;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // no network: nothing to delay
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Unused: a pipe connection is made connected. */
    @Override
    public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("a pipe connection is connected already");
    }
}
