package dev.weft.tls;

/**
 * What a {@link TlsServer} does with each connection after its handshake: Node's {@code 'secureConnection'}
 * listener.
 *
 * <p>Runs on the connection's own virtual thread, so it may block freely. The socket is closed when the handler
 * returns or throws; an exception it throws is logged and ends only that connection.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /** Serves one connection. */
    void onSecureConnection(TlsSocket socket) throws Exception;
}
