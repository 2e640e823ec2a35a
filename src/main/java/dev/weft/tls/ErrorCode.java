package dev.weft.tls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The codes weft reports: every {@link TlsException#code()} weft itself can produce is one of the constants here,
 * each saying when it occurs. Branch on these, never on message text:
 *
 * <pre>{@code
 * } catch (TlsException e) {
 *     if (e.errorCode() == ErrorCode.CERT_HAS_EXPIRED) { ... }
 * }</pre>
 *
 * <p>A code comes from one of four places ({@link Origin}): the operating system ({@code ECONNRESET}), Node
 * ({@code ERR_TLS_*}, and OpenSSL's errors as Node names them: {@code ERR_OSSL_*}, {@code ERR_SSL_*}), OpenSSL's
 * certificate verification ({@code CERT_HAS_EXPIRED}, the values of {@code authorizationError}), and weft itself
 * ({@code ERR_WEFT_*}, where Node has no code for the situation).
 *
 * <p>The set is open, which is why this is a class and not an enum: a peer can send a TLS alert no table lists, and
 * weft then reports {@code ERR_SSL_ALERT_<NAME>} as Node would; {@link #of(String)} returns such a code as an
 * instance that is not {@link #isKnown() known}. Known codes are singletons, so {@code ==} compares them.
 *
 * <p>Differences from Node: Node's codes are strings on {@code err.code}; weft keeps that string
 * ({@link TlsException#code()}) and adds this type ({@link TlsException#errorCode()}).
 */
public final class ErrorCode {
    /** Where a code comes from. */
    public enum Origin {
        /** The operating system's error names ({@code ECONNRESET}, {@code ENOENT}), as Node reports them. */
        SYSTEM,
        /** Node's codes, including OpenSSL's errors as Node names them ({@code ERR_OSSL_*}, {@code ERR_SSL_*}). */
        NODE,
        /** OpenSSL's certificate verification errors, as Node reports them in {@code authorizationError}. */
        OPENSSL_VERIFY,
        /** weft's own {@code ERR_WEFT_*} codes, where Node has none for the situation. */
        WEFT
    }

    private static final Map<String, ErrorCode> KNOWN = new LinkedHashMap<>();

    private final String code;
    private final Origin origin;
    private final boolean known;

    private ErrorCode(String code, Origin origin, boolean known) {
        this.code = code;
        this.origin = origin;
        this.known = known;
    }

    private static ErrorCode define(String code, Origin origin) {
        ErrorCode c = new ErrorCode(code, origin, true);
        if (KNOWN.putIfAbsent(code, c) != null) {
            throw new IllegalStateException("duplicate error code " + code);
        }
        return c;
    }

    // The operating system's codes, as Node reports them for sockets and files
    /** {@code ECONNRESET}: The peer closed or reset the connection, or went away before the handshake finished. */
    public static final ErrorCode ECONNRESET = define("ECONNRESET", Origin.SYSTEM);
    /** {@code ECONNREFUSED}: Nothing listens at the address a client connects to. */
    public static final ErrorCode ECONNREFUSED = define("ECONNREFUSED", Origin.SYSTEM);
    /** {@code ETIMEDOUT}: A TCP connect did not complete in time. */
    public static final ErrorCode ETIMEDOUT = define("ETIMEDOUT", Origin.SYSTEM);
    /** {@code ENOTFOUND}: The host name a client connects to does not resolve. */
    public static final ErrorCode ENOTFOUND = define("ENOTFOUND", Origin.SYSTEM);
    /** {@code EPIPE}: A write to a connection the peer has closed. */
    public static final ErrorCode EPIPE = define("EPIPE", Origin.SYSTEM);
    /** {@code EADDRINUSE}: A server cannot listen: the address is already in use. */
    public static final ErrorCode EADDRINUSE = define("EADDRINUSE", Origin.SYSTEM);
    /** {@code ENOENT}: A file named in the options (or on the command line) does not exist. */
    public static final ErrorCode ENOENT = define("ENOENT", Origin.SYSTEM);
    /** {@code EACCES}: A file named in the options cannot be read or written: permission denied. */
    public static final ErrorCode EACCES = define("EACCES", Origin.SYSTEM);
    /** {@code EISDIR}: A path that should name a file names a directory. */
    public static final ErrorCode EISDIR = define("EISDIR", Origin.SYSTEM);
    /** {@code EIO}: A file could not be read or written for another reason (the message says which). */
    public static final ErrorCode EIO = define("EIO", Origin.SYSTEM);

    // Node's codes: Node's own, and OpenSSL's errors as Node names them (ERR_OSSL_*, ERR_SSL_*)
    /** {@code ERR_TLS_HANDSHAKE_TIMEOUT}: The TLS handshake did not finish within {@code handshakeTimeout}. */
    public static final ErrorCode HANDSHAKE_TIMEOUT = define("ERR_TLS_HANDSHAKE_TIMEOUT", Origin.NODE);
    /**
     * {@code ERR_TLS_CERT_ALTNAME_INVALID}: The server's certificate does not name the host the client asked for
     * ({@code checkServerIdentity}).
     */
    public static final ErrorCode CERT_ALTNAME_INVALID = define("ERR_TLS_CERT_ALTNAME_INVALID", Origin.NODE);
    /**
     * {@code ERR_SERVER_NOT_RUNNING}: {@code close()} or an operation that needs a listening server on one that is not
     * listening.
     */
    public static final ErrorCode SERVER_NOT_RUNNING = define("ERR_SERVER_NOT_RUNNING", Origin.NODE);
    /** {@code ERR_SERVER_ALREADY_LISTEN}: {@code listen} on a server that is already listening. */
    public static final ErrorCode SERVER_ALREADY_LISTEN = define("ERR_SERVER_ALREADY_LISTEN", Origin.NODE);
    /**
     * {@code ERR_TLS_SESSION_ATTACK}: A client asked to renegotiate (Node allows 3 per 10 minutes; weft refuses the
     * first).
     */
    public static final ErrorCode SESSION_ATTACK = define("ERR_TLS_SESSION_ATTACK", Origin.NODE);
    /** {@code ERR_STREAM_WRITE_AFTER_END}: A write after {@code end()}. */
    public static final ErrorCode WRITE_AFTER_END = define("ERR_STREAM_WRITE_AFTER_END", Origin.NODE);
    /**
     * {@code ERR_TLS_INVALID_PROTOCOL_VERSION}: {@code minVersion} or {@code maxVersion} is not {@code TLSv1.2} or
     * {@code TLSv1.3}, or the minimum is above the maximum.
     */
    public static final ErrorCode INVALID_PROTOCOL_VERSION = define("ERR_TLS_INVALID_PROTOCOL_VERSION", Origin.NODE);
    /**
     * {@code ERR_TLS_INVALID_STATE}: Keying material (or another property of a secured connection) asked of a socket
     * that is not, or no longer, one.
     */
    public static final ErrorCode TLS_INVALID_STATE = define("ERR_TLS_INVALID_STATE", Origin.NODE);
    /**
     * {@code ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS}: Both {@code alpnCallback} and {@code alpnProtocols} were given to a
     * server.
     */
    public static final ErrorCode ALPN_CALLBACK_WITH_PROTOCOLS =
            define("ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS", Origin.NODE);
    /**
     * {@code ERR_INVALID_ARG_VALUE}: An argument has a value the operation does not accept (the command line's {@code
     * --days 0}, an unknown key type).
     */
    public static final ErrorCode INVALID_ARG_VALUE = define("ERR_INVALID_ARG_VALUE", Origin.NODE);
    /** {@code ERR_OSSL_PEM_NO_START_LINE}: A key or certificate option holds no PEM block of the expected kind. */
    public static final ErrorCode NO_START_LINE = define("ERR_OSSL_PEM_NO_START_LINE", Origin.NODE);
    /** {@code ERR_OSSL_PEM_BAD_BASE64_DECODE}: A PEM block whose base64 does not decode. */
    public static final ErrorCode PEM_BAD_BASE64_DECODE = define("ERR_OSSL_PEM_BAD_BASE64_DECODE", Origin.NODE);
    /** {@code ERR_OSSL_PEM_BAD_END_LINE}: A PEM block without its matching END line. */
    public static final ErrorCode PEM_BAD_END_LINE = define("ERR_OSSL_PEM_BAD_END_LINE", Origin.NODE);
    /** {@code ERR_OSSL_ASN1_WRONG_TAG}: A PEM block whose contents are not the DER structure its label promises. */
    public static final ErrorCode ASN1_WRONG_TAG = define("ERR_OSSL_ASN1_WRONG_TAG", Origin.NODE);
    /** {@code ERR_OSSL_BAD_DECRYPT}: An encrypted private key and a wrong or missing passphrase. */
    public static final ErrorCode BAD_DECRYPT = define("ERR_OSSL_BAD_DECRYPT", Origin.NODE);
    /**
     * {@code ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE}: A PKCS#12 ({@code pfx}) file whose MAC does not verify with the
     * passphrase given.
     */
    public static final ErrorCode PKCS12_MAC_VERIFY_FAILURE = define("ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE", Origin.NODE);
    /**
     * {@code ERR_OSSL_UNSUPPORTED}: A key, file or algorithm of a kind weft cannot use (an unknown PKCS#12 cipher, a
     * key type the provider lacks).
     */
    public static final ErrorCode OSSL_UNSUPPORTED = define("ERR_OSSL_UNSUPPORTED", Origin.NODE);
    /** {@code ERR_OSSL_X509_KEY_VALUES_MISMATCH}: The private key does not belong to the certificate's public key. */
    public static final ErrorCode KEY_VALUES_MISMATCH = define("ERR_OSSL_X509_KEY_VALUES_MISMATCH", Origin.NODE);
    /**
     * {@code ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE}: A server that requires a client certificate ({@code
     * requestCert} and {@code rejectUnauthorized}) got none.
     */
    public static final ErrorCode PEER_DID_NOT_RETURN_A_CERTIFICATE =
            define("ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE", Origin.NODE);
    /** {@code ERR_SSL_DATA_LENGTH_TOO_LONG}: A record longer than TLS allows (OpenSSL: "packet length too long"). */
    public static final ErrorCode DATA_LENGTH_TOO_LONG = define("ERR_SSL_DATA_LENGTH_TOO_LONG", Origin.NODE);
    /** {@code ERR_SSL_UNEXPECTED_MESSAGE}: A record or handshake message the peer may not send at that point. */
    public static final ErrorCode UNEXPECTED_MESSAGE = define("ERR_SSL_UNEXPECTED_MESSAGE", Origin.NODE);
    /** {@code ERR_SSL_BAD_CHANGE_CIPHER_SPEC}: A malformed change_cipher_spec record. */
    public static final ErrorCode BAD_CHANGE_CIPHER_SPEC = define("ERR_SSL_BAD_CHANGE_CIPHER_SPEC", Origin.NODE);
    /** {@code ERR_SSL_LENGTH_MISMATCH}: A ClientHello whose lengths do not add up. */
    public static final ErrorCode LENGTH_MISMATCH = define("ERR_SSL_LENGTH_MISMATCH", Origin.NODE);
    /** {@code ERR_SSL_ERROR_IN_RECEIVED_CIPHER_LIST}: A ClientHello whose cipher-suite list has an odd length. */
    public static final ErrorCode ERROR_IN_RECEIVED_CIPHER_LIST =
            define("ERR_SSL_ERROR_IN_RECEIVED_CIPHER_LIST", Origin.NODE);
    /** {@code ERR_SSL_NO_COMPRESSION_SPECIFIED}: A ClientHello with an empty list of compression methods. */
    public static final ErrorCode NO_COMPRESSION_SPECIFIED = define("ERR_SSL_NO_COMPRESSION_SPECIFIED", Origin.NODE);
    /** {@code ERR_SSL_REQUIRED_COMPRESSION_ALGORITHM_MISSING}: A ClientHello that does not offer null compression. */
    public static final ErrorCode REQUIRED_COMPRESSION_ALGORITHM_MISSING =
            define("ERR_SSL_REQUIRED_COMPRESSION_ALGORITHM_MISSING", Origin.NODE);
    /** {@code ERR_SSL_RECORD_TOO_SMALL}: Too many empty records before the ClientHello. */
    public static final ErrorCode RECORD_TOO_SMALL = define("ERR_SSL_RECORD_TOO_SMALL", Origin.NODE);
    /**
     * {@code ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC}: A record that does not decrypt (tampered with, or not from
     * the peer).
     */
    public static final ErrorCode DECRYPTION_FAILED_OR_BAD_RECORD_MAC =
            define("ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC", Origin.NODE);
    /** {@code ERR_SSL_HTTP_REQUEST}: Plain HTTP on a TLS port (OpenSSL: "http request"). */
    public static final ErrorCode HTTP_REQUEST = define("ERR_SSL_HTTP_REQUEST", Origin.NODE);
    /** {@code ERR_SSL_HTTPS_PROXY_REQUEST}: An HTTP proxy's CONNECT on a TLS port (OpenSSL: "https proxy request"). */
    public static final ErrorCode HTTPS_PROXY_REQUEST = define("ERR_SSL_HTTPS_PROXY_REQUEST", Origin.NODE);
    /** {@code ERR_SSL_EXCESSIVE_MESSAGE_SIZE}: A handshake message longer than any peer may send. */
    public static final ErrorCode EXCESSIVE_MESSAGE_SIZE = define("ERR_SSL_EXCESSIVE_MESSAGE_SIZE", Origin.NODE);
    /** {@code ERR_SSL_WRONG_VERSION_NUMBER}: Bytes that are not a TLS record (OpenSSL: "wrong version number"). */
    public static final ErrorCode WRONG_VERSION_NUMBER = define("ERR_SSL_WRONG_VERSION_NUMBER", Origin.NODE);
    /** {@code ERR_SSL_UNSUPPORTED_PROTOCOL}: A protocol weft does not speak (SSL 2.0/3.0, TLS 1.0/1.1). */
    public static final ErrorCode UNSUPPORTED_PROTOCOL = define("ERR_SSL_UNSUPPORTED_PROTOCOL", Origin.NODE);
    /**
     * {@code ERR_SSL_NO_SHARED_SIGNATURE_ALGORITHMS}: No handshake signature the server's key can make among the
     * client's (SHA-1 and MD5 are refused).
     */
    public static final ErrorCode NO_SHARED_SIGNATURE_ALGORITHMS =
            define("ERR_SSL_NO_SHARED_SIGNATURE_ALGORITHMS", Origin.NODE);
    /**
     * {@code ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM}: TLS 1.3: the client's signature algorithms are acceptable, but
     * none fits the server's key.
     */
    public static final ErrorCode NO_SUITABLE_SIGNATURE_ALGORITHM =
            define("ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM", Origin.NODE);
    /** {@code ERR_SSL_MISSING_SIGALGS_EXTENSION}: A TLS 1.3 ClientHello without signature_algorithms. */
    public static final ErrorCode MISSING_SIGALGS_EXTENSION = define("ERR_SSL_MISSING_SIGALGS_EXTENSION", Origin.NODE);
    /**
     * {@code ERR_SSL_BAD_EXTENSION}: An extension whose contents are malformed (an empty signature_algorithms list, for
     * one).
     */
    public static final ErrorCode BAD_EXTENSION = define("ERR_SSL_BAD_EXTENSION", Origin.NODE);
    /**
     * {@code ERR_SSL_NO_SHARED_CIPHER}: No suite both ends accept (in TLS 1.2 also: none the client's signature
     * algorithms allow).
     */
    public static final ErrorCode NO_SHARED_CIPHER = define("ERR_SSL_NO_SHARED_CIPHER", Origin.NODE);
    /**
     * {@code ERR_SSL_INAPPROPRIATE_FALLBACK}: TLS_FALLBACK_SCSV from a client that could have had a better version (RFC
     * 7507).
     */
    public static final ErrorCode INAPPROPRIATE_FALLBACK = define("ERR_SSL_INAPPROPRIATE_FALLBACK", Origin.NODE);
    /**
     * {@code ERR_SSL_INVALID_COMMAND}: A {@code ciphers} string OpenSSL refuses outright (a malformed {@code @SECLEVEL}
     * or {@code @STRENGTH} command).
     */
    public static final ErrorCode INVALID_COMMAND = define("ERR_SSL_INVALID_COMMAND", Origin.NODE);
    /**
     * {@code ERR_SSL_NO_CIPHER_MATCH}: A {@code ciphers} string that selects no suite weft offers (OpenSSL: "no cipher
     * match").
     */
    public static final ErrorCode NO_CIPHER_MATCH = define("ERR_SSL_NO_CIPHER_MATCH", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_UNEXPECTED_MESSAGE}: The peer sent a fatal {@code unexpected_message} alert. */
    public static final ErrorCode SSLV3_ALERT_UNEXPECTED_MESSAGE =
            define("ERR_SSL_SSLV3_ALERT_UNEXPECTED_MESSAGE", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC}: The peer sent a fatal {@code bad_record_mac} alert. */
    public static final ErrorCode SSLV3_ALERT_BAD_RECORD_MAC =
            define("ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE}: The peer sent a fatal {@code handshake_failure} alert. */
    public static final ErrorCode SSLV3_ALERT_HANDSHAKE_FAILURE =
            define("ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_NO_CERTIFICATE}: The peer sent a fatal {@code no_certificate} alert. */
    public static final ErrorCode SSLV3_ALERT_NO_CERTIFICATE =
            define("ERR_SSL_SSLV3_ALERT_NO_CERTIFICATE", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE}: The peer sent a fatal {@code bad_certificate} alert. */
    public static final ErrorCode SSLV3_ALERT_BAD_CERTIFICATE =
            define("ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE", Origin.NODE);
    /**
     * {@code ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE}: The peer sent a fatal {@code unsupported_certificate} alert.
     */
    public static final ErrorCode SSLV3_ALERT_UNSUPPORTED_CERTIFICATE =
            define("ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED}: The peer sent a fatal {@code certificate_revoked} alert. */
    public static final ErrorCode SSLV3_ALERT_CERTIFICATE_REVOKED =
            define("ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED}: The peer sent a fatal {@code certificate_expired} alert. */
    public static final ErrorCode SSLV3_ALERT_CERTIFICATE_EXPIRED =
            define("ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN}: The peer sent a fatal {@code certificate_unknown} alert. */
    public static final ErrorCode SSLV3_ALERT_CERTIFICATE_UNKNOWN =
            define("ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER}: The peer sent a fatal {@code illegal_parameter} alert. */
    public static final ErrorCode SSLV3_ALERT_ILLEGAL_PARAMETER =
            define("ERR_SSL_SSLV3_ALERT_ILLEGAL_PARAMETER", Origin.NODE);
    /** {@code ERR_SSL_SSLV3_ALERT_DECOMPRESSION_FAILURE}: The peer sent a fatal {@code decompression_failure} alert. */
    public static final ErrorCode SSLV3_ALERT_DECOMPRESSION_FAILURE =
            define("ERR_SSL_SSLV3_ALERT_DECOMPRESSION_FAILURE", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_DECRYPTION_FAILED}: The peer sent a fatal {@code decryption_failed} alert. */
    public static final ErrorCode TLSV1_ALERT_DECRYPTION_FAILED =
            define("ERR_SSL_TLSV1_ALERT_DECRYPTION_FAILED", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_RECORD_OVERFLOW}: The peer sent a fatal {@code record_overflow} alert. */
    public static final ErrorCode TLSV1_ALERT_RECORD_OVERFLOW =
            define("ERR_SSL_TLSV1_ALERT_RECORD_OVERFLOW", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_UNKNOWN_CA}: The peer sent a fatal {@code unknown_ca} alert. */
    public static final ErrorCode TLSV1_ALERT_UNKNOWN_CA = define("ERR_SSL_TLSV1_ALERT_UNKNOWN_CA", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_ACCESS_DENIED}: The peer sent a fatal {@code access_denied} alert. */
    public static final ErrorCode TLSV1_ALERT_ACCESS_DENIED = define("ERR_SSL_TLSV1_ALERT_ACCESS_DENIED", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_DECODE_ERROR}: The peer sent a fatal {@code decode_error} alert. */
    public static final ErrorCode TLSV1_ALERT_DECODE_ERROR = define("ERR_SSL_TLSV1_ALERT_DECODE_ERROR", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR}: The peer sent a fatal {@code decrypt_error} alert. */
    public static final ErrorCode TLSV1_ALERT_DECRYPT_ERROR = define("ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION}: The peer sent a fatal {@code protocol_version} alert. */
    public static final ErrorCode TLSV1_ALERT_PROTOCOL_VERSION =
            define("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY}: The peer sent a fatal {@code insufficient_security} alert. */
    public static final ErrorCode TLSV1_ALERT_INSUFFICIENT_SECURITY =
            define("ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR}: The peer sent a fatal {@code internal_error} alert. */
    public static final ErrorCode TLSV1_ALERT_INTERNAL_ERROR =
            define("ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_USER_CANCELED}: The peer sent a fatal {@code user_canceled} alert. */
    public static final ErrorCode TLSV1_ALERT_USER_CANCELED = define("ERR_SSL_TLSV1_ALERT_USER_CANCELED", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_NO_RENEGOTIATION}: The peer sent a fatal {@code no_renegotiation} alert. */
    public static final ErrorCode TLSV1_ALERT_NO_RENEGOTIATION =
            define("ERR_SSL_TLSV1_ALERT_NO_RENEGOTIATION", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_UNSUPPORTED_EXTENSION}: The peer sent a fatal {@code unsupported_extension} alert. */
    public static final ErrorCode TLSV1_ALERT_UNSUPPORTED_EXTENSION =
            define("ERR_SSL_TLSV1_ALERT_UNSUPPORTED_EXTENSION", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME}: The peer sent a fatal {@code unrecognized_name} alert. */
    public static final ErrorCode TLSV1_ALERT_UNRECOGNIZED_NAME =
            define("ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME", Origin.NODE);
    /**
     * {@code ERR_SSL_TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE}: The peer sent a fatal {@code
     * bad_certificate_status_response} alert.
     */
    public static final ErrorCode TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE =
            define("ERR_SSL_TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE", Origin.NODE);
    /** {@code ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY}: The peer sent a fatal {@code unknown_psk_identity} alert. */
    public static final ErrorCode TLSV1_ALERT_UNKNOWN_PSK_IDENTITY =
            define("ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY", Origin.NODE);
    /**
     * {@code ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL}: The peer sent a fatal {@code no_application_protocol} alert.
     */
    public static final ErrorCode TLSV1_ALERT_NO_APPLICATION_PROTOCOL =
            define("ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL", Origin.NODE);
    /**
     * {@code ERR_SSL_TLSV1_ALERT_INAPPROPRIATE_FALLBACK}: The peer sent a fatal {@code inappropriate_fallback} alert.
     */
    public static final ErrorCode TLSV1_ALERT_INAPPROPRIATE_FALLBACK =
            define("ERR_SSL_TLSV1_ALERT_INAPPROPRIATE_FALLBACK", Origin.NODE);
    /** {@code ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED}: The peer sent a fatal {@code certificate_required} alert. */
    public static final ErrorCode TLSV13_ALERT_CERTIFICATE_REQUIRED =
            define("ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", Origin.NODE);
    /** {@code ERR_SSL_TLSV13_ALERT_MISSING_EXTENSION}: The peer sent a fatal {@code missing_extension} alert. */
    public static final ErrorCode TLSV13_ALERT_MISSING_EXTENSION =
            define("ERR_SSL_TLSV13_ALERT_MISSING_EXTENSION", Origin.NODE);

    // Certificate verification: OpenSSL's X509_V_ERR_* names, as Node reports them (authorizationError)
    /**
     * {@code UNSPECIFIED}: A verification error Node has no name for; the message is OpenSSL's text (a weak key or
     * digest, a name-constraint violation, ...).
     */
    public static final ErrorCode UNSPECIFIED = define("UNSPECIFIED", Origin.OPENSSL_VERIFY);
    /** {@code UNABLE_TO_GET_ISSUER_CERT}: The issuer of a certificate in the chain could not be found. */
    public static final ErrorCode UNABLE_TO_GET_ISSUER_CERT =
            define("UNABLE_TO_GET_ISSUER_CERT", Origin.OPENSSL_VERIFY);
    /** {@code UNABLE_TO_GET_CRL}: CRL checking is on and no CRL covers a certificate. */
    public static final ErrorCode UNABLE_TO_GET_CRL = define("UNABLE_TO_GET_CRL", Origin.OPENSSL_VERIFY);
    /** {@code UNABLE_TO_DECRYPT_CERT_SIGNATURE}: A certificate's signature could not be decrypted. */
    public static final ErrorCode UNABLE_TO_DECRYPT_CERT_SIGNATURE =
            define("UNABLE_TO_DECRYPT_CERT_SIGNATURE", Origin.OPENSSL_VERIFY);
    /** {@code UNABLE_TO_DECRYPT_CRL_SIGNATURE}: A CRL's signature could not be decrypted. */
    public static final ErrorCode UNABLE_TO_DECRYPT_CRL_SIGNATURE =
            define("UNABLE_TO_DECRYPT_CRL_SIGNATURE", Origin.OPENSSL_VERIFY);
    /** {@code UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY}: The issuer's public key could not be read. */
    public static final ErrorCode UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY =
            define("UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", Origin.OPENSSL_VERIFY);
    /** {@code CERT_SIGNATURE_FAILURE}: A certificate's signature does not verify. */
    public static final ErrorCode CERT_SIGNATURE_FAILURE = define("CERT_SIGNATURE_FAILURE", Origin.OPENSSL_VERIFY);
    /** {@code CRL_SIGNATURE_FAILURE}: A CRL's signature does not verify. */
    public static final ErrorCode CRL_SIGNATURE_FAILURE = define("CRL_SIGNATURE_FAILURE", Origin.OPENSSL_VERIFY);
    /** {@code CERT_NOT_YET_VALID}: A certificate in the chain is not valid yet. */
    public static final ErrorCode CERT_NOT_YET_VALID = define("CERT_NOT_YET_VALID", Origin.OPENSSL_VERIFY);
    /** {@code CERT_HAS_EXPIRED}: A certificate in the chain has expired. */
    public static final ErrorCode CERT_HAS_EXPIRED = define("CERT_HAS_EXPIRED", Origin.OPENSSL_VERIFY);
    /** {@code CRL_NOT_YET_VALID}: A CRL is not valid yet. */
    public static final ErrorCode CRL_NOT_YET_VALID = define("CRL_NOT_YET_VALID", Origin.OPENSSL_VERIFY);
    /** {@code CRL_HAS_EXPIRED}: A CRL has expired. */
    public static final ErrorCode CRL_HAS_EXPIRED = define("CRL_HAS_EXPIRED", Origin.OPENSSL_VERIFY);
    /** {@code ERROR_IN_CERT_NOT_BEFORE_FIELD}: A certificate's notBefore field is malformed. */
    public static final ErrorCode ERROR_IN_CERT_NOT_BEFORE_FIELD =
            define("ERROR_IN_CERT_NOT_BEFORE_FIELD", Origin.OPENSSL_VERIFY);
    /** {@code ERROR_IN_CERT_NOT_AFTER_FIELD}: A certificate's notAfter field is malformed. */
    public static final ErrorCode ERROR_IN_CERT_NOT_AFTER_FIELD =
            define("ERROR_IN_CERT_NOT_AFTER_FIELD", Origin.OPENSSL_VERIFY);
    /** {@code ERROR_IN_CRL_LAST_UPDATE_FIELD}: A CRL's lastUpdate field is malformed. */
    public static final ErrorCode ERROR_IN_CRL_LAST_UPDATE_FIELD =
            define("ERROR_IN_CRL_LAST_UPDATE_FIELD", Origin.OPENSSL_VERIFY);
    /** {@code ERROR_IN_CRL_NEXT_UPDATE_FIELD}: A CRL's nextUpdate field is malformed. */
    public static final ErrorCode ERROR_IN_CRL_NEXT_UPDATE_FIELD =
            define("ERROR_IN_CRL_NEXT_UPDATE_FIELD", Origin.OPENSSL_VERIFY);
    /** {@code OUT_OF_MEM}: Verification ran out of memory (OpenSSL; weft does not report it). */
    public static final ErrorCode OUT_OF_MEM = define("OUT_OF_MEM", Origin.OPENSSL_VERIFY);
    /** {@code DEPTH_ZERO_SELF_SIGNED_CERT}: The peer's certificate is self-signed and not trusted. */
    public static final ErrorCode DEPTH_ZERO_SELF_SIGNED_CERT =
            define("DEPTH_ZERO_SELF_SIGNED_CERT", Origin.OPENSSL_VERIFY);
    /** {@code SELF_SIGNED_CERT_IN_CHAIN}: The chain ends in a self-signed certificate that is not trusted. */
    public static final ErrorCode SELF_SIGNED_CERT_IN_CHAIN =
            define("SELF_SIGNED_CERT_IN_CHAIN", Origin.OPENSSL_VERIFY);
    /** {@code UNABLE_TO_GET_ISSUER_CERT_LOCALLY}: The chain does not lead to a trusted root. */
    public static final ErrorCode UNABLE_TO_GET_ISSUER_CERT_LOCALLY =
            define("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", Origin.OPENSSL_VERIFY);
    /**
     * {@code UNABLE_TO_VERIFY_LEAF_SIGNATURE}: The first certificate's issuer is missing, so its signature cannot be
     * checked.
     */
    public static final ErrorCode UNABLE_TO_VERIFY_LEAF_SIGNATURE =
            define("UNABLE_TO_VERIFY_LEAF_SIGNATURE", Origin.OPENSSL_VERIFY);
    /** {@code CERT_CHAIN_TOO_LONG}: The chain is longer than the verification depth. */
    public static final ErrorCode CERT_CHAIN_TOO_LONG = define("CERT_CHAIN_TOO_LONG", Origin.OPENSSL_VERIFY);
    /** {@code CERT_REVOKED}: A certificate in the chain is revoked by a CRL given in {@code crl}. */
    public static final ErrorCode CERT_REVOKED = define("CERT_REVOKED", Origin.OPENSSL_VERIFY);
    /**
     * {@code INVALID_CA}: A certificate that signs others is not a CA (no basicConstraints CA, or keyUsage without
     * keyCertSign).
     */
    public static final ErrorCode INVALID_CA = define("INVALID_CA", Origin.OPENSSL_VERIFY);
    /** {@code PATH_LENGTH_EXCEEDED}: A CA's pathLenConstraint is exceeded. */
    public static final ErrorCode PATH_LENGTH_EXCEEDED = define("PATH_LENGTH_EXCEEDED", Origin.OPENSSL_VERIFY);
    /**
     * {@code INVALID_PURPOSE}: A certificate's extended key usage does not allow its role (server or client
     * authentication).
     */
    public static final ErrorCode INVALID_PURPOSE = define("INVALID_PURPOSE", Origin.OPENSSL_VERIFY);
    /** {@code CERT_UNTRUSTED}: The root is not trusted for this purpose. */
    public static final ErrorCode CERT_UNTRUSTED = define("CERT_UNTRUSTED", Origin.OPENSSL_VERIFY);
    /**
     * {@code CERT_REJECTED}: The root is marked to reject this purpose, or a strict server refused the certificate for
     * a reason weft could not name.
     */
    public static final ErrorCode CERT_REJECTED = define("CERT_REJECTED", Origin.OPENSSL_VERIFY);
    /** {@code HOSTNAME_MISMATCH}: The certificate does not match the host name given to verification. */
    public static final ErrorCode HOSTNAME_MISMATCH = define("HOSTNAME_MISMATCH", Origin.OPENSSL_VERIFY);

    // weft's own
    /** {@code ERR_WEFT_PROVIDER_UNAVAILABLE}: The chosen provider's jar or native library is missing. */
    public static final ErrorCode PROVIDER_UNAVAILABLE = define("ERR_WEFT_PROVIDER_UNAVAILABLE", Origin.WEFT);
    /**
     * {@code ERR_WEFT_KEY_TYPE_UNSUPPORTED}: The chosen provider cannot sign a TLS handshake with this key type
     * (Ed25519 off SunJSSE).
     */
    public static final ErrorCode KEY_TYPE_UNSUPPORTED = define("ERR_WEFT_KEY_TYPE_UNSUPPORTED", Origin.WEFT);
    /** {@code ERR_WEFT_INVALID_OPTIONS}: Options that contradict each other or lack something required. */
    public static final ErrorCode INVALID_OPTIONS = define("ERR_WEFT_INVALID_OPTIONS", Origin.WEFT);
    /**
     * {@code ERR_WEFT_HANDSHAKE_FAILURE}: A TLS handshake failed for a reason the provider reported as a protocol
     * error, with no more precise code.
     */
    public static final ErrorCode HANDSHAKE_FAILURE = define("ERR_WEFT_HANDSHAKE_FAILURE", Origin.WEFT);
    /**
     * {@code ERR_WEFT_TLS_PROTOCOL}: A TLS-level failure after the handshake (a bad record, an alert) with no more
     * precise code.
     */
    public static final ErrorCode TLS_PROTOCOL = define("ERR_WEFT_TLS_PROTOCOL", Origin.WEFT);
    /** {@code ERR_WEFT_SNI_CALLBACK}: The SNI callback threw something other than a {@link TlsException}. */
    public static final ErrorCode SNI_CALLBACK = define("ERR_WEFT_SNI_CALLBACK", Origin.WEFT);
    /**
     * {@code ERR_WEFT_STARTTLS_INJECTION}: Plaintext was waiting on a connection when STARTTLS was to begin (pipelined
     * after STARTTLS, or injected by a man in the middle: CVE-2011-0411); it is refused rather than taken as TLS data.
     */
    public static final ErrorCode STARTTLS_INJECTION = define("ERR_WEFT_STARTTLS_INJECTION", Origin.WEFT);
    /**
     * {@code ERR_WEFT_STARTTLS_UNSUPPORTED}: A STARTTLS peer did not offer STARTTLS ({@code weft connect --starttls}).
     */
    public static final ErrorCode STARTTLS_UNSUPPORTED = define("ERR_WEFT_STARTTLS_UNSUPPORTED", Origin.WEFT);
    /** {@code ERR_WEFT_STARTTLS_REFUSED}: A STARTTLS peer answered the preamble with an error reply. */
    public static final ErrorCode STARTTLS_REFUSED = define("ERR_WEFT_STARTTLS_REFUSED", Origin.WEFT);
    /** {@code ERR_WEFT_TLS_TRUNCATED}: The transport under a {@link SecurePair} ended in the middle of a TLS record. */
    public static final ErrorCode TRUNCATED = define("ERR_WEFT_TLS_TRUNCATED", Origin.WEFT);
    /**
     * {@code ERR_WEFT_KEYLOG_UNSUPPORTED}: A {@code keylog} sink on a provider that cannot hand out its TLS secrets.
     */
    public static final ErrorCode KEYLOG_UNSUPPORTED = define("ERR_WEFT_KEYLOG_UNSUPPORTED", Origin.WEFT);
    /**
     * {@code ERR_WEFT_EXPORTER}: The provider refused to export keying material (e.g. TLS 1.2 without extended master
     * secret).
     */
    public static final ErrorCode EXPORTER = define("ERR_WEFT_EXPORTER", Origin.WEFT);
    /**
     * {@code ERR_WEFT_EXPORTER_UNSUPPORTED}: Keying material asked of a provider that has no exporter (Bouncy Castle).
     */
    public static final ErrorCode EXPORTER_UNSUPPORTED = define("ERR_WEFT_EXPORTER_UNSUPPORTED", Origin.WEFT);
    /**
     * {@code ERR_WEFT_FINISHED_UNSUPPORTED}: {@code finished()} or {@code peerFinished()} (Node's {@code
     * getFinished()}) on a provider or protocol that does not tell the Finished message (SunJSSE; TLS 1.3; a Conscrypt
     * server).
     */
    public static final ErrorCode FINISHED_UNSUPPORTED = define("ERR_WEFT_FINISHED_UNSUPPORTED", Origin.WEFT);
    /**
     * {@code ERR_WEFT_OCSP_UNSUPPORTED}: An OCSP responder given on a provider that cannot staple what the application
     * gives (SunJSSE, Bouncy Castle).
     */
    public static final ErrorCode OCSP_UNSUPPORTED = define("ERR_WEFT_OCSP_UNSUPPORTED", Origin.WEFT);
    /** {@code ERR_WEFT_OCSP_RESPONDER}: The application's OCSP responder threw: the handshake is refused. */
    public static final ErrorCode OCSP_RESPONDER = define("ERR_WEFT_OCSP_RESPONDER", Origin.WEFT);
    /**
     * {@code ERR_WEFT_CERT_VERIFY_TIMEOUT}: A certificate chain's verification ran past its deadline (5 s by default;
     * {@code VerifyOptions.timeout}): refused, so that no peer holds a handshake's thread with a chain made to be slow.
     */
    public static final ErrorCode CERT_VERIFY_TIMEOUT = define("ERR_WEFT_CERT_VERIFY_TIMEOUT", Origin.WEFT);
    /** {@code ERR_WEFT_PFX_NO_KEY}: A PKCS#12 ({@code pfx}) file that holds no private key. */
    public static final ErrorCode PFX_NO_KEY = define("ERR_WEFT_PFX_NO_KEY", Origin.WEFT);
    /** {@code ERR_WEFT_FILE_EXISTS}: {@code weft cert} would overwrite a file (give {@code --force}). */
    public static final ErrorCode FILE_EXISTS = define("ERR_WEFT_FILE_EXISTS", Origin.WEFT);
    /**
     * {@code ERR_WEFT_BAD_CSR}: {@code weft cert} was given a certificate request whose signature does not verify or
     * that it cannot read.
     */
    public static final ErrorCode BAD_CSR = define("ERR_WEFT_BAD_CSR", Origin.WEFT);
    /** {@code ERR_WEFT_NOT_A_CA}: {@code weft cert ca} was pointed at a certificate that is not a CA. */
    public static final ErrorCode NOT_A_CA = define("ERR_WEFT_NOT_A_CA", Origin.WEFT);
    /** {@code ERR_WEFT_UNKNOWN_SERIAL}: {@code weft cert ca revoke} named a serial number the CA never issued. */
    public static final ErrorCode UNKNOWN_SERIAL = define("ERR_WEFT_UNKNOWN_SERIAL", Origin.WEFT);
    /** {@code ERR_WEFT_ALREADY_REVOKED}: {@code weft cert ca revoke} named a certificate that is already revoked. */
    public static final ErrorCode ALREADY_REVOKED = define("ERR_WEFT_ALREADY_REVOKED", Origin.WEFT);
    /** {@code ERR_WEFT_BENCH_EOF}: {@code weft bench}: the server ended a connection the benchmark still used. */
    public static final ErrorCode BENCH_EOF = define("ERR_WEFT_BENCH_EOF", Origin.WEFT);
    /** {@code ERR_WEFT_BENCH_ECHO_MISMATCH}: {@code weft bench}: the server echoed other bytes than it was sent. */
    public static final ErrorCode BENCH_ECHO_MISMATCH = define("ERR_WEFT_BENCH_ECHO_MISMATCH", Origin.WEFT);
    /** {@code ERR_WEFT_BENCH_TIMEOUT}: {@code weft bench}: no echo came back in time. */
    public static final ErrorCode BENCH_TIMEOUT = define("ERR_WEFT_BENCH_TIMEOUT", Origin.WEFT);
    /**
     * {@code ERR_CRYPTO_OPERATION_FAILED}: An {@code ecdhCurve} list naming a group OpenSSL does not know, or
     * malformed ("Failed to set ECDH curve", as Node 24).
     */
    public static final ErrorCode CRYPTO_OPERATION_FAILED = define("ERR_CRYPTO_OPERATION_FAILED", Origin.NODE);
    /**
     * {@code ERR_SSL_PASSED_INVALID_ARGUMENT}: A {@code sigalgs} list whose every name was skipped ({@code ?name}),
     * as Node 24 reports it.
     */
    public static final ErrorCode PASSED_INVALID_ARGUMENT = define("ERR_SSL_PASSED_INVALID_ARGUMENT", Origin.NODE);
    /**
     * {@code ERR_WEFT_GROUP_UNSUPPORTED}: An {@code ecdhCurve} group the provider cannot negotiate (ML-KEM on sun and
     * conscrypt), a list Conscrypt cannot be given, or a list that leaves no group.
     */
    public static final ErrorCode GROUP_UNSUPPORTED = define("ERR_WEFT_GROUP_UNSUPPORTED", Origin.WEFT);
    /**
     * {@code ERR_WEFT_SIGALGS_INVALID}: A {@code sigalgs} list OpenSSL refuses (an unknown name, an empty entry);
     * Node 24 throws an {@code Error} without a code for it.
     */
    public static final ErrorCode SIGALGS_INVALID = define("ERR_WEFT_SIGALGS_INVALID", Origin.WEFT);
    /** {@code ERR_WEFT_SIGALGS_UNSUPPORTED}: A {@code sigalgs} list on a provider that takes none (Conscrypt 2.5.2). */
    public static final ErrorCode SIGALGS_UNSUPPORTED = define("ERR_WEFT_SIGALGS_UNSUPPORTED", Origin.WEFT);

    /**
     * The code for a string: the constant when weft knows it, else an instance that is not {@link #isKnown()
     * known} (its origin guessed from its form: {@code ERR_WEFT_} is weft's, other {@code ERR_} codes Node's,
     * {@code E} and capitals the system's, anything else verification's).
     *
     * @param code a code as {@link TlsException#code()} gives it
     * @return the code
     */
    public static ErrorCode of(String code) {
        Objects.requireNonNull(code, "code");
        ErrorCode c = KNOWN.get(code);
        if (c != null) {
            return c;
        }
        Origin origin = code.startsWith("ERR_WEFT_") ? Origin.WEFT
                : code.startsWith("ERR_") ? Origin.NODE
                : code.matches("E[A-Z]+") ? Origin.SYSTEM : Origin.OPENSSL_VERIFY;
        return new ErrorCode(code, origin, false);
    }

    /**
     * The constant for a string, if weft knows it.
     *
     * @param code a code
     * @return the constant, or empty
     */
    public static Optional<ErrorCode> known(String code) {
        return Optional.ofNullable(KNOWN.get(code));
    }

    /** {@return every code weft knows, in the order of this class} */
    public static List<ErrorCode> values() {
        return List.copyOf(KNOWN.values());
    }

    /** {@return the code as Node spells it, e.g. {@code ERR_TLS_HANDSHAKE_TIMEOUT}} */
    public String code() {
        return code;
    }

    /** {@return where the code comes from} */
    public Origin origin() {
        return origin;
    }

    /** {@return whether this is one of the constants of this class} */
    public boolean isKnown() {
        return known;
    }

    /**
     * Whether {@code e} carries this code.
     *
     * @param e an exception, may be null
     * @return true when {@code e} is a {@link TlsException} with this code
     */
    public boolean matches(Throwable e) {
        return e instanceof TlsException t && t.code().equals(code);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorCode other && other.code.equals(code);
    }

    @Override
    public int hashCode() {
        return code.hashCode();
    }

    /** {@return the code as Node spells it} */
    @Override
    public String toString() {
        return code;
    }
}
