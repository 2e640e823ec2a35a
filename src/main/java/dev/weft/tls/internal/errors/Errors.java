package dev.weft.tls.internal.errors;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import dev.weft.tls.internal.handshake.RecordingTrustManager;
import dev.weft.tls.internal.trust.Verifier;
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
            return new TlsException(ErrorCode.ETIMEDOUT, "timed out during the TLS handshake with " + peer, t);
        }
        if (receivedAlertCode(t) == null && raisedBadRecordMac(t)) {
            return new TlsException(ErrorCode.DECRYPTION_FAILED_OR_BAD_RECORD_MAC, "decryption failed or bad record "
                    + "mac: a record from " + peer + " did not decrypt", t);
        }
        if (t instanceof SSLHandshakeException || find(t, SSLHandshakeException.class) != null) {
            SocketException se = find(t, SocketException.class);
            EOFException eof = find(t, EOFException.class);
            if (se != null || eof != null) {
                return disconnected(peer, t);
            }
            return new TlsException(ErrorCode.HANDSHAKE_FAILURE,
                    "TLS handshake with " + peer + " failed: " + t.getMessage(), t);
        }
        if (t instanceof SSLException) {
            return new TlsException(ErrorCode.HANDSHAKE_FAILURE,
                    "TLS handshake with " + peer + " failed: " + t.getMessage(), t);
        }
        return disconnected(peer, t);
    }

    /**
     * Whether the engine refused a record that did not decrypt (SunJSSE: "(bad_record_mac)"; Bouncy Castle:
     * "bad_record_mac(20)"; Conscrypt: BoringSSL's DECRYPTION_FAILED_OR_BAD_RECORD_MAC or BAD_DECRYPT).
     */
    private static boolean raisedBadRecordMac(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("bad_record_mac") || m.contains("DECRYPTION_FAILED_OR_BAD_RECORD_MAC")
                    || m.contains("BAD_DECRYPT"))) {
                return true;
            }
        }
        return false;
    }

    /** OpenSSL's reason prefix for each alert a peer can send, as Node's codes spell them. */
    private static final java.util.Map<String, String> ALERT_REASONS = alertReasons();

    private static java.util.Map<String, String> alertReasons() {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String a : new String[] {"unexpected_message", "bad_record_mac", "handshake_failure", "no_certificate",
                "bad_certificate", "unsupported_certificate", "certificate_revoked", "certificate_expired",
                "certificate_unknown", "illegal_parameter", "decompression_failure"}) {
            m.put(a, "SSLV3_ALERT_");
        }
        for (String a : new String[] {"decryption_failed", "record_overflow", "unknown_ca", "access_denied",
                "decode_error", "decrypt_error", "protocol_version", "insufficient_security", "internal_error",
                "user_canceled", "no_renegotiation", "unsupported_extension", "unrecognized_name",
                "bad_certificate_status_response", "unknown_psk_identity", "no_application_protocol",
                "inappropriate_fallback"}) {
            m.put(a, "TLSV1_ALERT_");
        }
        m.put("certificate_required", "TLSV13_ALERT_");
        m.put("missing_extension", "TLSV13_ALERT_");
        return m;
    }

    private static final String SUN_ALERT = "Received fatal alert: ";
    private static final java.util.regex.Pattern BORING_ALERT =
            java.util.regex.Pattern.compile("(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)");

    /**
     * When {@code t} says the peer sent a fatal alert (SunJSSE: "Received fatal alert: NAME"; Bouncy Castle:
     * TlsFatalAlertReceived "NAME(N)"; Conscrypt: BoringSSL's "TLSV1_ALERT_NAME"), the code Node gives it:
     * {@code ERR_SSL_} and OpenSSL's reason, e.g. {@code ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED}; else null.
     */
    public static String receivedAlertCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = receivedAlertName(c);
            if (name != null) {
                String upper = name.toUpperCase(java.util.Locale.ROOT);
                String reason = ALERT_REASONS.get(name);
                return reason != null ? "ERR_SSL_" + reason + upper : "ERR_SSL_ALERT_" + upper;
            }
        }
        return null;
    }

    /** The alert's name (as TLS spells it, e.g. {@code certificate_required}) when {@code e} reports one received. */
    private static String receivedAlertName(Throwable e) {
        String message = e.getMessage();
        if (message == null) {
            return null;
        }
        int sun = message.indexOf(SUN_ALERT);
        if (sun >= 0) {
            return message.substring(sun + SUN_ALERT.length()).trim();
        }
        if (e.getClass().getName().equals("org.bouncycastle.tls.TlsFatalAlertReceived")) {
            return message.replaceAll("\\(\\d+\\)$", "").trim();
        }
        if (e instanceof SSLException) {
            java.util.regex.Matcher boring = BORING_ALERT.matcher(message);
            if (boring.find()) {
                return boring.group(1).toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
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
            dev.weft.tls.internal.engine.Wire wire) {
        TlsException e = handshakeFailure(t, verification, peer);
        if (e.code().equals(ErrorCode.ECONNRESET.code()) && wire != null && !wire.peerEnded()
                && find(t, SocketException.class) == null) {
            return new TlsException(ErrorCode.HANDSHAKE_FAILURE, "TLS handshake with " + peer + " failed: "
                    + (t.getMessage() == null ? t.toString() : t.getMessage()), t);
        }
        return e;
    }

    /** Node's wording for a peer that went away before the handshake finished. */
    public static TlsException disconnected(String peer, Throwable cause) {
        return new TlsException(ErrorCode.ECONNRESET,
                "Client network socket disconnected before secure TLS connection was established (" + peer + ")",
                cause);
    }

    /** The exception for a failed TCP connect, with Node's codes. */
    public static TlsException connectFailure(Throwable t, String host, int port) {
        if (t instanceof ConnectException) {
            return new TlsException(ErrorCode.ECONNREFUSED, "connect ECONNREFUSED " + host + ":" + port, t);
        }
        if (t instanceof UnknownHostException) {
            return new TlsException(ErrorCode.ENOTFOUND, "getaddrinfo ENOTFOUND " + host, t);
        }
        if (t instanceof SocketTimeoutException) {
            return new TlsException(ErrorCode.ETIMEDOUT, "connect ETIMEDOUT " + host + ":" + port, t);
        }
        return new TlsException(ErrorCode.ECONNRESET, "connect to " + host + ":" + port + " failed: " + t, t);
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
