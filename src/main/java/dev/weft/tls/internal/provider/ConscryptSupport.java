package dev.weft.tls.internal.provider;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.TlsException;
import dev.weft.tls.internal.negotiation.CipherNames;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt (BoringSSL), driven through its engine by weft's own socket (its file-descriptor socket blocks inside
 * native code and so would hold the virtual thread's carrier). Its quirks: engines get session tickets turned on
 * and a recycling buffer allocator; BoringSSL cannot restrict TLS 1.3 suites.
 */
final class ConscryptSupport extends ProviderSupport {
    private final Provider provider;

    private ConscryptSupport(Provider provider) {
        this.provider = provider;
    }

    static ConscryptSupport create() throws TlsException {
        Throwable why;
        try {
            Conscrypt.checkAvailability();
            return new ConscryptSupport(Conscrypt.newProvider());
        } catch (LinkageError e) {
            why = e;
        }
        throw new TlsException(ErrorCode.PROVIDER_UNAVAILABLE, "Conscrypt's native library cannot be loaded on "
                + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + why, why);
    }

    @Override
    public JsseProvider id() {
        return JsseProvider.CONSCRYPT;
    }

    @Override
    public String version() {
        Conscrypt.Version v = Conscrypt.version();
        return "Conscrypt " + v.major() + "." + v.minor() + "." + v.patch() + " (BoringSSL)";
    }

    @Override
    public String resumption() {
        return "TLS 1.3 and TLS 1.2 (the server cannot tell it resumed)";
    }

    @Override
    public byte[] exportKeyingMaterial(SSLEngine engine, String label, byte[] context, int length)
            throws IOException {
        return Conscrypt.exportKeyingMaterial(engine, label, context, length);
    }

    /**
     * BoringSSL has no ECDSA with SHA-224: a TLS 1.2 client offering no other ECDSA scheme (ecdsa_sha224 alone, or
     * with SHA-1 or RSA schemes) gets handshake_failure, where OpenSSL signs with SHA-224. Such a client is served by
     * SunJSSE's engine, with the same key, certificate and trust.
     */
    @Override
    public java.util.Optional<JsseProvider> servesInstead(int[] schemes, int version, java.security.PublicKey key) {
        if (version != 0x0303 || schemes == null || !"EC".equals(key.getAlgorithm())
                || dev.weft.tls.internal.negotiation.SignatureSchemes.refusal(schemes, version, key) != null) {
            return java.util.Optional.empty();
        }
        for (int scheme : schemes) {
            if (scheme == 0x0403 || scheme == 0x0503 || scheme == 0x0603) {
                return java.util.Optional.empty(); // BoringSSL signs with any of these, on any curve, in TLS 1.2
            }
        }
        return java.util.Optional.of(JsseProvider.SUN);
    }

    /** Conscrypt's {@code getTlsUnique} (BoringSSL's {@code SSL_get_tls_unique}); none for TLS 1.3. */
    @Override
    public java.util.Optional<byte[]> tlsUnique(SSLEngine engine) {
        try {
            return java.util.Optional.ofNullable(Conscrypt.getTlsUnique(engine));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * A Conscrypt client knows whose Finished {@code tls-unique} is (it knows whether it resumed); a Conscrypt server
     * cannot tell a resumed handshake from a full one ({@link #resumption()}), so not whose Finished it holds.
     */
    @Override
    public java.util.Optional<String> finishedUnsupported(boolean server) {
        return server ? java.util.Optional.of("a Conscrypt server cannot tell whether a handshake resumed, so not "
                + "whose Finished message tls-unique (its only view of them) holds") : java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> ocspStaplingUnsupported() {
        return Stapling.UNAVAILABLE == null ? java.util.Optional.empty() : java.util.Optional.of(Stapling.UNAVAILABLE);
    }

    /**
     * BoringSSL staples the bytes set with {@code SSL_set_ocsp_response} when the client sent status_request; in
     * Conscrypt 2.5.2 that is the engine's parameters' {@code setOCSPResponse}, which its Android platform API uses
     * and its public {@code Conscrypt} class does not offer. The one place weft reaches into a provider's
     * internals: looked up once, and when a Conscrypt without it is on the class path, stapling is refused
     * ({@code ERR_WEFT_OCSP_UNSUPPORTED}) rather than silently skipped. Each engine has its own copy of the
     * parameters, so the response is the connection's.
     */
    @Override
    public void staple(SSLEngine engine, byte[] response) throws TlsException {
        if (Stapling.UNAVAILABLE != null) {
            throw new TlsException(ErrorCode.OCSP_UNSUPPORTED, Stapling.UNAVAILABLE);
        }
        try {
            Object e = engine;
            if (Stapling.WRAPPER.isInstance(e)) {
                e = Stapling.DELEGATE.get(e);
            }
            Stapling.SET_RESPONSE.invoke(Stapling.PARAMETERS.get(e), (Object) response.clone());
        } catch (ReflectiveOperationException | RuntimeException failure) {
            throw new TlsException(ErrorCode.OCSP_UNSUPPORTED, "Conscrypt refused the OCSP response: " + failure,
                    failure);
        }
    }

    /** Conscrypt's way to the OCSP response of one engine, or why there is none. */
    private static final class Stapling {
        static final Class<?> WRAPPER;
        static final java.lang.reflect.Field DELEGATE;
        static final java.lang.reflect.Field PARAMETERS;
        static final java.lang.reflect.Method SET_RESPONSE;
        static final String UNAVAILABLE;

        static {
            Class<?> wrapper = null;
            java.lang.reflect.Field delegate = null;
            java.lang.reflect.Field parameters = null;
            java.lang.reflect.Method set = null;
            String why = null;
            try {
                ClassLoader loader = Conscrypt.class.getClassLoader();
                wrapper = Class.forName("org.conscrypt.Java8EngineWrapper", false, loader);
                delegate = wrapper.getDeclaredField("delegate");
                delegate.setAccessible(true);
                parameters = Class.forName("org.conscrypt.ConscryptEngine", false, loader)
                        .getDeclaredField("sslParameters");
                parameters.setAccessible(true);
                set = Class.forName("org.conscrypt.SSLParametersImpl", false, loader)
                        .getDeclaredMethod("setOCSPResponse", byte[].class);
                set.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                why = "this Conscrypt (" + Conscrypt.version().major() + "." + Conscrypt.version().minor() + "."
                        + Conscrypt.version().patch() + ") has no per-engine OCSP response weft can set: " + e;
            }
            WRAPPER = wrapper;
            DELEGATE = delegate;
            PARAMETERS = parameters;
            SET_RESPONSE = set;
            UNAVAILABLE = why;
        }
    }

    /**
     * Conscrypt 2.5.2 has no way to give BoringSSL a group list (no {@code SSL_set1_groups} in its API, and it
     * ignores {@code SSLParameters.setNamedGroups}): BoringSSL's fixed X25519, P-256, P-384 is the only list it
     * takes, so any other {@code ecdhCurve} is refused.
     */
    @Override
    public java.util.List<String> groups(dev.weft.tls.internal.negotiation.Groups.Spec spec) throws TlsException {
        java.util.List<String> groups = spec.resolve(java.util.Set.copyOf(serverGroups()), serverGroups(),
                id().cliName());
        if (!groups.equals(serverGroups())) {
            throw new TlsException(ErrorCode.GROUP_UNSUPPORTED, "conscrypt cannot set key-exchange groups "
                    + "(BoringSSL's list is fixed at X25519:P-256:P-384); ecdhCurve '" + spec.text() + "' asks for "
                    + groups + ": use the sun or bc provider");
        }
        return groups;
    }

    /**
     * Conscrypt 2.5.2 has no way to give BoringSSL a signature-algorithm list (no
     * {@code SSL_set_signing_algorithm_prefs} in its API, and it ignores {@code SSLParameters.setSignatureSchemes}).
     */
    @Override
    public void checkSigalgs(java.util.List<String> schemes) throws TlsException {
        throw new TlsException(ErrorCode.SIGALGS_UNSUPPORTED, "conscrypt cannot set signature algorithms "
                + "(Conscrypt 2.5.2 gives BoringSSL no list); use the sun or bc provider");
    }

    @Override
    public java.util.Optional<String> keylogUnsupported() {
        return java.util.Optional.of("Conscrypt does not expose BoringSSL's key-log callback");
    }

    /** The socket's, and the pipe pair BoringSSL's glue makes for every SSL object ({@code AppData::create}). */
    @Override
    public int descriptorsPerConnection() {
        return 3;
    }

    /** Conscrypt reports whole seconds, so a session made in the same second looks resumed. */
    @Override
    public boolean keepsCreationTimeOnResumption() {
        return false;
    }

    @Override
    public SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) throws TlsException {
        try {
            SSLContext c = SSLContext.getInstance("TLS", provider);
            c.init(keyManagers, trustManagers, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new TlsException(ErrorCode.PROVIDER_UNAVAILABLE, "Conscrypt could not create a TLS context: " + e, e);
        }
    }

    @Override
    SSLEngine newEngine(SSLContext context, String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        // Recycled direct buffers for Conscrypt's copies between heap and native memory (see ConscryptBufferAllocator).
        Conscrypt.setBufferAllocator(engine, ConscryptBufferAllocator.SHARED);
        // Without tickets BoringSSL resumes no TLS 1.3 session at all (it has no stateful TLS 1.3 resumption).
        Conscrypt.setUseSessionTickets(engine, true);
        return engine;
    }

    /**
     * BoringSSL always enables its three TLS 1.3 suites and cannot restrict them, so a cipher list naming only
     * TLS 1.3 suites leaves Conscrypt nothing to configure: refused when the context is made.
     */
    @Override
    public void checkSuites(java.util.List<String> suites) throws TlsException {
        if (suites.stream().allMatch(s -> CipherNames.version(s).equals("TLSv1.3"))) {
            throw new TlsException(ErrorCode.NO_CIPHER_MATCH, "Conscrypt cannot restrict TLS 1.3 cipher suites "
                    + "(BoringSSL always enables all three); name TLS 1.2 suites too, or use the sun or bc provider");
        }
    }
}
