package dev.weft.tls.internal.engine;

/**
 * What weft knows of a connection beneath TLS, for naming failures as Node does: whether the peer ended its TCP
 * stream (a truncation, when no close_notify came first), why weft itself cut the connection (a refused
 * renegotiation), and the first bytes the peer sent (to tell a plaintext server from a TLS failure).
 */
public interface Wire {
    /** {@return whether a read met the end of the peer's TCP stream} */
    boolean peerEnded();

    /** {@return why weft closed this connection, or null} */
    dev.weft.tls.TlsException failure();

    /** {@return the peer as {@code address:port}, for messages} */
    String peer();

    /** {@return the first bytes the peer sent (at most five: a record header), as read so far} */
    byte[] firstBytes();

    /**
     * {@return the key-exchange group (TLS code point) the server chose, as a client read it in the server's
     * plaintext handshake; -1 on a server, or when none was seen (a resumed TLS 1.2 session)}
     */
    default int keyExchangeGroup() {
        return -1;
    }

    /**
     * {@return the peer's signature_algorithms as it sent them in plaintext: a client's ClientHello on a server, a
     * TLS 1.2 CertificateRequest on a client; null when none was seen}
     */
    default int[] peerSignatureSchemes() {
        return null;
    }
}
