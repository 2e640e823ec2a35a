package dev.weft.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link SecureContext} is made of: Node's {@code tls.createSecureContext(options)} (v0.6's
 * {@code crypto.createCredentials}). Immutable; build with {@link #builder()}.
 *
 * <p>Every key, certificate, CA and CRL is given as PEM text ({@code String}), bytes ({@code byte[]}, PEM; for
 * {@code pfx} the PKCS#12 bytes) or a file ({@code Path}, read when the context is created). Several certificates
 * in one {@code cert} are a chain, leaf first; several in one {@code ca} are a list of trusted CAs.
 *
 * <p>Differences from Node: options that need OpenSSL's engine ({@code privateKeyEngine}, {@code clientCertEngine})
 * and several keys of different types in one context are not supported; {@code ciphers}, {@code minVersion} and
 * the like live on the server and client options.
 */
public final class ContextOptions {
    /** A key, certificate, CA, CRL or PKCS#12 input, read when the context is created. */
    record Source(String description, Path path, byte[] bytes) {
        byte[] read() throws TlsException {
            if (path == null) {
                return bytes.clone();
            }
            try {
                return Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new TlsException(ErrorCode.ENOENT, description + ": no such file " + path, e);
            } catch (IOException e) {
                throw new TlsException(ErrorCode.EIO, description + ": cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        static Source of(String what, String pem) {
            return new Source(what, null, Objects.requireNonNull(pem, what).getBytes(StandardCharsets.UTF_8));
        }

        static Source of(String what, byte[] bytes) {
            return new Source(what, null, Objects.requireNonNull(bytes, what).clone());
        }

        static Source of(String what, Path file) {
            return new Source(what + " (" + file + ")", Objects.requireNonNull(file, what), null);
        }
    }

    private final Source key;
    private final Source cert;
    private final List<Source> ca;
    private final List<Source> crl;
    private final Source pfx;
    private final char[] passphrase;
    private final boolean allowPartialTrustChain;
    private final String minVersion;
    private final String maxVersion;
    private final String ciphers;
    private final TrustedRoots trustedRoots;
    private final String ecdhCurve;
    private final String sigalgs;

    private ContextOptions(Settings<?> b) {
        this.key = b.key;
        this.cert = b.cert;
        this.ca = List.copyOf(b.ca);
        this.crl = List.copyOf(b.crl);
        this.pfx = b.pfx;
        this.passphrase = b.passphrase == null ? null : b.passphrase.clone();
        this.allowPartialTrustChain = b.allowPartialTrustChain;
        this.minVersion = b.minVersion;
        this.maxVersion = b.maxVersion;
        this.ciphers = b.ciphers;
        this.trustedRoots = b.trustedRoots;
        this.ecdhCurve = b.ecdhCurve;
        this.sigalgs = b.sigalgs;
    }

    /**
     * A builder with nothing set: no key, no certificate, the JDK's trusted roots.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** ALPN protocol names, checked: each 1 to 255 bytes. */
    static List<String> alpnList(String... protocols) {
        for (String p : protocols) {
            if (p == null || p.isEmpty() || p.length() > 255) {
                throw new IllegalArgumentException("an ALPN protocol name is 1 to 255 bytes, got '" + p + "'");
            }
        }
        return List.of(protocols);
    }

    /**
     * A builder holding these options, to derive a variant.
     *
     * @return a new builder holding these options
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.copyFrom(this);
        return b;
    }

    Source key() {
        return key;
    }

    Source cert() {
        return cert;
    }

    List<Source> ca() {
        return ca;
    }

    List<Source> crl() {
        return crl;
    }

    Source pfx() {
        return pfx;
    }

    char[] passphrase() {
        return passphrase == null ? null : passphrase.clone();
    }

    boolean allowPartialTrustChain() {
        return allowPartialTrustChain;
    }

    String minVersion() {
        return minVersion;
    }

    String maxVersion() {
        return maxVersion;
    }

    String ciphers() {
        return ciphers;
    }

    TrustedRoots trustedRoots() {
        return trustedRoots;
    }

    String ecdhCurve() {
        return ecdhCurve;
    }

    String sigalgs() {
        return sigalgs;
    }

    /** Whether any credential option was set (as opposed to an empty context). */
    boolean isEmpty() {
        return key == null && cert == null && ca.isEmpty() && crl.isEmpty() && pfx == null;
    }

    /** The builder for {@link ContextOptions}. */
    public static final class Builder extends Settings<Builder> {
        private Builder() {
        }

        /** {@return the options} */
        public ContextOptions build() {
            return buildContextOptions();
        }
    }

    /**
     * The credential settings shared by {@link ContextOptions}, {@link ServerOptions} and {@link ClientOptions}
     * builders. Each method returns the builder; a method not called leaves its option unset.
     *
     * @param <B> the concrete builder
     */
    public abstract static sealed class Settings<B extends Settings<B>>
            permits Builder, EndpointOptions.Builder {
        private Source key;
        private Source cert;
        private final List<Source> ca = new ArrayList<>();
        private final List<Source> crl = new ArrayList<>();
        private Source pfx;
        private char[] passphrase;
        private boolean allowPartialTrustChain;
        private String minVersion = "TLSv1.2";
        private String maxVersion = "TLSv1.3";
        private String ciphers;
        private TrustedRoots trustedRoots = TrustedRoots.REPLACED_BY_CA;
        private String ecdhCurve;
        private String sigalgs;

        Settings() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * The private key in PEM (PKCS#8, PKCS#1, SEC1, or encrypted with {@link #passphrase}). Default: none.
         *
         * @param pem PEM text
         * @return this builder
         */
        public B key(String pem) {
            key = Source.of("key", pem);
            return self();
        }

        /**
         * The private key as PEM bytes.
         *
         * @param pem PEM text
         * @return this builder
         */
        public B key(byte[] pem) {
            key = Source.of("key", pem);
            return self();
        }

        /**
         * The private key from a PEM file, read when the context is created.
         *
         * @param file a PEM file
         * @return this builder
         */
        public B key(Path file) {
            key = Source.of("key", file);
            return self();
        }

        /**
         * The certificate chain in PEM, leaf first. Default: none.
         *
         * @param pem PEM text
         * @return this builder
         */
        public B cert(String pem) {
            cert = Source.of("cert", pem);
            return self();
        }

        /**
         * The certificate chain as PEM bytes.
         *
         * @param pem PEM text
         * @return this builder
         */
        public B cert(byte[] pem) {
            cert = Source.of("cert", pem);
            return self();
        }

        /**
         * The certificate chain from a PEM file.
         *
         * @param file a PEM file
         * @return this builder
         */
        public B cert(Path file) {
            cert = Source.of("cert", file);
            return self();
        }

        /**
         * Adds trusted CA certificates (one PEM may hold several). Once any is added, they <em>replace</em> the
         * JDK's trusted roots, as in Node. Default: the JDK's roots.
         *
         * @param pem PEM text
         * @return this builder
         */
        public B ca(String pem) {
            ca.add(Source.of("ca", pem));
            return self();
        }

        /**
         * Adds trusted CA certificates as PEM bytes.
         *
         * @param pem PEM text
         * @return this builder
         */
        public B ca(byte[] pem) {
            ca.add(Source.of("ca", pem));
            return self();
        }

        /**
         * Adds trusted CA certificates from a PEM file.
         *
         * @param file a PEM file
         * @return this builder
         */
        public B ca(Path file) {
            ca.add(Source.of("ca", file));
            return self();
        }

        /**
         * Adds PEM CRLs; once any is added, peer certificates are checked for revocation. Default: none.
         *
         * @param pem PEM text
         * @return this builder
         */
        public B crl(String pem) {
            crl.add(Source.of("crl", pem));
            return self();
        }

        /**
         * Adds CRLs from a PEM file.
         *
         * @param file a PEM file
         * @return this builder
         */
        public B crl(Path file) {
            crl.add(Source.of("crl", file));
            return self();
        }

        /**
         * Key and chain from PKCS#12 bytes, decrypted with {@link #passphrase}. Default: none.
         *
         * @param pkcs12 a PKCS#12 file's bytes
         * @return this builder
         */
        public B pfx(byte[] pkcs12) {
            pfx = Source.of("pfx", pkcs12);
            return self();
        }

        /**
         * Key and chain from a PKCS#12 file.
         *
         * @param file a PEM file
         * @return this builder
         */
        public B pfx(Path file) {
            pfx = Source.of("pfx", file);
            return self();
        }

        /**
         * The passphrase of an encrypted key or of the pfx. Default: none.
         *
         * @param passphrase the passphrase of the key or PKCS#12 file
         * @return this builder
         */
        public B passphrase(String passphrase) {
            this.passphrase = passphrase == null ? null : passphrase.toCharArray();
            return self();
        }

        /**
         * Accept a chain that ends at a trusted certificate that is not a self-signed root (Node's
         * {@code allowPartialTrustChain}). Default false: as in OpenSSL, the chain must reach a trusted root.
         *
         * @param allow whether a chain may end at a trusted intermediate
         * @return this builder
         */
        public B allowPartialTrustChain(boolean allow) {
            this.allowPartialTrustChain = allow;
            return self();
        }

        /**
         * The lowest protocol version to negotiate: {@code TLSv1.2} (the default) or {@code TLSv1.3}. Checked when
         * the context is made ({@code ERR_TLS_INVALID_PROTOCOL_VERSION}).
         *
         * <p>Differences from Node: Node also accepts TLSv1 and TLSv1.1 (with a lowered security level); weft
         * never negotiates below TLS 1.2.
         *
         * @param version {@code TLSv1.2} or {@code TLSv1.3}
         * @return this builder
         */
        public B minVersion(String version) {
            this.minVersion = Objects.requireNonNull(version, "minVersion");
            return self();
        }

        /**
         * The highest protocol version to negotiate: {@code TLSv1.3} (the default) or {@code TLSv1.2}.
         *
         * @param version {@code TLSv1.2} or {@code TLSv1.3}
         * @return this builder
         */
        public B maxVersion(String version) {
            this.maxVersion = Objects.requireNonNull(version, "maxVersion");
            return self();
        }

        /**
         * The cipher suites, in OpenSSL's syntax as Node takes them ({@code ECDHE-RSA-AES128-GCM-SHA256},
         * {@code TLS_AES_128_GCM_SHA256}, {@code HIGH:!aNULL}, ...). The {@code :}-separated entries starting with
         * {@code TLS_} name TLS 1.3 suites (a string that names none leaves the TLS 1.3 suites on, as in Node); the
         * rest is an OpenSSL cipher list, evaluated as OpenSSL 3.0 does: aliases ({@code DEFAULT} first,
         * {@code ALL}, {@code HIGH}, {@code ECDHE}, {@code aRSA}, {@code aECDSA}, {@code AESGCM}, {@code AES128},
         * {@code CHACHA20}, {@code SHA384}, {@code TLSv1.2}, ...), {@code A+B} for suites in both, {@code !x}
         * removes for good, {@code -x} removes, {@code +x} moves to the end, {@code @STRENGTH} sorts by strength,
         * {@code @SECLEVEL=n}; unknown words are ignored. Default: {@link Tls#DEFAULT_CIPHERS}.
         *
         * <p>Differences from Node: of what OpenSSL selects, weft keeps the forward-secret AEAD suites, in
         * OpenSSL's order (ECDHE with RSA or ECDSA and AES-GCM or ChaCha20-Poly1305, and the TLS 1.3 suites with
         * AES-GCM or ChaCha20-Poly1305); a string that keeps none of them, or asks for TLS 1.2 suites of which it
         * keeps none and names no TLS 1.3 suite, is refused ({@code ERR_SSL_NO_CIPHER_MATCH}) when the context is
         * made; a string OpenSSL refuses is refused with Node 24's code ({@code ERR_SSL_NO_CIPHER_MATCH},
         * {@code ERR_SSL_INVALID_COMMAND}). A TLS 1.2 suite's standard name
         * ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) is taken as its OpenSSL name. {@code @SECLEVEL=n} only
         * drops the suites weaker than the level allows (level 4 and 5: the 128-bit ones); it changes no other
         * limit.
         *
         * @param ciphers an OpenSSL cipher list
         * @return this builder
         */
        public B ciphers(String ciphers) {
            this.ciphers = Objects.requireNonNull(ciphers, "ciphers");
            return self();
        }

        /**
         * Which roots to trust besides {@code ca}: by default {@code ca} replaces the JDK's roots, as in Node;
         * {@link TrustedRoots#JDK_PLUS_CA} and {@link TrustedRoots#SYSTEM_PLUS_CA} add {@code ca} to the JDK's or
         * the operating system's roots.
         *
         * @param roots which roots to trust by default
         * @return this builder
         */
        public B trustedRoots(TrustedRoots roots) {
            this.trustedRoots = Objects.requireNonNull(roots, "trustedRoots");
            return self();
        }

        /**
         * The key-exchange groups, Node's {@code ecdhCurve} in OpenSSL's group-list syntax: colon-separated names
         * in OpenSSL's spellings, any case ({@code X25519}, {@code P-256} or {@code prime256v1} or
         * {@code secp256r1}, {@code P-384}, {@code P-521}, {@code X448}, {@code ffdhe2048} to {@code ffdhe8192},
         * {@code X25519MLKEM768}, {@code SecP256r1MLKEM768}, ...); {@code DEFAULT} inserts weft's default list,
         * {@code ?name} skips a name where it is unknown or the provider lacks it, {@code -name} removes one.
         * {@code auto} (and the empty string) is weft's default: on a server X25519MLKEM768 and
         * SecP256r1MLKEM768 where the provider has them, then X25519, P-256, P-384; on a client, the provider's
         * own list. A server computes only its list, in its order (the server's order decides); a client offers
         * its list, in its order. Finite-field groups are used only when named here.
         *
         * <p>A name OpenSSL does not know fails when the context is made with {@code ERR_CRYPTO_OPERATION_FAILED}
         * ("Failed to set ECDH curve", as Node 24); a group the provider cannot negotiate (X25519MLKEM768 on sun
         * or conscrypt, brainpool on sun, the binary and small curves anywhere) with
         * {@code ERR_WEFT_GROUP_UNSUPPORTED} when the context is first used on that provider.
         *
         * <p>A server chooses as OpenSSL 3.5 does: the first tuple ({@code /} separates tuples; a list without one
         * is one tuple) holding a group the client offers, within it a group the client sent a key share for,
         * else the server's first (a HelloRetryRequest). weft reads the ClientHello and gives the provider only
         * that group, since SunJSSE and Bouncy Castle would otherwise take the client's order.
         *
         * <p>Differences from Node: Conscrypt 2.5.2 takes no group list (BoringSSL's is fixed at X25519, P-256,
         * P-384): on conscrypt only a list equal to that one is accepted, anything else is refused
         * ({@code ERR_WEFT_GROUP_UNSUPPORTED}). SunJSSE and Bouncy Castle keep ECDSA curves and key-exchange
         * groups in one list: a TLS 1.2 server gets P-256, P-384 and P-521 after a list holding a curve (its
         * certificate's curve must be there) and takes the client's order among them (so a TLS 1.2 client
         * preferring P-256 gets it from a server listing P-384 first), and a Bouncy Castle client also offers
         * P-256, P-384 and P-521 after its list. OpenSSL's key-share marks ({@code *}) are accepted and ignored:
         * which groups get a key share in a client's first ClientHello is the provider's choice. A list that
         * leaves no group is refused rather than set.
         *
         * @param ecdhCurve an OpenSSL group list, or {@code auto}
         * @return this builder
         */
        public B ecdhCurve(String ecdhCurve) {
            this.ecdhCurve = Objects.requireNonNull(ecdhCurve, "ecdhCurve");
            return self();
        }

        /**
         * The signature algorithms, Node's {@code sigalgs} in OpenSSL's syntax: colon-separated
         * {@code SIG+HASH} pairs ({@code ECDSA+SHA256}, {@code RSA-PSS+SHA256}, {@code RSA+SHA384}) or TLS scheme
         * names ({@code rsa_pss_rsae_sha256}, {@code ecdsa_secp384r1_sha384}, {@code ed25519}), any case,
         * {@code ?name} to skip a name OpenSSL does not know. It sets what this end offers (a client's
         * signature_algorithms, a server's certificate request), what it accepts from the peer and what it signs
         * with. Default: the provider's list (SHA-1 and MD5 never used).
         *
         * <p>SHA-1 schemes may be named, as Node accepts them, and are never used (OpenSSL at Node's security
         * level 2 drops them): a list of only SHA-1 schemes fails the handshake
         * ({@code ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM}). An unknown name or an empty entry fails when the
         * context is made ({@code ERR_WEFT_SIGALGS_INVALID}), as does the empty string
         * ({@code ERR_INVALID_ARG_VALUE}, as Node 24).
         *
         * <p>Differences from Node: Node 24 throws an {@code Error} without a code for an unknown name; weft names
         * it {@code ERR_WEFT_SIGALGS_INVALID}. Conscrypt 2.5.2 takes no signature-algorithm list: a
         * {@code sigalgs} on conscrypt is refused ({@code ERR_WEFT_SIGALGS_UNSUPPORTED}). A list of only SHA-1
         * schemes fails when the context is first used, not at the peer's first message. SunJSSE's TLS 1.2 server
         * signs {@code ECDSA+SHA384} ({@code ecdsa_secp384r1_sha384}) only with a P-384 key and
         * {@code ECDSA+SHA512} only with a P-521 key: a P-256 server on sun whose list has no other ECDSA scheme
         * fails TLS 1.2 handshakes that Node completes.
         *
         * @param sigalgs an OpenSSL signature-algorithm list
         * @return this builder
         */
        public B sigalgs(String sigalgs) {
            this.sigalgs = Objects.requireNonNull(sigalgs, "sigalgs");
            return self();
        }

        final ContextOptions buildContextOptions() {
            return new ContextOptions(this);
        }

        final void copyFrom(ContextOptions o) {
            key = o.key;
            cert = o.cert;
            ca.clear();
            ca.addAll(o.ca);
            crl.clear();
            crl.addAll(o.crl);
            pfx = o.pfx;
            passphrase = o.passphrase;
            allowPartialTrustChain = o.allowPartialTrustChain;
            minVersion = o.minVersion;
            maxVersion = o.maxVersion;
            ciphers = o.ciphers;
            trustedRoots = o.trustedRoots;
            ecdhCurve = o.ecdhCurve;
            sigalgs = o.sigalgs;
        }
    }
}
