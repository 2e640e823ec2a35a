package dev.weft.tls;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The outcome of {@link Tls#verify}: the verdict and code a weft handshake would record for the same chain
 * ({@link TlsSocket#authorized()}, {@link TlsSocket#authorizationError()}), the chain as built, and where OpenSSL
 * would place the error. Immutable.
 *
 * <p>Differences from Node: Node exposes no verification result outside a handshake; the {@link #message() message}
 * is the text Node puts on its error, and {@link #errorDepth()} and {@link #opensslError()} are what {@code openssl
 * verify} prints ({@code error 47 at 0 depth lookup: permitted subtree violation}).
 */
public final class VerifyResult {
    private final String code;
    private final String message;
    private final List<X509Certificate> chain;
    private final int depth;
    private final int openssl;

    VerifyResult(String code, String message, List<X509Certificate> chain, int depth, int openssl) {
        this.code = code;
        this.message = message;
        this.chain = List.copyOf(chain);
        this.depth = depth;
        this.openssl = openssl;
    }

    /** {@return whether the chain verified (and matched the host, when one was given)} */
    public boolean authorized() {
        return code == null;
    }

    /**
     * {@return Node's code for the refusal, e.g. {@code CERT_HAS_EXPIRED}, {@code UNSPECIFIED} for an OpenSSL error
     * Node has no name for, {@code ERR_TLS_CERT_ALTNAME_INVALID} for a host mismatch; null when authorized}
     */
    public String authorizationError() {
        return code;
    }

    /** {@return the refusal's text as Node reports it, e.g. {@code permitted subtree violation}; null when authorized} */
    public String message() {
        return message;
    }

    /** {@return the chain as built: the certificate first, then its issuers as far as they were found} */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** {@return the depth of the certificate the error concerns (0: the first), or -1 when authorized or unknown} */
    public int errorDepth() {
        return code == null ? -1 : depth;
    }

    /** {@return OpenSSL's number for the error ({@code X509_V_ERR_*}), or 0 when it is not one of OpenSSL's} */
    public int opensslError() {
        return openssl;
    }

    @Override
    public String toString() {
        return code == null ? "VerifyResult[authorized]" : "VerifyResult[" + code + ": " + message + "]";
    }
}
