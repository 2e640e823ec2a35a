package dev.weft.trust;

/**
 * How a verifier judged one chain.
 *
 * <p>For Node: {@code authorized} is {@code socket.authorized}; {@code code} is {@code socket.authorizationError}
 * (null when authorized): one of Node's names for OpenSSL's X509_V_ERR_* codes, or {@code UNSPECIFIED} for the
 * errors Node has no name for; {@code message} is the message of the Error {@code socket._handle.verifyError()}
 * returns (OpenSSL's {@code X509_verify_cert_error_string}). When the TLS handshake itself fails, no verification
 * result exists: {@code authorized} is false, {@code code} and {@code message} are null, and
 * {@code handshakeError} says why, as {@code verifier: CODE message} and/or {@code presenter: CODE message}
 * (the Node error codes of each side).
 *
 * <p>For {@code openssl verify}: {@code authorized} is its exit status 0 with {@code OK}; {@code code} is OpenSSL's
 * name of the last reported error without its {@code X509_V_ERR_} prefix (which Node uses as its code when it has a
 * name for the error); {@code message} the text of its last {@code error N at D depth lookup: MESSAGE} line;
 * {@code handshakeError} is always null.
 *
 * @param authorized whether the chain was accepted
 * @param code the error code, null when authorized or when the handshake failed
 * @param message the error message, null when authorized or when the handshake failed
 * @param handshakeError why the handshake failed, null when it completed
 */
public record Verdict(boolean authorized, String code, String message, String handshakeError) {

    /** {@return true when the TLS handshake did not complete, so the chain was never judged} */
    public boolean handshakeFailed() {
        return handshakeError != null;
    }

    /** {@return a short form for tables: {@code authorized}, the code, or {@code handshake failed: ...}} */
    public String summary() {
        if (handshakeFailed()) {
            return "handshake failed: " + handshakeError;
        }
        return authorized ? "authorized" : code;
    }
}
