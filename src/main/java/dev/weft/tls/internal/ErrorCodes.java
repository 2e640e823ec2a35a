package dev.weft.tls.internal;

/**
 * The codes weft puts on {@link dev.weft.tls.TlsException}: Node's {@code err.code} where Node has one, weft's own
 * {@code ERR_WEFT_*} otherwise. Callers branch on these, never on message text.
 */
public final class ErrorCodes {
    private ErrorCodes() {
    }

    // Node's codes
    public static final String HANDSHAKE_TIMEOUT = "ERR_TLS_HANDSHAKE_TIMEOUT";
    public static final String CERT_ALTNAME_INVALID = "ERR_TLS_CERT_ALTNAME_INVALID";
    public static final String ECONNRESET = "ECONNRESET";
    public static final String ECONNREFUSED = "ECONNREFUSED";
    public static final String ETIMEDOUT = "ETIMEDOUT";
    public static final String EPIPE = "EPIPE";
    public static final String SERVER_NOT_RUNNING = "ERR_SERVER_NOT_RUNNING";
    public static final String SERVER_ALREADY_LISTEN = "ERR_SERVER_ALREADY_LISTEN";
    public static final String PEER_DID_NOT_RETURN_A_CERTIFICATE = "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE";
    public static final String NO_START_LINE = "ERR_OSSL_PEM_NO_START_LINE";
    public static final String KEY_VALUES_MISMATCH = "ERR_OSSL_X509_KEY_VALUES_MISMATCH";

    // weft's own
    /** The chosen provider's jar or native library is missing. */
    public static final String PROVIDER_UNAVAILABLE = "ERR_WEFT_PROVIDER_UNAVAILABLE";
    /** A client-initiated renegotiation (Node's limit is 3 per 10 minutes; weft refuses the first). */
    public static final String SESSION_ATTACK = "ERR_TLS_SESSION_ATTACK";
    /** A write after {@code end()} (Node's stream error). */
    public static final String WRITE_AFTER_END = "ERR_STREAM_WRITE_AFTER_END";
    /** A record longer than TLS allows (OpenSSL: "packet length too long"). */
    public static final String DATA_LENGTH_TOO_LONG = "ERR_SSL_DATA_LENGTH_TOO_LONG";
    public static final String UNEXPECTED_MESSAGE = "ERR_SSL_UNEXPECTED_MESSAGE";
    public static final String BAD_CHANGE_CIPHER_SPEC = "ERR_SSL_BAD_CHANGE_CIPHER_SPEC";
    public static final String LENGTH_MISMATCH = "ERR_SSL_LENGTH_MISMATCH";
    public static final String ERROR_IN_RECEIVED_CIPHER_LIST = "ERR_SSL_ERROR_IN_RECEIVED_CIPHER_LIST";
    public static final String NO_COMPRESSION_SPECIFIED = "ERR_SSL_NO_COMPRESSION_SPECIFIED";
    public static final String REQUIRED_COMPRESSION_ALGORITHM_MISSING =
            "ERR_SSL_REQUIRED_COMPRESSION_ALGORITHM_MISSING";
    public static final String RECORD_TOO_SMALL = "ERR_SSL_RECORD_TOO_SMALL";
    public static final String DECRYPTION_FAILED_OR_BAD_RECORD_MAC = "ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC";
    /** Plain HTTP on a TLS port (OpenSSL: "http request"). */
    public static final String HTTP_REQUEST = "ERR_SSL_HTTP_REQUEST";
    /** An HTTP proxy's CONNECT on a TLS port (OpenSSL: "https proxy request"). */
    public static final String HTTPS_PROXY_REQUEST = "ERR_SSL_HTTPS_PROXY_REQUEST";
    /** A handshake message longer than any peer may send (OpenSSL: "excessive message size"). */
    public static final String EXCESSIVE_MESSAGE_SIZE = "ERR_SSL_EXCESSIVE_MESSAGE_SIZE";
    /** Bytes that are not a TLS record (OpenSSL: "wrong version number"). */
    public static final String WRONG_VERSION_NUMBER = "ERR_SSL_WRONG_VERSION_NUMBER";
    /** A protocol weft does not speak (SSL 2.0/3.0, TLS 1.0/1.1). */
    public static final String UNSUPPORTED_PROTOCOL = "ERR_SSL_UNSUPPORTED_PROTOCOL";
    /** No handshake signature the server's key can make among the client's (SHA-1 and MD5 refused). */
    public static final String NO_SHARED_SIGNATURE_ALGORITHMS = "ERR_SSL_NO_SHARED_SIGNATURE_ALGORITHMS";
    /** TLS 1.3: the client's schemes are acceptable, but none fits the server's key. */
    public static final String NO_SUITABLE_SIGNATURE_ALGORITHM = "ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM";
    /** A TLS 1.3 ClientHello without signature_algorithms. */
    public static final String MISSING_SIGALGS_EXTENSION = "ERR_SSL_MISSING_SIGALGS_EXTENSION";
    /** An extension whose contents are malformed (an empty signature_algorithms list, for one). */
    public static final String BAD_EXTENSION = "ERR_SSL_BAD_EXTENSION";
    /** No suite both ends accept (in TLS 1.2 also: none the client's signature algorithms allow). */
    public static final String NO_SHARED_CIPHER = "ERR_SSL_NO_SHARED_CIPHER";
    /** TLS_FALLBACK_SCSV from a client that could have had a better version (RFC 7507). */
    public static final String INAPPROPRIATE_FALLBACK = "ERR_SSL_INAPPROPRIATE_FALLBACK";
    /** The SNI callback threw something other than a TlsException. */
    public static final String SNI_CALLBACK = "ERR_WEFT_SNI_CALLBACK";
    /** A cipher string that selects no suite (Node/OpenSSL: "No cipher match"). */
    public static final String NO_CIPHER_MATCH = "ERR_SSL_NO_CIPHER_MATCH";
    /** minVersion or maxVersion is not TLSv1.2 or TLSv1.3, or min is above max. */
    public static final String INVALID_PROTOCOL_VERSION = "ERR_TLS_INVALID_PROTOCOL_VERSION";
    /** The chosen provider cannot sign a TLS handshake with this key type (Ed25519 off SunJSSE). */
    public static final String KEY_TYPE_UNSUPPORTED = "ERR_WEFT_KEY_TYPE_UNSUPPORTED";
    /** Options that contradict each other or lack something required. */
    public static final String INVALID_OPTIONS = "ERR_WEFT_INVALID_OPTIONS";
    /** A TLS handshake failed for a reason the provider reported as a protocol error. */
    public static final String HANDSHAKE_FAILURE = "ERR_WEFT_HANDSHAKE_FAILURE";
    /** A TLS-level failure after the handshake (bad record, alert). */
    public static final String TLS_PROTOCOL = "ERR_WEFT_TLS_PROTOCOL";
    /**
     * Plaintext was waiting on a connection when STARTTLS was to begin (a command pipelined after STARTTLS, or
     * injected by a man in the middle: CVE-2011-0411); it is refused rather than taken as TLS data.
     */
    public static final String STARTTLS_INJECTION = "ERR_WEFT_STARTTLS_INJECTION";
    /** A STARTTLS peer did not offer STARTTLS (weft connect --starttls). */
    public static final String STARTTLS_UNSUPPORTED = "ERR_WEFT_STARTTLS_UNSUPPORTED";
    /** A STARTTLS peer answered the preamble with an error reply. */
    public static final String STARTTLS_REFUSED = "ERR_WEFT_STARTTLS_REFUSED";
    /** The transport under a SecurePair ended in the middle of a TLS record. */
    public static final String TRUNCATED = "ERR_WEFT_TLS_TRUNCATED";
    /** A {@code keylog} sink on a provider that cannot hand out its TLS secrets. */
    public static final String KEYLOG_UNSUPPORTED = "ERR_WEFT_KEYLOG_UNSUPPORTED";
    /** Keying material asked of a socket that is not (or no longer) a secured connection. */
    public static final String TLS_INVALID_STATE = "ERR_TLS_INVALID_STATE";
    /** The provider refused to export keying material (e.g. TLS 1.2 without extended master secret). */
    public static final String EXPORTER = "ERR_WEFT_EXPORTER";
    /** Keying material asked of a provider that has no exporter. */
    public static final String EXPORTER_UNSUPPORTED = "ERR_WEFT_EXPORTER_UNSUPPORTED";
    /** An OCSP responder given on a provider that cannot staple what the application gives. */
    public static final String OCSP_UNSUPPORTED = "ERR_WEFT_OCSP_UNSUPPORTED";
    /** The application's OCSP responder threw: the handshake is refused. */
    public static final String OCSP_RESPONDER = "ERR_WEFT_OCSP_RESPONDER";
    /**
     * A certificate chain's verification ran past its deadline (5 s by default; {@code VerifyOptions.timeout}):
     * refused, so that no peer holds a handshake's thread with a chain made to be slow.
     */
    public static final String CERT_VERIFY_TIMEOUT = dev.weft.tls.internal.trust.Verifier.TIMEOUT_CODE;
    /** The peer's certificate was refused (strict server) for a reason weft could not name. */
    public static final String CERT_REJECTED = "CERT_REJECTED";
    /** A Finished message asked of a provider (or a protocol) that does not tell it ({@code getFinished()}). */
    public static final String FINISHED_UNSUPPORTED = "ERR_WEFT_FINISHED_UNSUPPORTED";
}
