package dev.weft.tls;

import java.time.Duration;
import java.util.List;
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
public final class ServerOptions {
    /** Node's default handshake timeout: 120 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(120);

    private final ContextOptions contextOptions;
    private final SecureContext secureContext;
    private final boolean requestCert;
    private final boolean rejectUnauthorized;
    private final JsseProvider provider;
    private final Duration handshakeTimeout;
    private final List<String> alpnProtocols;
    private final SniCallback sniCallback;
    private final AlpnCallback alpnCallback;
    private final OcspResponder ocspResponder;
    private final Duration idleTimeout;
    private final TlsListener listener;
    private final java.util.function.Consumer<String> keylog;
    private final Duration sessionTimeout;

    /** Node 24's session timeout when none is given: OpenSSL's default, 7200 s (Node documents 300 s). */
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(7200);

    private ServerOptions(Builder b) {
        this.contextOptions = b.buildContextOptions();
        this.secureContext = b.secureContext;
        this.requestCert = b.requestCert;
        this.rejectUnauthorized = b.rejectUnauthorized;
        this.provider = b.provider;
        this.handshakeTimeout = b.handshakeTimeout;
        this.alpnProtocols = b.alpnProtocols;
        this.sniCallback = b.sniCallback;
        this.alpnCallback = b.alpnCallback;
        this.ocspResponder = b.ocspResponder;
        this.idleTimeout = b.idleTimeout;
        this.listener = b.listener;
        this.keylog = b.keylog;
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
        Builder b = new Builder();
        b.copyFrom(contextOptions);
        b.secureContext = secureContext;
        b.requestCert = requestCert;
        b.rejectUnauthorized = rejectUnauthorized;
        b.provider = provider;
        b.handshakeTimeout = handshakeTimeout;
        b.alpnProtocols = alpnProtocols;
        b.sniCallback = sniCallback;
        b.alpnCallback = alpnCallback;
        b.ocspResponder = ocspResponder;
        b.idleTimeout = idleTimeout;
        b.listener = listener;
        b.keylog = keylog;
        b.sessionTimeout = sessionTimeout;
        return b;
    }

    ContextOptions contextOptions() {
        return contextOptions;
    }

    SecureContext secureContext() {
        return secureContext;
    }

    /** {@return whether the server asks clients for a certificate} */
    public boolean requestCert() {
        return requestCert;
    }

    /** {@return whether a client whose certificate does not verify is refused (only with {@link #requestCert()})} */
    public boolean rejectUnauthorized() {
        return rejectUnauthorized;
    }

    /** {@return the provider the options chose, or null to use {@link JsseProvider#resolve}} */
    public JsseProvider provider() {
        return provider;
    }

    /** {@return the handshake deadline, measured from accept} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
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

    /** {@return the ALPN protocols offered, in preference order; empty for none} */
    public List<String> alpnProtocols() {
        return alpnProtocols;
    }

    /** {@return the metrics listener; never null (a no-op when none was given)} */
    public TlsListener listener() {
        return listener == null ? Listeners.NONE : listener;
    }

    /** {@return the SSLKEYLOGFILE sink, or null; see {@link Builder#keylog}} */
    public java.util.function.Consumer<String> keylog() {
        return keylog;
    }

    /** The builder for {@link ServerOptions}. */
    public static final class Builder extends ContextOptions.Settings<Builder> {
        private SecureContext secureContext;
        private boolean requestCert;
        private boolean rejectUnauthorized = true;
        private JsseProvider provider;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private List<String> alpnProtocols = List.of();
        private SniCallback sniCallback;
        private AlpnCallback alpnCallback;
        private OcspResponder ocspResponder;
        private Duration idleTimeout;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;

        private TlsListener listener;
        private java.util.function.Consumer<String> keylog;

        private Builder() {
        }

        /**
         * Use this context instead of the inline key, cert and ca. Default: the inline options.
         *
         * @param context the key, certificate and CA to use
         * @return this builder
         */
        public Builder secureContext(SecureContext context) {
            this.secureContext = context;
            return this;
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
         * With {@link #requestCert}, refuse clients whose certificate does not verify. Default true.
         *
         * @param reject whether a peer whose certificate does not verify is refused
         * @return this builder
         */
        public Builder rejectUnauthorized(boolean reject) {
            this.rejectUnauthorized = reject;
            return this;
        }

        /**
         * The JSSE provider. Default: {@code weft.provider}, else {@code WEFT_PROVIDER}, else SUN.
         *
         * @param provider the JSSE provider; null resolves it as {@link JsseProvider#resolve} does
         * @return this builder
         */
        public Builder provider(JsseProvider provider) {
            this.provider = provider;
            return this;
        }

        /**
         * How long a client has, from accept, to complete the handshake. Default 120 s.
         *
         * @param timeout how long it may take
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "handshakeTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * The ALPN protocols this server accepts, most preferred first (Node's {@code ALPNProtocols}; v0.6's
         * {@code NPNProtocols}): the server's preference decides, and a client offering none of them is refused
         * with a no_application_protocol alert. Default: no ALPN.
         *
         * <p>Differences from Node: JSSE has no NPN, so {@code NPNProtocols} is this ALPN list.
         *
         * @param protocols the protocols, most preferred first
         * @return this builder
         */
        public Builder alpnProtocols(String... protocols) {
            this.alpnProtocols = ContextOptions.alpnList(protocols);
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
         * Closes a connection once nothing has been read from or written to it for {@code timeout} (after the
         * handshake). Default: no limit, as Node.
         *
         * <p>Differences from Node: Node's {@code setTimeout} only emits {@code 'timeout'} and leaves closing to
         * the application; weft closes the connection, and a blocked read or write in the handler fails.
         *
         * @param timeout how long it may take
         * @return this builder
         */
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

        public Builder idleTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("idleTimeout must be positive: " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Node's {@code 'keylog'} event: {@code sink} would get each TLS secret as a line of the SSLKEYLOGFILE
         * format Wireshark reads ({@code CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>}, ...). None of
         * weft's providers hands its secrets out through a public API (SunJSSE 25: only RFC 5705 exporters, and
         * JDK-8262880 was not accepted; Bouncy Castle JSSE 1.84: only RFC 5705 exporters; Conscrypt 2.5.2: BoringSSL's
         * keylog callback
         * is not bound), and weft does not reach into their internals, so a {@code keylog} sink is refused by
         * {@link Tls#createServer} and {@link Tls#upgradeServer} with {@code ERR_WEFT_KEYLOG_UNSUPPORTED} naming the
         * provider,
         * rather than silently logging nothing. {@code ./weft providers} says so per provider. Default: none.
         *
         * <p>Differences from Node: Node (OpenSSL) supports it; to decrypt weft's traffic, log the peer's keys
         * instead ({@code openssl s_client -keylogfile}, or Node's {@code 'keylog'} event).
         *
         * @param sink where the key log lines would go
         * @return this builder
         */
        public Builder keylog(java.util.function.Consumer<String> sink) {
            this.keylog = sink;
            return this;
        }

        /**
         * Metrics hooks for this server's handshakes, connections, client errors, drops and served certificates; see
         * {@link TlsListener} for the threading contract.
         * Default: none.
         *
         * @param listener the listener, or null for none
         * @return this builder
         */
        public Builder listener(TlsListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * v0.6's {@code NPNProtocols}: JSSE has no NPN (it was replaced by ALPN), so this sets
         * {@link #alpnProtocols} and the protocols are negotiated with ALPN.
         *
         * @param protocols the protocols, most preferred first
         * @return this builder
         */
        public Builder npnProtocols(String... protocols) {
            return alpnProtocols(protocols);
        }

        /** {@return the options} */
        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}
