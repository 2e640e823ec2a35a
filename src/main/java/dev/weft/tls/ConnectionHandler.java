package dev.weft.tls;

/**
 * What a {@link TlsServer} does with each connection after its handshake: Node's {@code 'secureConnection'}
 * listener.
 *
 * <p>Runs on the connection's own virtual thread, so it may block freely. The socket is closed when the handler
 * returns or throws; an exception it throws is logged and ends only that connection.
 *
 * <p>Differences from Node: Node's listener runs on the event loop and must never block; this one owns its
 * connection's thread and reads and writes with blocking calls.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves one connection.
     *
     * @param socket the connection, handshake done; the server closes it when this returns
     * @throws Exception anything: it is logged and the connection closed
     */
    void onSecureConnection(TlsSocket socket) throws Exception;
}
