package dev.weft.tls;

import java.util.List;

/**
 * Node's {@code ALPNCallback}: the server picks the application protocol itself from the client's list. Runs on
 * the connection's thread during the handshake.
 *
 * <p>Differences from Node: none in effect; Node passes {@code {servername, protocols}}, here two arguments.
 */
@FunctionalInterface
public interface AlpnCallback {
    /**
     * Picks the protocol for one connection.
     *
     * @param servername the SNI name the client asked for, or null
     * @param protocols  the client's protocols, in its order
     * @return one of {@code protocols}; null refuses the client with a no_application_protocol alert
     */
    String select(String servername, List<String> protocols);
}
