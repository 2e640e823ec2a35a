package dev.weft.tls;

/**
 * The server's certificate does not name the host: code {@code ERR_TLS_CERT_ALTNAME_INVALID}, message
 * {@code Hostname/IP does not match certificate's altnames: <reason>}, as Node's {@code checkServerIdentity}
 * reports it, with Node's {@code host}, {@code reason} and {@code cert} as {@link #host()}, {@link #reason()}
 * and {@link #certificate()}.
 *
 * <p>Differences from Node: Node's {@code checkServerIdentity} returns this as an {@code Error}; weft throws it.
 */
public final class ServerIdentityException extends TlsException {
    private static final long serialVersionUID = 1L;

    /** The name the client connected to. */
    private final String host;
    /** Why the names do not match, as Node words it. */
    private final String reason;
    private final transient PeerCertificate certificate;

    /**
     * A mismatch between {@code host} and {@code certificate}, for Node's {@code reason}.
     *
     * @param host the name the client connected to
     * @param reason why the names do not match, as Node words it
     * @param certificate the server's certificate
     */
    public ServerIdentityException(String host, String reason, PeerCertificate certificate) {
        super(ErrorCode.CERT_ALTNAME_INVALID.code(), "Hostname/IP does not match certificate's altnames: " + reason);
        this.host = host;
        this.reason = reason;
        this.certificate = certificate;
    }

    /** {@return the host that was checked} */
    public String host() {
        return host;
    }

    /** {@return Node's reason, e.g. {@code Host: evil.test. is not in the cert's altnames: DNS:localhost}} */
    public String reason() {
        return reason;
    }

    /** {@return the certificate that did not match} */
    public PeerCertificate certificate() {
        return certificate;
    }
}
