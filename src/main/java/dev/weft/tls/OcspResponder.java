package dev.weft.tls;

import java.security.cert.X509Certificate;

/**
 * Node's {@code 'OCSPRequest'} event: supplies the OCSP response a server staples to its certificate (RFC 6066
 * {@code status_request}), for one handshake. Runs on the connection's own thread, after the ClientHello chose the
 * context and before the handshake goes on, and only when the client asked for a stapled response. It may block
 * (e.g. fetch from the certificate's responder or read a cache an application refreshes, as nginx's
 * {@code ssl_stapling} does), though a handshake waits for it: the time it takes counts against the handshake
 * deadline, which weft cannot enforce on a responder that never returns.
 *
 * <p>The response is stapled as given: weft does not check it. A client checks it (an expired or revoked one is
 * the client's to refuse, as with Node).
 *
 * <p>Differences from Node: Node's listener answers through {@code callback(err, response)}; this one returns the
 * response, or null to staple none, and throws to refuse the client (the client-error handler gets
 * {@code ERR_WEFT_OCSP_RESPONDER}, or the code of a {@link TlsException} it throws). Only the Conscrypt provider
 * can staple a response the application gives; on the others {@link Tls#createServer} refuses this option with
 * {@code ERR_WEFT_OCSP_UNSUPPORTED} ({@code weft providers} says why).
 */
@FunctionalInterface
public interface OcspResponder {
    /**
     * The DER-encoded OCSP response for {@code certificate}.
     *
     * @param certificate the leaf certificate the server presents in this handshake (of the context SNI chose)
     * @param issuer      its issuer, the next certificate of the served chain; null when the chain has only the leaf
     * @return the DER-encoded OCSP response to staple, or null to staple none
     * @throws Exception anything: the handshake fails
     */
    byte[] respond(X509Certificate certificate, X509Certificate issuer) throws Exception;
}
