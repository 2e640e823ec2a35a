package dev.weft.tls.internal.engine;

import java.io.IOException;

/**
 * What weft does around the engine's handshake on a socket it hands to code that drives {@link
 * javax.net.ssl.SSLSocket} itself (a socket factory's socket): a deadline, the verification and its codes, and for
 * a server the ClientHello read and the context chosen before the engine starts. See
 * {@link EngineSocket#handshakeWith}.
 */
@FunctionalInterface
public interface HandshakePolicy {
    /**
     * Runs the handshake of {@code socket}: calls {@link EngineSocket#startHandshake()} (which then runs the
     * engine's handshake) and decides whether the peer is accepted. Runs once, on the thread that first needs the
     * handshake; an exception fails the socket for good.
     *
     * @throws IOException the handshake failed or the peer is refused
     */
    void handshake(EngineSocket socket) throws IOException;
}
