package dev.weft.tls;

import java.net.InetSocketAddress;

/**
 * Told of each connection that failed before reaching the {@link ConnectionHandler}: Node's
 * {@code 'tlsClientError'} event (v0.6: {@code 'clientError'}). Failed handshakes, handshake timeouts and clients
 * refused for their certificate all arrive here, each with a stable {@link TlsException#code()}.
 *
 * <p>Called on the failed connection's virtual thread; it must not block for long. The socket is already closed.
 *
 * <p>Differences from Node: Node's listener gets the {@code TLSSocket}, still open; this one gets the client's
 * address, as the connection is already closed.
 */
@FunctionalInterface
public interface ClientErrorHandler {
    /**
     * One connection failed; {@code remote} is the client's address.
     *
     * @param error what went wrong, with its code
     * @param remote the client's address
     */
    void onClientError(TlsException error, InetSocketAddress remote);
}
