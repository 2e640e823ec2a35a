package dev.weft.tls;

import dev.weft.tls.internal.provider.ProviderSupport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
    private final JsseProvider provider;
    private final ProviderSupport support;
    private final TlsListener listener;
    private final ServedContexts contexts;
    private final ServerConnections connections;
    /** Guards {@link #listen}; notified when the last connection of a closed server ends. */
    private final Object state = new Object();
    private volatile Acceptor acceptor;
    private volatile boolean closing;

    TlsServer(ServerOptions options, ConnectionHandler handler, SecureContext context) throws TlsException {
        this.options = options;
        this.provider = JsseProvider.resolve(options.provider());
        this.support = ProviderSupport.of(provider);
        support.checkKeylog(options.keylog());
        support.checkOcspStapling(options.ocspResponder());
        this.listener = options.listener();
        context.sslContext(provider); // fail now, not at the first handshake
        this.contexts = new ServedContexts(context);
        this.connections = new ServerConnections(options, handler, provider, contexts, this::signalIfClosed);
    }

    /**
     * Listens on {@code port} on every local address.
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
        synchronized (state) {
            if (acceptor != null || closing) {
                throw new TlsException(ErrorCode.SERVER_ALREADY_LISTEN, "listen() was already called on " + this);
            }
            connections.admission().measure(support);
            acceptor = Acceptor.listen(host, port, connections, () -> closing);
        }
        LOG.log(Level.INFO, "listening on {0} ({1})", address(), provider.cliName());
        announceCertificates();
        if (onBound != null) {
            onBound.run();
        }
        return this;
    }

    /**
     * Serves clients asking for {@code hostname} (SNI) with {@code context}: its key and chain, and its {@code ca}
     * for their certificates. {@code *.example.com} covers exactly one label; the most recently added match wins
     * (Node's {@code server.addContext}).
     *
     * <p>Differences from Node: names match without regard to case, as DNS names do (Node's match is exact).
     *
     * @param hostname a host name, or {@code *.} and a domain
     * @param context the credentials for that name
     * @return this server
     * @throws TlsException {@code ERR_WEFT_INVALID_OPTIONS} for an empty or malformed hostname, or a context
     *                      without a certificate
     */
    public TlsServer addContext(String hostname, SecureContext context) throws TlsException {
        contexts.add(hostname, context, provider);
        announceCertificates();
        return this;
    }

    private void signalIfClosed() {
        synchronized (state) {
            state.notifyAll();
        }
    }

    /** {@return the bound address (the chosen port when listening on 0); null before {@link #listen}} */
    public InetSocketAddress address() {
        Acceptor a = acceptor;
        return a == null ? null : a.address();
    }

    /** {@return whether the server is accepting connections} */
    public boolean isListening() {
        Acceptor a = acceptor;
        return a != null && a.isOpen();
    }

    /** {@return the provider this server runs on} */
    public JsseProvider provider() {
        return provider;
    }

    /** {@return the number of open connections, including those still in their handshake} */
    public int connections() {
        return connections.admission().open();
    }

    /**
     * Past {@code limit} open connections, a new one is accepted and closed at once, and reported to
     * {@link #onDrop}. 0 (the default) means no limit but the process's file-descriptor limit: past the
     * connections it leaves room for (measured at {@link #listen}, at the provider's descriptors per connection),
     * new connections are dropped the same way, with one WARNING, instead of failing inside the provider.
     *
     * @param limit the most open connections, or 0 for no limit
     * @return this server
     */
    public TlsServer maxConnections(int limit) {
        connections.admission().maxConnections(limit);
        return this;
    }

    /** {@return the connection limit: the most open connections, or 0 for no limit} */
    public int maxConnections() {
        return connections.admission().maxConnections();
    }

    /**
     * Where connections that fail before the handler are reported. Default: logged at DEBUG.
     *
     * @param handler called with each failure, on the failing connection's thread
     * @return this server
     */
    public TlsServer onClientError(ClientErrorHandler handler) {
        connections.onClientError(handler);
        return this;
    }

    /**
     * Where connections dropped by {@link #maxConnections(int)} are reported (Node's {@code 'drop'}).
     *
     * @param handler called with each dropped client's address
     * @return this server
     */
    public TlsServer onDrop(Consumer<InetSocketAddress> handler) {
        connections.onDrop(handler);
        return this;
    }

    /**
     * Replaces the credentials for new handshakes at once; open connections keep theirs (Node's
     * {@code server.setSecureContext}). A context this server's provider cannot serve is refused; the old one stays.
     *
     * @param newContext the new credentials and options
     * @return this server
     * @throws TlsException the new context cannot serve (no certificate, a key the provider cannot use, ...)
     */
    public TlsServer setSecureContext(SecureContext newContext) throws TlsException {
        contexts.replace(newContext, provider);
        LOG.log(Level.INFO, "secure context replaced on {0}", address());
        announceCertificates();
        return this;
    }

    /**
     * The leaf certificates served now: the default context's, then each {@link #addContext} context's in order
     * (not those an {@code sniCallback} makes). For an expiry gauge: {@link X509Certificate#getNotAfter()}; the
     * listener's {@link TlsListener#certificatesServed} gets the list whenever it changes.
     *
     * @return the leaf certificates served
     */
    public List<X509Certificate> servedCertificates() {
        return contexts.leaves();
    }

    /** A served certificate this close to its end is logged at WARNING when it starts being served. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    /**
     * Tells the listener what is served now, once listening (not before: nothing is served yet), and warns of each
     * certificate within {@link #EXPIRY_WARNING} of its end (or past it): at listen, and whenever what is served
     * changes (a reload by {@link #watchCredentials}, {@link #setSecureContext}, {@link #addContext}).
     */
    private void announceCertificates() {
        List<X509Certificate> served = servedCertificates();
        if (acceptor != null) {
            Listeners.notify(listener, "certificatesServed", l -> l.certificatesServed(served));
            java.time.Instant now = java.time.Instant.now();
            for (X509Certificate c : served) {
                java.time.Instant end = c.getNotAfter().toInstant();
                if (end.isBefore(now.plus(EXPIRY_WARNING))) {
                    long days = Duration.between(now, end).toDays();
                    LOG.log(Level.WARNING, "the certificate served on {0} for {1} {2}: renew it",
                            String.valueOf(address()), c.getSubjectX500Principal().getName(),
                            end.isBefore(now) ? "expired on " + end : "expires on " + end + ", in " + days + " days");
                }
            }
        }
    }

    /**
     * Watches {@code cert} and {@code key} and, when their contents change, serves new handshakes with them
     * ({@link #setSecureContext}), keeping this server's other options (ca, crl, versions, ciphers, passphrase).
     * Files are read through symbolic links (Kubernetes' swap of mounted secrets is seen). A pair that cannot
     * serve (half-written, mismatched) is refused with a WARNING and the current context stays. Checks every
     * {@code interval} on a daemon thread until the server closes.
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
        return contexts.current();
    }

    /** Stops accepting new connections; open ones run on. Calling it again does nothing. */
    @Override
    public void close() {
        closing = true;
        Acceptor a = acceptor;
        if (a != null) {
            a.close();
        }
        signalIfClosed();
    }

    /**
     * Stops accepting and closes every open connection at once: with close_notify when its handshake is done (a
     * close that waits behind a write the peer does not read gives up after a moment), the TCP connection alone
     * before. Returns when every close is done.
     */
    public void closeNow() {
        close();
        connections.closeAll();
    }

    /**
     * What a {@link #shutdown} did.
     *
     * @param open    the connections open when it began
     * @param drained how many of them ended by themselves within the grace period
     * @param cut     how many weft closed: at the end of the grace period, or at once by {@link #closeNow()}
     * @param took    how long it took
     */
    public record Shutdown(int open, int drained, int cut, Duration took) {
    }

    /**
     * Shuts down gracefully: stops accepting at once (a new connection is refused by the closed port, not reset
     * mid-handshake), tells every open connection ({@link TlsSocket#draining()}, {@link TlsSocket#onDraining}),
     * lets them finish for up to {@code grace}, then closes the rest with close_notify ({@link #closeNow()}). A
     * {@code closeNow()} from another thread meanwhile (a second signal) cuts at once. Logs one INFO line with what
     * it did. Calling it on a closed server drains what is left.
     *
     * <p>In a JVM shutdown hook:
     * {@snippet :
     * Runtime.getRuntime().addShutdownHook(new Thread(() -> {
     *     try {
     *         server.shutdown(Duration.ofSeconds(30));
     *     } catch (InterruptedException e) {
     *         server.closeNow();
     *     }
     * }));
     * }
     * The JVM then exits with 143 (SIGTERM) and a second signal cannot cut the grace period short; {@code weft serve}
     * handles SIGTERM and SIGINT itself instead, to exit 0 and cut on the second signal.
     *
     * <p>Differences from Node: Node's {@code server.close()} only stops accepting and leaves the connections to the
     * application; a drain with a deadline is what Node applications build themselves.
     *
     * @param grace how long open connections have to finish
     * @return what happened: open, drained and cut connections
     * @throws InterruptedException when interrupted while waiting (the connections are left open)
     */
    public Shutdown shutdown(Duration grace) throws InterruptedException {
        long start = System.nanoTime();
        int cutBefore = connections.cut();
        int open = connections();
        close();
        connections.drain();
        if (!awaitClose(grace)) {
            closeNow();
            awaitClose(Duration.ofSeconds(10)); // each cut connection's thread ends after its close
        }
        int cut = connections.cut() - cutBefore;
        Shutdown done = new Shutdown(open, Math.max(0, open - cut), cut, Duration.ofNanos(System.nanoTime() - start));
        LOG.log(Level.INFO, "shut down {0} ({1}): {2} connections open, {3} drained, {4} cut after {5} ms",
                String.valueOf(address()), provider.cliName(), String.valueOf(done.open()),
                String.valueOf(done.drained()), String.valueOf(done.cut()), String.valueOf(done.took().toMillis()));
        return done;
    }

    /** {@return whether {@link #shutdown} has begun: the server accepts nothing and its connections drain} */
    public boolean draining() {
        return connections.draining();
    }

    /**
     * Waits until the server is closed and its last connection has ended (Node's {@code 'close'} event).
     *
     * @param timeout how long to wait
     * @return true when closed, false when {@code timeout} passed first
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long remaining = timeout.toNanos();
        synchronized (state) {
            while (!(closing && connections.admission().open() == 0)) {
                if (remaining <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(state, remaining);
                remaining = deadline - System.nanoTime();
            }
        }
        Acceptor a = acceptor;
        if (a != null) {
            a.join(Duration.ofNanos(Math.max(remaining, 1_000_000)));
        }
        return true;
    }

    @Override
    public String toString() {
        return "TlsServer[" + provider.cliName() + ", " + address() + "]";
    }
}
