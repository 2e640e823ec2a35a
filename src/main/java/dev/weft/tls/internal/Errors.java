package dev.weft.tls.internal;

import dev.weft.tls.TlsException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Turns what a provider or the socket threw into a {@link TlsException} with a stable code. */
public final class Errors {
    private Errors() {
    }

    /**
     * The exception for a failed handshake. {@code verification} is what weft's trust manager recorded (null when
     * it did not run); a refused certificate's code comes from there, never from the provider's message text.
     */
    public static TlsException handshakeFailure(Throwable t, Verifier.Result verification, String peer) {
        if (t instanceof TlsException te) {
            return te;
        }
        RecordingTrustManager.Rejected rejected = find(t, RecordingTrustManager.Rejected.class);
        if (rejected != null) {
            return new TlsException(rejected.code(), rejected.getMessage(), t);
        }
        if (verification != null && !verification.authorized()) {
            return new TlsException(verification.code(), verification.message(), t);
        }
        if (find(t, SocketTimeoutException.class) != null) {
            return new TlsException(ErrorCodes.ETIMEDOUT, "timed out during the TLS handshake with " + peer, t);
        }
        if (t instanceof SSLHandshakeException || find(t, SSLHandshakeException.class) != null) {
            SocketException se = find(t, SocketException.class);
            EOFException eof = find(t, EOFException.class);
            if (se != null || eof != null) {
                return disconnected(peer, t);
            }
            return new TlsException(ErrorCodes.HANDSHAKE_FAILURE,
                    "TLS handshake with " + peer + " failed: " + t.getMessage(), t);
        }
        if (t instanceof SSLException) {
            return new TlsException(ErrorCodes.HANDSHAKE_FAILURE,
                    "TLS handshake with " + peer + " failed: " + t.getMessage(), t);
        }
        return disconnected(peer, t);
    }

    /**
     * As {@link #handshakeFailure(Throwable, Verifier.Result, String)} for a handshake over {@code wire} (may be
     * null): what would read as the peer going away is a handshake failure when the peer had not ended its stream
     * and the socket did not fail. Bouncy Castle throws its fatal alerts as they are, not as an
     * {@code SSLException} (no shared cipher, a record before the ClientHello), and an {@code EOFException} of its
     * own for a message shorter than its declared length (a malformed ALPN or SNI list): the peer's bytes refused,
     * not a close. Its alert for a peer that did close (handshake_failure, with no detail) stays {@code ECONNRESET}.
     */
    public static TlsException handshakeFailure(Throwable t, Verifier.Result verification, String peer,
            ReplaySocket wire) {
        TlsException e = handshakeFailure(t, verification, peer);
        if (e.code().equals(ErrorCodes.ECONNRESET) && wire != null && !wire.peerEnded()
                && find(t, SocketException.class) == null) {
            return new TlsException(ErrorCodes.HANDSHAKE_FAILURE, "TLS handshake with " + peer + " failed: "
                    + (t.getMessage() == null ? t.toString() : t.getMessage()), t);
        }
        return e;
    }

    /** Node's wording for a peer that went away before the handshake finished. */
    public static TlsException disconnected(String peer, Throwable cause) {
        return new TlsException(ErrorCodes.ECONNRESET,
                "Client network socket disconnected before secure TLS connection was established (" + peer + ")",
                cause);
    }

    /** The exception for a failed TCP connect, with Node's codes. */
    public static TlsException connectFailure(Throwable t, String host, int port) {
        if (t instanceof ConnectException) {
            return new TlsException(ErrorCodes.ECONNREFUSED, "connect ECONNREFUSED " + host + ":" + port, t);
        }
        if (t instanceof UnknownHostException) {
            return new TlsException("ENOTFOUND", "getaddrinfo ENOTFOUND " + host, t);
        }
        if (t instanceof SocketTimeoutException) {
            return new TlsException(ErrorCodes.ETIMEDOUT, "connect ETIMEDOUT " + host + ":" + port, t);
        }
        return new TlsException(ErrorCodes.ECONNRESET, "connect to " + host + ":" + port + " failed: " + t, t);
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            for (Throwable s : c.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }
}
