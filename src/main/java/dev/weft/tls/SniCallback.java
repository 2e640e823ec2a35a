package dev.weft.tls;

/**
 * Node's {@code SNICallback}: picks the secure context for the host name a client asks for in SNI. It runs on the
 * connection's own thread, before the provider sees the handshake, and only for a well-formed host name (never
 * for a client that sent none, nor for a malformed one).
 *
 * <p>Differences from Node: Node's callback answers through {@code cb(err, ctx)}; this one returns the context,
 * or null for the server's default, and throws to refuse the client: the server's client-error handler then gets
 * the exception's code (a {@link TlsException}) or {@code ERR_WEFT_SNI_CALLBACK} with its message.
 */
@FunctionalInterface
public interface SniCallback {
    /**
     * Picks the context for one connection.
     *
     * @param servername the name the client asked for, lower-cased
     * @return the context to serve it with, or null for the server's default
     * @throws Exception anything: the handshake fails
     */
    SecureContext select(String servername) throws Exception;
}
