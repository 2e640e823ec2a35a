package dev.weft.tls;

/**
 * Node's {@code checkServerIdentity} option: decides whether the server's certificate is acceptable for the host
 * the client meant. It runs on the client after the chain verified (never on an unverified chain, and not on a
 * resumed session, as in Node), on the connecting thread. The default is {@link Tls#checkServerIdentity}.
 *
 * <p>Differences from Node: Node's function returns an {@code Error} to refuse; here the check throws a
 * {@link TlsException}, whose {@link TlsException#code() code} becomes {@code authorizationError()} when the
 * client does not reject unauthorized servers.
 */
@FunctionalInterface
public interface ServerIdentityCheck {
    /**
     * Accepts the certificate for {@code hostname} by returning, refuses it by throwing.
     *
     * @param hostname    the client's {@code servername}, else the host it connected to
     * @param certificate the server's certificate with its verified issuers ({@link
     * PeerCertificate#issuerCertificate()})
     * @throws TlsException to refuse the certificate for {@code hostname}
     */
    void check(String hostname, PeerCertificate certificate) throws TlsException;
}
