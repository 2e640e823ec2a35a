package dev.weft.tls;

import dev.weft.tls.internal.ErrorCodes;
import dev.weft.tls.internal.ProviderSupport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A TLS server: Node's {@code tls.Server}. Made by {@link Tls#createServer}; starts with {@link #listen}.
 *
 * <p>Threading: one platform thread accepts and does nothing else. Each accepted connection gets its own virtual
 * thread, which runs the TLS handshake and then the {@link ConnectionHandler}. A connection that fails before the
 * handler is reported to {@link #onClientError} and never stops the listener. All methods are thread-safe.
 *
 * <p>Differences from Node: {@link #close()} may be called again (Node v20 reports {@code ERR_SERVER_NOT_RUNNING});
 * the {@code 'close'} event is {@link #awaitClose(Duration)}; the {@code 'drop'} event is {@link #onDrop}.
 */
public final class TlsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.server");

    private final ServerOptions options;
    private final ConnectionHandler handler;
    private final JsseProvider provider;
    private final ProviderSupport support;
    private volatile SecureContext context;
    private volatile ClientErrorHandler clientErrorHandler = TlsServer::logClientError;
    private volatile Consumer<InetSocketAddress> dropHandler = r -> LOG.log(Level.DEBUG, "dropped {0}: maxConnections", r);
    private volatile int maxConnections;

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition allClosed = lock.newCondition();
    private volatile ServerSocket serverSocket;
    private volatile boolean closing;
    private Thread acceptor;

    TlsServer(ServerOptions options, ConnectionHandler handler, SecureContext context) throws TlsException {
        this.options = options;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.provider = JsseProvider.resolve(options.provider());
        this.support = ProviderSupport.of(provider);
        this.context = context;
        context.sslContext(provider); // fail now, not at the first handshake
    }

    /** Listens on {@code port} (0 picks a free one) on every local address. */
    public TlsServer listen(int port) throws IOException {
        return listen(port, null, null);
    }

    /** Listens on {@code host}:{@code port}; {@code host} null means every local address. */
    public TlsServer listen(int port, String host) throws IOException {
        return listen(port, host, null);
    }

    /**
     * Listens on {@code host}:{@code port} and returns once bound; then runs {@code onBound} (Node's
     * {@code 'listening'} callback) if given.
     *
     * @throws TlsException {@code EADDRINUSE} when the port is taken, {@code ERR_SERVER_ALREADY_LISTEN} when
     *                      called twice
     */
    public TlsServer listen(int port, String host, Runnable onBound) throws IOException {
        lock.lock();
        try {
            if (serverSocket != null || closing) {
                throw new TlsException(ErrorCodes.SERVER_ALREADY_LISTEN, "listen() was already called on " + this);
            }
            ServerSocket ss = new ServerSocket();
            ss.setReuseAddress(true);
            try {
                ss.bind(host == null ? new InetSocketAddress(port)
                        : new InetSocketAddress(InetAddress.getByName(host), port), 4096);
            } catch (BindException e) {
                ss.close();
                throw new TlsException("EADDRINUSE", "listen EADDRINUSE: address already in use "
                        + (host == null ? "::" : host) + ":" + port, e);
            }
            serverSocket = ss;
            acceptor = Thread.ofPlatform().name("weft-accept-" + ss.getLocalPort()).daemon(false)
                    .start(() -> acceptLoop(ss));
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, "listening on {0} ({1})", address(), provider.cliName());
        if (onBound != null) {
            onBound.run();
        }
        return this;
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket raw;
            try {
                raw = ss.accept();
            } catch (IOException e) {
                if (!ss.isClosed()) {
                    LOG.log(Level.WARNING, "accept failed on {0}: {1}", address(), e.toString());
                    pause();
                }
                continue;
            }
            if (closing) {
                // accepted in the instant close() ran: refuse it as a closed port would
                TlsSocket.closeQuietly(raw);
                break;
            }
            try {
                raw.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // the connection is already gone; the handshake will say so
            }
            int limit = maxConnections;
            if (limit > 0 && connections.get() >= limit) {
                InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
                TlsSocket.closeQuietly(raw);
                dropHandler.accept(remote);
                continue;
            }
            connections.incrementAndGet();
            live.add(raw);
            Thread.ofVirtual().name("weft-conn-" + accepted.incrementAndGet()).start(() -> serve(raw));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10); // e.g. out of file descriptors: do not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(Socket raw) {
        InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
        TlsSocket socket = null;
        try {
            socket = Tls.serverHandshake(raw, context, provider, options, new byte[0]);
        } catch (TlsException e) {
            reportClientError(e, remote);
        } catch (IOException | RuntimeException e) {
            TlsSocket.closeQuietly(raw);
            reportClientError(new TlsException(ErrorCodes.ECONNRESET, "connection from " + remote + " failed: " + e, e),
                    remote);
        }
        try {
            if (socket != null) {
                try {
                    handler.onSecureConnection(socket);
                } catch (Exception e) {
                    LOG.log(Level.DEBUG, "handler ended {0} with {1}", socket, e.toString());
                } finally {
                    socket.close();
                }
            }
        } finally {
            TlsSocket.closeQuietly(raw);
            live.remove(raw);
            if (connections.decrementAndGet() == 0) {
                signalIfClosed();
            }
        }
    }

    private void reportClientError(TlsException e, InetSocketAddress remote) {
        try {
            clientErrorHandler.onClientError(e, remote);
        } catch (RuntimeException handlerFailure) {
            LOG.log(Level.WARNING, "client-error handler threw {0}", handlerFailure.toString());
        }
    }

    private static void logClientError(TlsException e, InetSocketAddress remote) {
        LOG.log(Level.DEBUG, "client {0}: {1} {2}", remote, e.code(), e.getMessage());
    }

    private void signalIfClosed() {
        lock.lock();
        try {
            allClosed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The bound address (the chosen port when listening on 0); null before {@link #listen}. */
    public InetSocketAddress address() {
        ServerSocket ss = serverSocket;
        return ss == null ? null : (InetSocketAddress) ss.getLocalSocketAddress();
    }

    /** Whether the server is accepting connections. */
    public boolean isListening() {
        ServerSocket ss = serverSocket;
        return ss != null && !ss.isClosed();
    }

    /** The provider this server runs on. */
    public JsseProvider provider() {
        return provider;
    }

    /** The number of open connections, including those still in their handshake. */
    public int connections() {
        return connections.get();
    }

    /**
     * Past {@code limit} open connections, a new one is accepted and closed at once, and reported to
     * {@link #onDrop}. 0 (the default) means no limit.
     */
    public TlsServer maxConnections(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("maxConnections must be >= 0: " + limit);
        }
        this.maxConnections = limit;
        return this;
    }

    /** The connection limit; 0 means none. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Where connections that fail before the handler are reported. Default: logged at DEBUG. */
    public TlsServer onClientError(ClientErrorHandler handler) {
        this.clientErrorHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Where connections dropped by {@link #maxConnections(int)} are reported (Node's {@code 'drop'}). */
    public TlsServer onDrop(Consumer<InetSocketAddress> handler) {
        this.dropHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** The context new handshakes use. */
    public SecureContext secureContext() {
        return context;
    }

    /** Stops accepting new connections; open ones run on. Calling it again does nothing. */
    @Override
    public void close() {
        closing = true;
        ServerSocket ss = serverSocket;
        if (ss != null && !ss.isClosed()) {
            TlsSocket.closeQuietly(ss);
            LOG.log(Level.INFO, "stopped accepting on {0}", ss.getLocalSocketAddress());
        }
        awaitAcceptor();
        signalIfClosed();
    }

    /**
     * The JDK closes a listening socket that a thread is blocked on only when that thread leaves accept: until
     * then the port still completes handshakes. Waiting for the acceptor makes "closed" mean refused.
     */
    private void awaitAcceptor() {
        Thread a;
        lock.lock();
        try {
            a = acceptor;
        } finally {
            lock.unlock();
        }
        if (a == null || a == Thread.currentThread()) {
            return;
        }
        try {
            a.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting and closes every open connection at once. */
    public void closeNow() {
        close();
        for (Socket s : live) {
            TlsSocket.closeQuietly(s);
        }
    }

    /**
     * Waits until the server is closed and its last connection has ended (Node's {@code 'close'} event).
     *
     * @return true when closed, false when {@code timeout} passed first
     */
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!(closing && connections.get() == 0)) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = allClosed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
        Thread a = acceptor;
        if (a != null) {
            a.join(TimeUnit.NANOSECONDS.toMillis(Math.max(remaining, 1_000_000)));
        }
        return true;
    }

    @Override
    public String toString() {
        return "TlsServer[" + provider.cliName() + ", " + address() + "]";
    }
}
