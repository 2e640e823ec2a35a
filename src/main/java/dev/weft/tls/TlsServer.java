package dev.weft.tls;

import dev.weft.tls.internal.ClientHello;
import dev.weft.tls.internal.ErrorCodes;
import dev.weft.tls.internal.Events;
import dev.weft.tls.internal.ProviderSupport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
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
    private final TlsListener listener;
    private final Admission admission = new Admission();
    private final SniContexts sniContexts = new SniContexts();
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
        support.checkKeylog(options.keylog());
        this.listener = options.listener();
        this.context = context;
        context.sslContext(provider); // fail now, not at the first handshake
    }

    /**
     * Listens on {@code port} (0 picks a free one) on every local address.
     *
     * @param port the port; 0 picks a free one
     * @return this server
     * @throws IOException the port cannot be bound ({@code EADDRINUSE}) or the server already listens
     */
    public TlsServer listen(int port) throws IOException {
        return listen(port, null, null);
    }

    /**
     * Listens on {@code host}:{@code port}; {@code host} null means every local address.
     *
     * @param port the port; 0 picks a free one
     * @param host the local address or host name; null means every local address
     * @return this server
     * @throws IOException the port cannot be bound ({@code EADDRINUSE}) or the server already listens
     */
    public TlsServer listen(int port, String host) throws IOException {
        return listen(port, host, null);
    }

    /**
     * Listens on {@code host}:{@code port} and returns once bound; then runs {@code onBound} (Node's
     * {@code 'listening'} callback) if given.
     *
     * @param port the port; 0 picks a free one
     * @param host the local address or host name; null means every local address
     * @param onBound run once bound, or null
     * @return this server
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
            admission.measure(support);
            acceptor = Thread.ofPlatform().name("weft-accept-" + ss.getLocalPort()).daemon(false)
                    .start(() -> acceptLoop(ss));
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, "listening on {0} ({1})", address(), provider.cliName());
        announceCertificates();
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
            if (!admission.admit(address(), provider)) {
                drop(raw);
                continue;
            }
            Listeners.notify(listener, "connectionOpened", TlsListener::connectionOpened);
            live.add(raw);
            Thread.ofVirtual().name("weft-conn-" + accepted.incrementAndGet()).start(() -> serve(raw));
        }
    }

    private void drop(Socket raw) {
        InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
        TlsSocket.closeQuietly(raw);
        Events.Drop drop = new Events.Drop();
        if (drop.shouldCommit()) {
            drop.peer = String.valueOf(remote);
            drop.commit();
        }
        Listeners.notify(listener, "connectionDropped", TlsListener::connectionDropped);
        dropHandler.accept(remote);
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
            socket = ServerHandshake.run(raw, new byte[0], context, provider, options,
                    (name, fallback) -> sniContexts.select(options, name, fallback),
                    ServerHandshake.newSocket(raw, provider, options));
        } catch (TlsException e) {
            TlsSocket.closeQuietly(raw);
            reportClientError(e, remote);
        } catch (IOException | RuntimeException e) {
            TlsSocket.closeQuietly(raw);
            reportClientError(new TlsException(ErrorCodes.ECONNRESET, "connection from " + remote + " failed: " + e, e),
                    remote);
        }
        try {
            if (socket != null) {
                if (options.idleTimeout() != null) {
                    socket.closeWhenIdle(options.idleTimeout());
                }
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
            Listeners.notify(listener, "connectionClosed", TlsListener::connectionClosed);
            if (admission.ended() == 0) {
                signalIfClosed();
            }
        }
    }

    /**
     * Serves clients asking for {@code hostname} (SNI) with {@code context}: its key and chain, and its {@code ca}
     * for their certificates. {@code *.example.com} covers exactly one label; the most recently added match wins
     * (Node's {@code server.addContext}).
     *
     * <p>Differences from Node: names match without regard to case, as DNS names do; Node's matching is
     * case-sensitive.
     *
     * @param hostname a host name, or {@code *.} and a domain
     * @param context the credentials for that name
     * @return this server
     * @throws TlsException {@code ERR_WEFT_INVALID_OPTIONS} for an empty or malformed hostname, or a context
     *                      without a certificate
     */
    public TlsServer addContext(String hostname, SecureContext context) throws TlsException {
        sniContexts.add(hostname, context, provider);
        announceCertificates();
        return this;
    }

    private void reportClientError(TlsException e, InetSocketAddress remote) {
        Events.ClientError event = new Events.ClientError();
        if (event.shouldCommit()) {
            event.code = e.code();
            event.message = e.getMessage();
            event.peer = String.valueOf(remote);
            event.commit();
        }
        Listeners.notify(listener, "clientError", l -> l.clientError(e.code()));
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

    /** {@return the bound address (the chosen port when listening on 0); null before {@link #listen}} */
    public InetSocketAddress address() {
        ServerSocket ss = serverSocket;
        return ss == null ? null : (InetSocketAddress) ss.getLocalSocketAddress();
    }

    /** {@return whether the server is accepting connections} */
    public boolean isListening() {
        ServerSocket ss = serverSocket;
        return ss != null && !ss.isClosed();
    }

    /** {@return the provider this server runs on} */
    public JsseProvider provider() {
        return provider;
    }

    /** {@return the number of open connections, including those still in their handshake} */
    public int connections() {
        return admission.open();
    }

    /**
     * Past {@code limit} open connections, a new one is accepted and closed at once, and reported to
     * {@link #onDrop}. 0 (the default) means no limit but the process's file-descriptor limit: past the
     * connections it leaves room for (measured at {@link #listen}; three descriptors each on Conscrypt, one
     * otherwise, and 64 kept for the rest of the process), new connections are dropped the same way, with one
     * WARNING that says so, instead of failing in {@code accept} or inside the provider.
     *
     * @param limit the most open connections, or 0 for no limit
     * @return this server
     */
    public TlsServer maxConnections(int limit) {
        admission.maxConnections(limit);
        return this;
    }

    /**
     * The connection limit; 0 means none.
     *
     * @return the most open connections, or 0 for no limit
     */
    public int maxConnections() {
        return admission.maxConnections();
    }

    /**
     * Where connections that fail before the handler are reported. Default: logged at DEBUG.
     *
     * @param handler called with each failure, on the failing connection's thread
     * @return this server
     */
    public TlsServer onClientError(ClientErrorHandler handler) {
        this.clientErrorHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Where connections dropped by {@link #maxConnections(int)} are reported (Node's {@code 'drop'}).
     *
     * @param handler called with each dropped client's address
     * @return this server
     */
    public TlsServer onDrop(Consumer<InetSocketAddress> handler) {
        this.dropHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Replaces the key, certificate, CA and the rest for new handshakes, at once; connections already open keep
     * theirs (Node's {@code server.setSecureContext}). The new context is checked on this server's provider first:
     * one that cannot serve is refused with its code and the old one stays.
     *
     * @param newContext the new credentials and options
     * @return this server
     * @throws TlsException the new context cannot serve (no certificate, a key the provider cannot use, ...)
     */
    public TlsServer setSecureContext(SecureContext newContext) throws TlsException {
        Objects.requireNonNull(newContext, "newContext");
        if (!newContext.hasCertificate()) {
            throw new TlsException(ErrorCodes.INVALID_OPTIONS, "a server's secure context needs a key and cert");
        }
        newContext.sslContext(provider);
        context = newContext;
        LOG.log(Level.INFO, "secure context replaced on {0}", address());
        announceCertificates();
        return this;
    }

    /**
     * The leaf certificates this server serves now, one per context: the default context's first, then each
     * {@link #addContext} context's in the order added (contexts an {@code sniCallback} makes on demand are not
     * listed). For a days-to-expiry gauge: {@link X509Certificate#getNotAfter()}. The listener's
     * {@link TlsListener#certificatesServed} gets the same list whenever it changes.
     *
     * @return the leaf certificates served
     */
    public List<X509Certificate> servedCertificates() {
        List<X509Certificate> out = new java.util.ArrayList<>();
        context.certificateChain().stream().findFirst().ifPresent(out::add);
        out.addAll(sniContexts.leaves());
        return List.copyOf(out);
    }

    /** Tells the listener what is served now, once listening (not before: nothing is served yet). */
    private void announceCertificates() {
        if (serverSocket == null) {
            return;
        }
        List<X509Certificate> served = servedCertificates();
        Listeners.notify(listener, "certificatesServed", l -> l.certificatesServed(served));
    }

    /**
     * Watches {@code cert} and {@code key} and, when their contents change, serves new handshakes with them
     * ({@link #setSecureContext}), keeping this server's other options (ca, crl, versions, ciphers, passphrase).
     * Files are read through symbolic links, so the swap Kubernetes does for mounted secrets is seen. A new pair
     * that cannot serve (half-written, mismatched, unreadable) is refused with a WARNING and the current context
     * stays; the next change is tried again. Checks every {@code interval} on a daemon thread until the server
     * closes.
     *
     * <p>Differences from Node: Node has no watcher; its users call {@code setSecureContext} themselves.
     *
     * @param cert the certificate file (PEM)
     * @param key the private key file (PEM)
     * @param interval how often to look
     * @return this server
     */
    public TlsServer watchCredentials(Path cert, Path key, Duration interval) {
        CredentialWatch.start(this, options, Objects.requireNonNull(cert, "cert"), Objects.requireNonNull(key, "key"),
                interval, () -> closing);
        return this;
    }

    /** {@return the context new handshakes use} */
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
     * @param timeout how long to wait
     * @return true when closed, false when {@code timeout} passed first
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!(closing && admission.open() == 0)) {
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
