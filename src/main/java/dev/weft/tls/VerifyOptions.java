package dev.weft.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link Tls#verify} checks a certificate chain against: the trusted CAs and CRLs (or a {@link SecureContext}'s),
 * the purpose, the time, and optionally a host name. Immutable and thread-safe; build with {@link #builder()}. The
 * trusted certificates and CRLs are read once, on the first verification, and kept: reuse one options object to
 * verify many chains.
 *
 * <p>Differences from Node: Node has no verification outside a handshake; this runs exactly the verification a weft
 * handshake runs (as Go's {@code x509.Certificate.Verify} does for Go), so its verdict and code are the
 * {@code authorized} and {@code authorizationError} the handshake would report.
 */
public final class VerifyOptions {
    /** The role the chain's owner plays: the purpose every certificate of the chain must allow. */
    public enum Purpose {
        /** A TLS server's chain (OpenSSL's {@code -purpose sslserver}). */
        SERVER,
        /** A TLS client's chain (OpenSSL's {@code -purpose sslclient}). */
        CLIENT
    }

    private final ContextOptions trust;
    private final SecureContext secureContext;
    private final Purpose purpose;
    private final Instant at;
    private final String host;
    private final ServerIdentityCheck identityCheck;
    private final Duration timeout;
    private volatile SecureContext made;

    private VerifyOptions(Builder b) {
        this.trust = b.trust.build();
        this.secureContext = b.secureContext;
        this.purpose = b.purpose;
        this.at = b.at;
        this.host = b.host;
        this.identityCheck = b.identityCheck;
        this.timeout = b.timeout;
    }

    /**
     * A builder with the defaults: the JDK's trusted roots, no CRLs, purpose {@link Purpose#SERVER}, the current
     * time, no host-name check, a 5-second deadline.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The context whose trust a verification uses: the one given, else one made from these options, once. */
    SecureContext context() throws TlsException {
        if (secureContext != null) {
            return secureContext;
        }
        SecureContext c = made;
        if (c == null) {
            synchronized (this) {
                c = made;
                if (c == null) {
                    c = made = SecureContext.create(trust);
                }
            }
        }
        return c;
    }

    Purpose purpose() {
        return purpose;
    }

    Instant at() {
        return at;
    }

    String host() {
        return host;
    }

    ServerIdentityCheck identityCheck() {
        return identityCheck;
    }

    Duration timeout() {
        return timeout;
    }

    /** Describes one verification; not thread-safe. */
    public static final class Builder {
        private final ContextOptions.Builder trust = ContextOptions.builder();
        private boolean trustGiven;
        private SecureContext secureContext;
        private Purpose purpose = Purpose.SERVER;
        private Instant at;
        private String host;
        private ServerIdentityCheck identityCheck = Tls::checkServerIdentity;
        private Duration timeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Adds trusted CA certificates in PEM (one or several). As Node's {@code ca}, they replace the default roots
         * unless {@link #trustedRoots} says otherwise. Default: the JDK's roots.
         *
         * @param pem one or more PEM certificates
         * @return this builder
         */
        public Builder ca(String pem) {
            trust.ca(pem);
            trustGiven = true;
            return this;
        }

        /**
         * Adds trusted CA certificates from a PEM file, read on the first verification.
         *
         * @param file a PEM file of one or more certificates
         * @return this builder
         */
        public Builder ca(Path file) {
            trust.ca(file);
            trustGiven = true;
            return this;
        }

        /**
         * Adds CRLs in PEM. With any CRL, every certificate of the chain below its trust anchor needs its issuer's
         * CRL, as Node checks with its {@code crl} option ({@code UNABLE_TO_GET_CRL} when one is missing). Default:
         * no revocation check.
         *
         * @param pem one or more PEM CRLs
         * @return this builder
         */
        public Builder crl(String pem) {
            trust.crl(pem);
            trustGiven = true;
            return this;
        }

        /**
         * Adds CRLs from a PEM file, read on the first verification.
         *
         * @param file a PEM file of one or more CRLs
         * @return this builder
         */
        public Builder crl(Path file) {
            trust.crl(file);
            trustGiven = true;
            return this;
        }

        /**
         * Which roots are trusted besides {@link #ca}. Default: {@link TrustedRoots#REPLACED_BY_CA}, as in Node.
         *
         * @param roots the roots
         * @return this builder
         */
        public Builder trustedRoots(TrustedRoots roots) {
            trust.trustedRoots(roots);
            trustGiven = true;
            return this;
        }

        /**
         * Whether a trusted certificate that is not self-signed may end the chain (Node's
         * {@code allowPartialTrustChain}, OpenSSL's {@code -partial_chain}). Default: false.
         *
         * @param allow true to accept chains that end at a trusted intermediate
         * @return this builder
         */
        public Builder allowPartialTrustChain(boolean allow) {
            trust.allowPartialTrustChain(allow);
            trustGiven = true;
            return this;
        }

        /**
         * Verifies with the trusted certificates, CRLs and partial-chain setting of {@code context}, as its
         * handshakes do, instead of {@link #ca}, {@link #crl} and the like. Default: none.
         *
         * @param context the context whose trust to use
         * @return this builder
         */
        public Builder secureContext(SecureContext context) {
            this.secureContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * The purpose the chain must allow. Default: {@link Purpose#SERVER}.
         *
         * @param purpose server or client
         * @return this builder
         */
        public Builder purpose(Purpose purpose) {
            this.purpose = Objects.requireNonNull(purpose, "purpose");
            return this;
        }

        /**
         * The time at which the chain must be valid (OpenSSL's {@code -attime}). Default: the time of each
         * verification.
         *
         * @param time the verification time
         * @return this builder
         */
        public Builder at(Instant time) {
            this.at = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * A host name or IP address the verified chain's certificate must be valid for, checked with Node's rules
         * ({@link Tls#checkServerIdentity}) once the chain verified, as a client does ({@code
         * ERR_TLS_CERT_ALTNAME_INVALID}). Default: no host-name check.
         *
         * @param hostOrIp a DNS name or an IP literal
         * @return this builder
         */
        public Builder host(String hostOrIp) {
            this.host = Objects.requireNonNull(hostOrIp, "hostOrIp");
            return this;
        }

        /**
         * The check {@link #host} runs. Default: {@link Tls#checkServerIdentity}.
         *
         * @param check the identity check
         * @return this builder
         */
        public Builder checkServerIdentity(ServerIdentityCheck check) {
            this.identityCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * How long a verification may take before it fails with {@code ERR_WEFT_CERT_VERIFY_TIMEOUT}. Default: 5
         * seconds, far above any legitimate chain.
         *
         * @param limit the deadline of each verification
         * @return this builder
         */
        public Builder timeout(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + limit);
            }
            this.timeout = limit;
            return this;
        }

        /**
         * Makes the options.
         *
         * @return the options
         * @throws IllegalStateException both {@link #secureContext} and CA, CRL or root settings were given
         */
        public VerifyOptions build() {
            if (secureContext != null && trustGiven) {
                throw new IllegalStateException("give either secureContext or ca/crl/trustedRoots/"
                        + "allowPartialTrustChain, not both");
            }
            return new VerifyOptions(this);
        }
    }
}
