package dev.weft.tls;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TlsServer} runs: Node's {@code tls.createServer(options)}. Immutable; build with {@link #builder()}.
 *
 * <p>The credentials are either given inline ({@code key}, {@code cert}, {@code ca}, ... on the builder, as in
 * Node) or as a ready {@link SecureContext}.
 *
 * <p>Differences from Node: {@code rejectUnauthorized} defaults to true, as in Node since v0.10 (v0.6's
 * default was false); a client refused this way never reaches the handler, and the server's client-error handler
 * gets the reason. The handshake timeout closes the socket (Node v20 leaves it open).
 */
public final class ServerOptions extends EndpointOptions {
    /** Node's default handshake timeout: 120 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(120);

    private final boolean requestCert;
    private final SniCallback sniCallback;
    private final AlpnCallback alpnCallback;
    private final OcspResponder ocspResponder;
    private final Duration idleTimeout;
    private final Duration sessionTimeout;

    /** Node 24's session timeout when none is given: OpenSSL's default, 7200 s (Node documents 300 s). */
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(7200);

    private ServerOptions(Builder b) {
        super(b);
        this.requestCert = b.requestCert;
        this.sniCallback = b.sniCallback;
        this.alpnCallback = b.alpnCallback;
        this.ocspResponder = b.ocspResponder;
        this.idleTimeout = b.idleTimeout;
        this.sessionTimeout = b.sessionTimeout;
    }

    /**
     * A builder with Node's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to derive a variant.
     *
     * @return a new builder holding these options
     */
    public Builder toBuilder() {
        Builder b = copyInto(new Builder());
        b.requestCert = requestCert;
        b.sniCallback = sniCallback;
        b.alpnCallback = alpnCallback;
        b.ocspResponder = ocspResponder;
        b.idleTimeout = idleTimeout;
        b.sessionTimeout = sessionTimeout;
        return b;
    }

    /** {@return whether the server asks clients for a certificate} */
    public boolean requestCert() {
        return requestCert;
    }

    /** {@return how long a connection may go without a read or write before it is closed; null for no limit} */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * {@return how long a session this server makes can be resumed: the session cache's timeout and the lifetime
     * of the session tickets it issues (Node's {@code sessionTimeout})}
     */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** {@return the ALPN callback, or null} */
    public AlpnCallback alpnCallback() {
        return alpnCallback;
    }

    /** {@return what supplies the OCSP response to staple, or null for none} */
    public OcspResponder ocspResponder() {
        return ocspResponder;
    }

    /** {@return the SNI callback, or null} */
    public SniCallback sniCallback() {
        return sniCallback;
    }

    /** The builder for {@link ServerOptions}. */
    public static final class Builder extends EndpointOptions.Builder<Builder> {
        private boolean requestCert;
        private SniCallback sniCallback;
        private AlpnCallback alpnCallback;
        private OcspResponder ocspResponder;
        private Duration idleTimeout;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;

        private Builder() {
            super(DEFAULT_HANDSHAKE_TIMEOUT);
        }

        /**
         * Ask clients for a certificate and verify it against {@code ca}. Default false.
         *
         * @param requestCert whether the client is asked for a certificate
         * @return this builder
         */
        public Builder requestCert(boolean requestCert) {
            this.requestCert = requestCert;
            return this;
        }

        /**
         * Chooses the secure context per SNI name (Node's {@code SNICallback}); null from the callback means the
         * default context. Runs before {@link TlsServer#addContext} patterns are consulted.
         *
         * @param callback picks the context per SNI name
         * @return this builder
         */
        public Builder sniCallback(SniCallback callback) {
            this.sniCallback = callback;
            return this;
        }

        /**
         * Chooses the ALPN protocol from the client's list (Node's {@code ALPNCallback}); cannot be combined with
         * {@link #alpnProtocols} ({@code ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS} from {@link Tls#createServer}).
         *
         * @param callback picks the protocol from the client's list
         * @return this builder
         */
        public Builder alpnCallback(AlpnCallback callback) {
            this.alpnCallback = callback;
            return this;
        }

        /**
         * Staples an OCSP response to the server's certificate when a client asks for one (Node's
         * {@code 'OCSPRequest'} event); see {@link OcspResponder}. Conscrypt only: on SunJSSE and Bouncy Castle
         * {@link Tls#createServer} refuses it with {@code ERR_WEFT_OCSP_UNSUPPORTED}.
         *
         * @param responder supplies the response per handshake; null for none (the default)
         * @return this builder
         */
        public Builder ocspResponder(OcspResponder responder) {
            this.ocspResponder = responder;
            return this;
        }

        /**
         * How long a session this server makes can be resumed (whole seconds): Node's {@code sessionTimeout}. It is
         * both the server's session cache timeout and the lifetime of the session tickets it issues (TLS 1.2's
         * lifetime hint, TLS 1.3's ticket_lifetime), as OpenSSL makes them; a client coming back later does a full
         * handshake. Default: 7200 s (2 hours), what a Node 24 server does when none is given.
         *
         * <p>Differences from Node: Node documents a default of 300 s, but a Node 24 server given none keeps
         * OpenSSL's 7200 s (its tickets say 7200); weft does what Node 24 does. Per provider, as measured against a
         * Node 24 server given the same timeout: SunJSSE's tickets say the timeout, as Node's, but SunJSSE 25 checks
         * no ticket's age (only its key's, an hour by default, {@code jdk.tls.server.statelessKeyTimeout}), so a
         * TLS 1.2 session resumes past the timeout there, and so does a TLS 1.3 one with a client that offers an
         * expired ticket (OpenSSL and Node stop offering it); start the JVM with
         * {@code -Djdk.tls.server.enableSessionTicketExtension=false} to resume by session ID, which keeps the
         * timeout. Bouncy Castle issues no tickets (TLS 1.2 resumes by session ID, with this timeout;
         * TLS 1.3 not at all). Conscrypt's TLS 1.2 tickets say the timeout and expire with it, but its TLS 1.3
         * tickets say, and live, BoringSSL's own 48 hours ({@code SSL_CTX_set_session_psk_dhe_timeout}, which
         * Conscrypt does not expose).
         *
         * @param timeout how long, at least 1 s
         * @return this builder
         */
        public Builder sessionTimeout(Duration timeout) {
            java.util.Objects.requireNonNull(timeout, "sessionTimeout");
            if (timeout.getSeconds() < 1 || timeout.getSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("sessionTimeout must be 1 s to 2^31-1 s: " + timeout);
            }
            this.sessionTimeout = Duration.ofSeconds(timeout.getSeconds());
            return this;
        }

        /**
         * Closes a connection once nothing has been read from or written to it for {@code timeout} (after the
         * handshake). Default: no limit, as Node.
         *
         * <p>Differences from Node: Node's {@code setTimeout} only emits {@code 'timeout'} and leaves closing to
         * the application; weft closes the connection, and a blocked read or write in the handler fails.
         *
         * @param timeout how long it may take
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("idleTimeout must be positive: " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** {@return the options} */
        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}
