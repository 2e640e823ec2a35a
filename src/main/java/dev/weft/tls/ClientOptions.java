package dev.weft.tls;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Tls#connect} connects: Node's {@code tls.connect(options)}. Immutable; build with {@link #builder()}.
 *
 * <p>Differences from Node: {@code handshakeTimeout} bounds the TCP connect plus the handshake (Node has no
 * client handshake deadline and waits forever on a server that never answers). SNI: weft sends
 * {@code servername} when given, else the host when it is a DNS name, never an IP address; {@code servername("")}
 * sends none. Node sends SNI only when {@code servername} is set (nodejs/node#28167).
 */
public final class ClientOptions extends EndpointOptions {
    /** The default deadline for connect plus handshake: 30 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final String servername;
    private final TlsSession session;
    private final ServerIdentityCheck checkServerIdentity;
    private final boolean requestOCSP;

    private ClientOptions(Builder b) {
        super(b);
        this.servername = b.servername;
        this.session = b.session;
        this.checkServerIdentity = b.checkServerIdentity;
        this.requestOCSP = b.requestOCSP;
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
        Builder b = copyInto(new Builder());
        b.servername = servername;
        b.session = session;
        b.checkServerIdentity = checkServerIdentity;
        b.requestOCSP = requestOCSP;
        return b;
    }

    /** {@return the SNI name to send: null for the default rule, empty for none} */
    public String servername() {
        return servername;
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

    /** The builder for {@link ClientOptions}. */
    public static final class Builder extends EndpointOptions.Builder<Builder> {
        private String servername;
        private TlsSession session;
        private ServerIdentityCheck checkServerIdentity = Tls::checkServerIdentity;
        private boolean requestOCSP;

        private Builder() {
            super(DEFAULT_HANDSHAKE_TIMEOUT);
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

        /** {@return the options} */
        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
