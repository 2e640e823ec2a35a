package dev.weft.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@link ClientOptions} and {@link ServerOptions} have in common: the credentials (inline, as
 * {@link ContextOptions}, or a ready {@link SecureContext}), {@code rejectUnauthorized}, the provider, the handshake
 * deadline, ALPN, the metrics listener and the key log. Immutable.
 *
 * <p>Differences from Node: Node's {@code tls.connect} and {@code tls.createServer} take one flat options object;
 * weft's two option types share this part.
 */
public abstract sealed class EndpointOptions permits ClientOptions, ServerOptions {
    private final ContextOptions contextOptions;
    private final SecureContext secureContext;
    private final boolean rejectUnauthorized;
    private final JsseProvider provider;
    private final Duration handshakeTimeout;
    private final List<String> alpnProtocols;
    private final TlsListener listener;
    private final Consumer<String> keylog;

    EndpointOptions(Builder<?> b) {
        this.contextOptions = b.buildContextOptions();
        this.secureContext = b.secureContext;
        this.rejectUnauthorized = b.rejectUnauthorized;
        this.provider = b.provider;
        this.handshakeTimeout = b.handshakeTimeout;
        this.alpnProtocols = b.alpnProtocols;
        this.listener = b.listener;
        this.keylog = b.keylog;
    }

    /** Puts these options into {@code b}, for {@code toBuilder()}. */
    <B extends Builder<B>> B copyInto(B b) {
        Builder<?> base = b;
        base.copyFrom(contextOptions);
        base.secureContext = secureContext;
        base.rejectUnauthorized = rejectUnauthorized;
        base.provider = provider;
        base.handshakeTimeout = handshakeTimeout;
        base.alpnProtocols = alpnProtocols;
        base.listener = listener;
        base.keylog = keylog;
        return b;
    }

    ContextOptions contextOptions() {
        return contextOptions;
    }

    SecureContext secureContext() {
        return secureContext;
    }

    /** {@return whether a peer whose certificate does not verify is refused (a server's: with requestCert)} */
    public boolean rejectUnauthorized() {
        return rejectUnauthorized;
    }

    /** {@return the provider the options chose, or null to use {@link JsseProvider#resolve}} */
    public JsseProvider provider() {
        return provider;
    }

    /** {@return the handshake deadline: a client's from before its TCP connect, a server's from accept} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
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
    public Consumer<String> keylog() {
        return keylog;
    }

    /**
     * The settings {@link ClientOptions.Builder} and {@link ServerOptions.Builder} share, besides the credentials of
     * {@link ContextOptions.Settings}. Each method returns the builder.
     *
     * @param <B> the concrete builder
     */
    public abstract static sealed class Builder<B extends Builder<B>> extends ContextOptions.Settings<B>
            permits ClientOptions.Builder, ServerOptions.Builder {
        private SecureContext secureContext;
        private boolean rejectUnauthorized = true;
        private JsseProvider provider;
        private Duration handshakeTimeout;
        private List<String> alpnProtocols = List.of();
        private TlsListener listener;
        private Consumer<String> keylog;

        Builder(Duration defaultHandshakeTimeout) {
            this.handshakeTimeout = defaultHandshakeTimeout;
        }

        @SuppressWarnings("unchecked")
        private B me() {
            return (B) this;
        }

        /**
         * Use this context instead of the inline key, cert and ca. Default: the inline options.
         *
         * @param context the key, certificate and CA to use
         * @return this builder
         */
        public B secureContext(SecureContext context) {
            this.secureContext = context;
            return me();
        }

        /**
         * Refuse a peer whose certificate does not verify. Default true, as in Node since v0.10 (v0.6's default was
         * false). A server asks for a certificate only with {@code requestCert}.
         *
         * @param reject whether a peer whose certificate does not verify is refused
         * @return this builder
         */
        public B rejectUnauthorized(boolean reject) {
            this.rejectUnauthorized = reject;
            return me();
        }

        /**
         * The JSSE provider. Default: {@code weft.provider}, else {@code WEFT_PROVIDER}, else SUN.
         *
         * @param provider the JSSE provider; null resolves it as {@link JsseProvider#resolve} does
         * @return this builder
         */
        public B provider(JsseProvider provider) {
            this.provider = provider;
            return me();
        }

        /**
         * How long the handshake may take: a client's deadline covers its TCP connect too (default
         * {@link ClientOptions#DEFAULT_HANDSHAKE_TIMEOUT}, 30 s), a server's runs from accept (default
         * {@link ServerOptions#DEFAULT_HANDSHAKE_TIMEOUT}, 120 s, Node's).
         *
         * @param timeout how long it may take
         * @return this builder
         */
        public B handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "handshakeTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return me();
        }

        /**
         * The ALPN protocols, most preferred first (Node's {@code ALPNProtocols}; v0.6's {@code NPNProtocols}): those
         * a client offers, or those a server accepts — the server's preference decides, and a client offering none
         * of them is refused with a no_application_protocol alert. Default: no ALPN.
         *
         * <p>Differences from Node: JSSE has no NPN, so {@code NPNProtocols} is this ALPN list.
         *
         * @param protocols the protocols, most preferred first
         * @return this builder
         */
        public B alpnProtocols(String... protocols) {
            this.alpnProtocols = ContextOptions.alpnList(protocols);
            return me();
        }

        /**
         * v0.6's {@code NPNProtocols}: JSSE has no NPN (it was replaced by ALPN), so this sets
         * {@link #alpnProtocols} and the protocols are negotiated with ALPN.
         *
         * @param protocols the protocols, most preferred first
         * @return this builder
         */
        public B npnProtocols(String... protocols) {
            return alpnProtocols(protocols);
        }

        /**
         * Metrics hooks for handshakes, and on a server also connections, client errors, drops and served
         * certificates (a client reports only {@link TlsListener#handshakeCompleted} and
         * {@link TlsListener#handshakeFailed}); see {@link TlsListener} for the threading contract. Default: none.
         *
         * @param listener the listener, or null for none
         * @return this builder
         */
        public B listener(TlsListener listener) {
            this.listener = listener;
            return me();
        }

        /**
         * Node's {@code 'keylog'} event: {@code sink} would get each TLS secret as a line of the SSLKEYLOGFILE format
         * Wireshark reads ({@code CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>}, ...). None of weft's
         * providers hands its secrets out through a public API (SunJSSE 25: only RFC 5705 exporters, and
         * JDK-8262880 was not accepted; Bouncy Castle JSSE 1.84: only RFC 5705 exporters; Conscrypt 2.5.2:
         * BoringSSL's keylog callback is not bound), and weft does not reach into their internals, so a
         * {@code keylog} sink is refused by {@link Tls#connect}, {@link Tls#upgrade}, {@link Tls#createServer} and
         * {@link Tls#upgradeServer} with {@code ERR_WEFT_KEYLOG_UNSUPPORTED} naming the provider, rather than
         * silently logging nothing. {@code ./weft providers} says so per provider. Default: none.
         *
         * <p>Differences from Node: Node (OpenSSL) supports it; to decrypt weft's traffic, log the peer's keys
         * instead ({@code openssl s_client -keylogfile}, or Node's {@code 'keylog'} event).
         *
         * @param sink where the key log lines would go
         * @return this builder
         */
        public B keylog(Consumer<String> sink) {
            this.keylog = sink;
            return me();
        }
    }
}
