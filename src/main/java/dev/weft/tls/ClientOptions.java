package dev.weft.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Tls#connect} connects: Node's {@code tls.connect(options)}. Immutable; build with {@link #builder()}.
 *
 * <p>Differences from Node: {@code handshakeTimeout} bounds the TCP connect plus the handshake (Node has no
 * client handshake deadline and waits forever on a server that never answers). SNI: weft sends
 * {@code servername} when given, else the host when it is a DNS name, never an IP address; {@code servername("")}
 * sends none. Node sends SNI only when {@code servername} is set (nodejs/node#28167).
 */
public final class ClientOptions {
    /** The default deadline for connect plus handshake: 30 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final ContextOptions contextOptions;
    private final SecureContext secureContext;
    private final String servername;
    private final boolean rejectUnauthorized;
    private final JsseProvider provider;
    private final Duration handshakeTimeout;
    private final List<String> alpnProtocols;
    private final TlsSession session;
    private final ServerIdentityCheck checkServerIdentity;
    private final boolean requestOCSP;
    private final TlsListener listener;
    private final java.util.function.Consumer<String> keylog;

    private ClientOptions(Builder b) {
        this.contextOptions = b.buildContextOptions();
        this.secureContext = b.secureContext;
        this.servername = b.servername;
        this.rejectUnauthorized = b.rejectUnauthorized;
        this.provider = b.provider;
        this.handshakeTimeout = b.handshakeTimeout;
        this.alpnProtocols = b.alpnProtocols;
        this.session = b.session;
        this.checkServerIdentity = b.checkServerIdentity;
        this.requestOCSP = b.requestOCSP;
        this.listener = b.listener;
        this.keylog = b.keylog;
    }

    /**
     * A builder with Node's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return options with every default: verify the server against the JDK's roots} */
    public static ClientOptions defaults() {
        return builder().build();
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
        b.servername = servername;
        b.rejectUnauthorized = rejectUnauthorized;
        b.provider = provider;
        b.handshakeTimeout = handshakeTimeout;
        b.alpnProtocols = alpnProtocols;
        b.session = session;
        b.checkServerIdentity = checkServerIdentity;
        b.requestOCSP = requestOCSP;
        b.listener = listener;
        b.keylog = keylog;
        return b;
    }

    ContextOptions contextOptions() {
        return contextOptions;
    }

    SecureContext secureContext() {
        return secureContext;
    }

    /** {@return the SNI name to send: null for the default rule, empty for none} */
    public String servername() {
        return servername;
    }

    /** {@return whether a server whose certificate does not verify is refused} */
    public boolean rejectUnauthorized() {
        return rejectUnauthorized;
    }

    /** {@return the provider the options chose, or null to use {@link JsseProvider#resolve}} */
    public JsseProvider provider() {
        return provider;
    }

    /** {@return the deadline for TCP connect plus TLS handshake} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return whether the client keeps the server's stapled OCSP response ({@link TlsSocket#ocspResponse()})} */
    public boolean requestOCSP() {
        return requestOCSP;
    }

    /** {@return the server identity check; {@link Tls#checkServerIdentity} unless replaced} */
    public ServerIdentityCheck checkServerIdentity() {
        return checkServerIdentity;
    }

    /** {@return the session to resume, or null} */
    public TlsSession session() {
        return session;
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

    /** The builder for {@link ClientOptions}. */
    public static final class Builder extends ContextOptions.Settings<Builder> {
        private SecureContext secureContext;
        private String servername;
        private boolean rejectUnauthorized = true;
        private JsseProvider provider;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private List<String> alpnProtocols = List.of();
        private TlsSession session;
        private ServerIdentityCheck checkServerIdentity = Tls::checkServerIdentity;
        private boolean requestOCSP;

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
         * The name sent in SNI and checked against the server's certificate. Default: the host when it is a DNS
         * name. {@code ""} sends no SNI.
         *
         * @param servername the server name to send as SNI and check the certificate against
         * @return this builder
         */
        public Builder servername(String servername) {
            this.servername = servername;
            return this;
        }

        /**
         * Refuse a server whose certificate does not verify. Default true, as in Node since v0.10.
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
         * The deadline for TCP connect plus handshake. Default 30 s.
         *
         * @param timeout how long the handshake may take
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
         * Asks the server for a stapled OCSP response and keeps it: {@link TlsSocket#ocspResponse()} (Node's
         * {@code requestOCSP} and {@code 'OCSPResponse'} event). weft does not judge the response; an application
         * that requires a good one reads it after the handshake (Bouncy Castle's {@code OCSPResp} decodes it) and
         * closes the socket before sending anything when it is missing, revoked or stale. Default: false.
         *
         * <p>Differences from Node: every provider sends status_request in every ClientHello whatever this says (the
         * JDK's {@code jdk.tls.client.enableStatusRequestExtension}, on by default, is read process-wide; Conscrypt
         * always asks); false only means the response is not kept. Bouncy Castle JSSE gives weft the response in
         * TLS 1.2 only: under TLS 1.3 {@code ocspResponse()} is empty on that provider even when the server stapled
         * one.
         *
         * @param request whether to keep the stapled response
         * @return this builder
         */
        public Builder requestOCSP(boolean request) {
            this.requestOCSP = request;
            return this;
        }

        /**
         * Replaces Node's host-name check ({@link Tls#checkServerIdentity}), which runs once the chain verified.
         * A check that never throws accepts any name the trusted chain carries.
         *
         * @param check the check to run once the certificate verifies
         * @return this builder
         */
        public Builder checkServerIdentity(ServerIdentityCheck check) {
            this.checkServerIdentity = Objects.requireNonNull(check, "checkServerIdentity");
            return this;
        }

        /**
         * The ALPN protocols this client offers, most preferred first (Node's {@code ALPNProtocols}; v0.6's
         * {@code NPNProtocols}). Default: none.
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
         * Resume this session (from {@link TlsSocket#session()}) if the server still has it: Node's
         * {@code session}. The connection then uses the session's secure context (its key, cert and ca) instead of
         * these options' own, and {@link TlsSocket#isSessionReused()} tells whether the server resumed.
         *
         * @param session a session from an earlier connection, to resume
         * @return this builder
         */
        public Builder session(TlsSession session) {
            this.session = session;
            return this;
        }

        /**
         * Node's {@code 'keylog'} event: {@code sink} would get each TLS secret as a line of the SSLKEYLOGFILE
         * format Wireshark reads ({@code CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>}, ...). None of
         * weft's providers hands its secrets out through a public API (SunJSSE 25: only RFC 5705 exporters, and
         * JDK-8262880 was not accepted; Bouncy Castle JSSE 1.84: only RFC 5705 exporters; Conscrypt 2.5.2: BoringSSL's
         * keylog callback
         * is not bound), and weft does not reach into their internals, so a {@code keylog} sink is refused by
         * {@link Tls#connect} and {@link Tls#upgrade} with {@code ERR_WEFT_KEYLOG_UNSUPPORTED} naming the provider,
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
         * Metrics hooks for this client's handshakes (a client reports only {@link TlsListener#handshakeCompleted} and
         * {@link TlsListener#handshakeFailed}); see {@link TlsListener} for the threading contract.
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
        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
