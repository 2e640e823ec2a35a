package dev.weft.tls;

/**
 * The server's certificate does not name the host: code {@code ERR_TLS_CERT_ALTNAME_INVALID}, message
 * {@code Hostname/IP does not match certificate's altnames: <reason>}, as Node's {@code checkServerIdentity}
 * reports it, with Node's {@code host}, {@code reason} and {@code cert} as {@link #host()}, {@link #reason()}
 * and {@link #certificate()}.
 */
public final class ServerIdentityException extends TlsException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final String reason;
    private final transient PeerCertificate certificate;

    /** A mismatch between {@code host} and {@code certificate}, for Node's {@code reason}. */
    public ServerIdentityException(String host, String reason, PeerCertificate certificate) {
        super("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames: " + reason);
        this.host = host;
        this.reason = reason;
        this.certificate = certificate;
    }

    /** The host that was checked. */
    public String host() {
        return host;
    }

    /** Node's reason, e.g. {@code Host: evil.test. is not in the cert's altnames: DNS:localhost}. */
    public String reason() {
        return reason;
    }

    /** The certificate that did not match. */
    public PeerCertificate certificate() {
        return certificate;
    }
}
