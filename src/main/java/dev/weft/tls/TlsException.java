package dev.weft.tls;

import java.io.IOException;
import java.util.Objects;

/**
 * The one exception weft throws: a TLS, credential or connection failure with a stable {@link #code()}.
 *
 * <p>Callers branch on {@code code()} (or the typed {@link #errorCode()}), never on the message text. Codes are
 * Node's {@code err.code} values where Node has one ({@code ERR_OSSL_PEM_NO_START_LINE},
 * {@code DEPTH_ZERO_SELF_SIGNED_CERT}, {@code ECONNREFUSED}, ...) and weft's own {@code ERR_WEFT_*} codes
 * otherwise; {@link ErrorCode} lists them all and says when each occurs. The message says what went
 * wrong and what to check; the provider's exception, when there was one, is kept as the cause.
 *
 * <p>Differences from Node: Node reports these as {@code Error} objects with a {@code code} property, emitted
 * as events or passed to callbacks; weft throws them from the blocking call that failed.
 */
public class TlsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The stable error code, such as {@code ERR_TLS_HANDSHAKE_TIMEOUT}. */
    private final String code;

    /**
     * A failure with a code and a message.
     *
     * @param code the error code, such as {@code ERR_TLS_HANDSHAKE_TIMEOUT}
     * @param message the message
     */
    public TlsException(String code, String message) {
        this(code, message, null);
    }

    /**
     * A failure with a code, a message and the exception that caused it.
     *
     * @param code the error code, such as {@code ERR_TLS_HANDSHAKE_TIMEOUT}
     * @param message the message
     * @param cause what caused it
     */
    public TlsException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * A failure with one of weft's codes and a message.
     *
     * @param code the error code
     * @param message the message
     */
    public TlsException(ErrorCode code, String message) {
        this(code.code(), message, null);
    }

    /**
     * A failure with one of weft's codes, a message and the exception that caused it.
     *
     * @param code the error code
     * @param message the message
     * @param cause what caused it
     */
    public TlsException(ErrorCode code, String message, Throwable cause) {
        this(code.code(), message, cause);
    }

    /** {@return the stable error code, for example {@code ERR_OSSL_BAD_DECRYPT}} Never null. */
    public String code() {
        return code;
    }

    /** {@return the error code as a type: a constant of {@link ErrorCode} for every code weft reports} */
    public ErrorCode errorCode() {
        return ErrorCode.of(code);
    }

    @Override
    public String toString() {
        return "TlsException[" + code + "]: " + getMessage();
    }
}
