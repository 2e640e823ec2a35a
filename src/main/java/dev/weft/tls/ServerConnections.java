package dev.weft.tls;

import dev.weft.tls.internal.events.Events;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link TlsServer}'s connections once accepted: admitted or dropped, then each on its own virtual thread through
 * {@link ServerHandshake} to the handler, its failures reported to the client-error handler, JFR and the listener,
 * and counted until it ends. Thread-safe.
 */
final class ServerConnections {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.server");

    private final ServerOptions options;
    private final ConnectionHandler handler;
    private final JsseProvider provider;
    private final TlsListener listener;
    private final ServedContexts contexts;
    private final Runnable onLastEnded;
    private final Admission admission = new Admission();
    private final AtomicLong accepted = new AtomicLong();
    /** Each open connection's socket, and its TLS socket once the handshake is done. */
    private final Map<Socket, Optional<TlsSocket>> live = new ConcurrentHashMap<>();
    private final AtomicInteger cut = new AtomicInteger();
    private volatile boolean draining;
    private volatile ClientErrorHandler clientErrorHandler = ServerConnections::logClientError;
    private volatile Consumer<InetSocketAddress> dropHandler =
            r -> LOG.log(Level.DEBUG, "dropped {0}: maxConnections", r);

    ServerConnections(ServerOptions options, ConnectionHandler handler, JsseProvider provider, ServedContexts contexts,
            Runnable onLastEnded) {
        this.options = options;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.provider = provider;
        this.listener = options.listener();
        this.contexts = contexts;
        this.onLastEnded = onLastEnded;
    }

    Admission admission() {
        return admission;
    }

    void onClientError(ClientErrorHandler handler) {
        this.clientErrorHandler = Objects.requireNonNull(handler, "handler");
    }

    void onDrop(Consumer<InetSocketAddress> handler) {
        this.dropHandler = Objects.requireNonNull(handler, "handler");
    }

    /** Takes a connection the server accepted on {@code where}: admits it and serves it, or drops it. */
    void take(Socket raw, Object where) {
        if (!admission.admit(where, provider)) {
            drop(raw);
            return;
        }
        Listeners.notify(listener, "connectionOpened", TlsListener::connectionOpened);
        live.put(raw, Optional.empty());
        Thread.ofVirtual().name("weft-conn-" + accepted.incrementAndGet()).start(() -> serve(raw));
    }

    /**
     * Closes every open connection at once: with close_notify once its handshake is done, the TCP connection alone
     * before. The closes run side by side (one may wait a moment behind a write the peer does not read); returns
     * when all are done.
     *
     * @return how many connections were closed
     */
    int closeAll() {
        List<Thread> closing = new ArrayList<>();
        List<Map.Entry<Socket, Optional<TlsSocket>>> open = List.copyOf(live.entrySet());
        cut.addAndGet(open.size()); // counted first: a connection's end may wake a shutdown waiting for the last
        for (var entry : open) {
            Socket raw = entry.getKey();
            Optional<TlsSocket> tls = entry.getValue();
            closing.add(Thread.ofVirtual().name("weft-cut").start(() -> {
                if (tls.isPresent()) {
                    tls.get().close();
                } else {
                    TlsSocket.closeQuietly(raw);
                }
            }));
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return closing.size();
    }

    /** How many connections {@link #closeAll} has closed. */
    int cut() {
        return cut.get();
    }

    /** Tells every open connection, and each one that finishes its handshake from now on, that the server drains. */
    void drain() {
        draining = true;
        for (Optional<TlsSocket> tls : live.values()) {
            tls.ifPresent(TlsSocket::serverDraining);
        }
    }

    boolean draining() {
        return draining;
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

    private void serve(Socket raw) {
        InetSocketAddress remote = (InetSocketAddress) raw.getRemoteSocketAddress();
        TlsSocket socket = null;
        try {
            socket = ServerHandshake.run(raw, new byte[0], contexts.current(), provider, options,
                    (name, fallback) -> contexts.select(options, name, fallback),
                    ServerHandshake.newSocket(raw, provider, options));
        } catch (TlsException e) {
            TlsSocket.closeQuietly(raw);
            reportClientError(e, remote);
        } catch (IOException | RuntimeException e) {
            TlsSocket.closeQuietly(raw);
            reportClientError(new TlsException(ErrorCode.ECONNRESET, "connection from " + remote + " failed: " + e, e),
                    remote);
        }
        try {
            if (socket != null) {
                live.replace(raw, Optional.of(socket));
                if (draining) {
                    socket.serverDraining();
                }
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
            if (socket == null) {
                TlsSocket.closeQuietly(raw); // else the socket's close closes it, once the client has every byte
            }
            live.remove(raw);
            Listeners.notify(listener, "connectionClosed", TlsListener::connectionClosed);
            if (admission.ended() == 0) {
                onLastEnded.run();
            }
        }
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
}
