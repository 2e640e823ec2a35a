package dev.weft.tls;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A {@link TlsServer}'s listening socket and the one platform thread that accepts on it and does nothing else:
 * each connection goes to {@link ServerConnections#take} at once.
 */
final class Acceptor {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.server");

    private final ServerSocket socket;
    private final Thread thread;

    private Acceptor(ServerSocket socket, ServerConnections connections, BooleanSupplier closing) {
        this.socket = socket;
        this.thread = Thread.ofPlatform().name("weft-accept-" + socket.getLocalPort()).daemon(false)
                .start(() -> acceptLoop(connections, closing));
    }

    /**
     * Binds {@code host}:{@code port} (every address when {@code host} is null) and starts accepting.
     *
     * @throws TlsException {@code EADDRINUSE} when the port is taken
     */
    static Acceptor listen(String host, int port, ServerConnections connections, BooleanSupplier closing)
            throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(host == null ? new InetSocketAddress(port)
                    : new InetSocketAddress(InetAddress.getByName(host), port), 4096);
        } catch (BindException e) {
            ss.close();
            throw new TlsException(ErrorCode.EADDRINUSE, "listen EADDRINUSE: address already in use "
                    + (host == null ? "::" : host) + ":" + port, e);
        }
        return new Acceptor(ss, connections, closing);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    /**
     * Closes the listening socket and waits for the thread to leave {@code accept}: the JDK closes a socket a thread
     * is blocked on only then, and until then the port still completes handshakes. So "closed" means refused.
     */
    void close() {
        if (!socket.isClosed()) {
            TlsSocket.closeQuietly(socket);
            LOG.log(Level.INFO, "stopped accepting on {0}", socket.getLocalSocketAddress());
        }
        if (thread != Thread.currentThread()) {
            join(Duration.ofSeconds(5));
        }
    }

    void join(Duration atMost) {
        try {
            thread.join(atMost);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop(ServerConnections connections, BooleanSupplier closing) {
        while (!socket.isClosed()) {
            Socket raw;
            try {
                raw = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.WARNING, "accept failed on {0}: {1}", address(), e.toString());
                    pause();
                }
                continue;
            }
            try {
                raw.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // the connection is already gone; the handshake will say so
            }
            // one accepted in the instant close() ran is served too (and drained): the client connected while the
            // port was open and must not be reset mid-handshake; close() returns only once this loop has ended
            connections.take(raw, address());
            if (closing.getAsBoolean()) {
                break;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10); // e.g. out of file descriptors: do not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
