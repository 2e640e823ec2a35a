package dev.weft.tls.internal.provider;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.TlsException;
import dev.weft.tls.internal.engine.EngineSocket;
import dev.weft.tls.internal.engine.Wire;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * What weft needs from a JSSE provider, one implementation per provider in this package. Provider quirks live in
 * the implementations, never as {@code if (provider == ...)} through the code: a new engine, its configuration, what
 * the provider can do (half-close, EdDSA keys, key logging, resumption) and what it costs (descriptors). An optional
 * provider's classes are touched only inside its implementation, which is loaded only when that provider is
 * chosen.
 */
public abstract class ProviderSupport {
    private static final Map<JsseProvider, ProviderSupport> LOADED = new EnumMap<>(JsseProvider.class);
    /** What {@link #LOADED} holds, readable without the lock: every handshake asks for its provider's support. */
    private static final java.util.concurrent.ConcurrentMap<JsseProvider, ProviderSupport> READY =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The support for {@code provider}, loading it on first use. */
    public static ProviderSupport of(JsseProvider provider) throws TlsException {
        ProviderSupport ready = READY.get(provider);
        if (ready != null) {
            return ready;
        }
        synchronized (LOADED) {
            ProviderSupport s = LOADED.get(provider);
            if (s == null) {
                s = load(provider);
                LOADED.put(provider, s);
                READY.put(provider, s);
            }
            return s;
        }
    }

    /** Why {@code provider} cannot be used here, or empty when it can. */
    public static Optional<String> unavailableReason(JsseProvider provider) {
        try {
            of(provider);
            return Optional.empty();
        } catch (TlsException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static ProviderSupport load(JsseProvider provider) throws TlsException {
        return switch (provider) {
            case SUN -> new SunSupport();
            case BC -> {
                requireClass("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider",
                        "Bouncy Castle JSSE", "org.bouncycastle:bctls-jdk18on", "org.bouncycastle.tls");
                yield BcSupport.create();
            }
            case CONSCRYPT -> {
                requireClass("org.conscrypt.Conscrypt", "Conscrypt", "org.conscrypt:conscrypt-openjdk-uber",
                        "org.conscrypt");
                yield ConscryptSupport.create();
            }
        };
    }

    /**
     * Fails unless the optional provider's {@code className} can be loaded. On the module path weft is the module
     * {@code dev.weft}, which {@code requires static} the provider's {@code module}: the class loads only when the
     * application has put that module in the graph.
     */
    private static void requireClass(String className, String what, String coordinates, String module)
            throws TlsException {
        try {
            Class.forName(className, false, ProviderSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            String how = ProviderSupport.class.getModule().isNamed()
                    ? " is not in the module graph; put the Maven dependency " + coordinates + " on the module "
                            + "path and add the module " + module + " (--add-modules " + module + ", or requires "
                            + module + " in your module-info)"
                    : " is not on the class path; add the Maven dependency " + coordinates
                            + " (weft declares it optional)";
            throw new TlsException(ErrorCode.PROVIDER_UNAVAILABLE, what + how + " or choose another provider");
        }
    }

    /** TLS 1.2 and 1.3 only, whatever the provider enables by default (Conscrypt enables TLS 1.0 and 1.1). */
    static final List<String> SECURE_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private volatile String[] secureSuites;

    /**
     * The provider's default suites, keeping only forward-secret AEAD ones (the TLS 1.3 suites and ECDHE with
     * AES-GCM or ChaCha20-Poly1305: no CBC, no static RSA key exchange, no finite-field DHE), in one order for every
     * provider, the order BoringSSL and Go use on CPUs with AES instructions: AES-128-GCM, then ChaCha20-Poly1305,
     * then AES-256-GCM, ECDSA before RSA. SunJSSE's own order puts AES-256 first, which costs its bulk transfer a
     * third more CPU for no practical gain in security.
     */
    static String[] secureSuites(String[] defaults) {
        return java.util.Arrays.stream(defaults)
                .filter(c -> c.startsWith("TLS_AES_") || c.startsWith("TLS_CHACHA20_")
                        || (c.startsWith("TLS_ECDHE_") && (c.contains("_GCM_") || c.contains("CHACHA20_POLY1305"))))
                .sorted(java.util.Comparator.comparingInt(ProviderSupport::preference))
                .toArray(String[]::new);
    }

    /** Where a suite goes in weft's order: TLS 1.3 first, then by cipher (AES-128, ChaCha20, AES-256), ECDSA first. */
    private static int preference(String suite) {
        int version = suite.startsWith("TLS_ECDHE_") ? 10 : 0;
        int cipher = suite.contains("AES_128") ? 0 : suite.contains("CHACHA20") ? 1 : 2;
        int auth = suite.contains("_RSA_") ? 1 : 0;
        return version + cipher * 2 + auth;
    }

    /** Which provider this is. */
    public abstract JsseProvider id();

    /** The provider's own version string, for {@code weft providers}. */
    public abstract String version();

    /** A new TLS context of this provider over the given key and trust managers. */
    public abstract SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) throws TlsException;

    /**
     * A TLS socket of this provider layered over the connected {@code raw} socket (closing it closes {@code raw}).
     * A client sends {@code sni} as its server name, or no SNI when it is null.
     */
    public final SSLSocket layer(SSLContext context, Socket raw, String sni, boolean clientMode) throws IOException {
        return layer(context, raw, sni, clientMode, Handshake.DEFAULTS);
    }

    /**
     * What a connection negotiates beyond the context's keys: protocol versions, cipher suites (standard names;
     * null for weft's defaults) and ALPN protocols (empty for none).
     */
    public record Handshake(List<String> protocols, List<String> suites, List<String> alpn,
            dev.weft.tls.internal.negotiation.Groups.Spec groups, List<String> sigalgs) {
        public static final Handshake DEFAULTS = new Handshake(SECURE_PROTOCOLS, null, List.of());

        /** Weft's default groups and the provider's signature schemes. */
        public Handshake(List<String> protocols, List<String> suites, List<String> alpn) {
            this(protocols, suites, alpn, null, null);
        }
    }

    /**
     * As {@link #layer(SSLContext, Socket, String, boolean)}, negotiating {@code handshake}: weft's own
     * {@link EngineSocket} driving this provider's engine, one path for every provider.
     */
    public final SSLSocket layer(SSLContext context, Socket raw, String sni, boolean clientMode, Handshake handshake)
            throws IOException {
        SSLEngine engine = configure(newEngine(context, sni != null ? sni : raw.getInetAddress().getHostAddress(),
                raw.getPort()), sni, clientMode, handshake);
        return clientMode ? EngineSocket.client(raw, engine) : EngineSocket.server(raw, engine, new byte[0], null);
    }

    /**
     * A server connection over the accepted {@code raw}, whose first bytes weft already read ({@code consumed}, the
     * ClientHello): the engine starts from them. {@code beforeWaiting} runs once, when the handshake first waits
     * for the client past them.
     */
    public final EngineSocket serve(SSLContext context, Socket raw, byte[] consumed, Runnable beforeWaiting,
            Handshake handshake) throws IOException {
        SSLEngine engine = serverEngine(context, raw, handshake);
        List<String> chosen = serverChoice(handshake, dev.weft.tls.internal.engine.PeerHandshake.offered(consumed));
        if (chosen != null) {
            SSLParameters p = engine.getSSLParameters();
            p.setNamedGroups(chosen.toArray(String[]::new));
            engine.setSSLParameters(p);
            tune(engine, false);
        }
        return EngineSocket.server(raw, engine, consumed, beforeWaiting);
    }

    /**
     * The server's order decides, as in OpenSSL: SunJSSE and Bouncy Castle take the client's order among the
     * groups they are given, so a server given its whole list would compute the client's first choice (measured
     * against Node 24: a server listing P-384 first chose P-256 for a client preferring it). weft reads the
     * client's supported_groups and gives the engine only the first of the server's groups the client offers
     * (the engine then uses the client's key share for it, or asks for one with a HelloRetryRequest). Null
     * (nothing narrowed) when the ClientHello has no groups or shares none with the server.
     */
    final List<String> serverChoice(Handshake handshake, dev.weft.tls.internal.engine.PeerHandshake.Offer offer) {
        boolean tls12 = !(offer.tls13() && handshake.protocols().contains("TLSv1.3"));
        if (offer.groups() == null || tls12 && !narrowsInTls12()) {
            return null;
        }
        List<List<String>> tuples;
        try {
            tuples = handshake.groups() == null ? List.of(serverGroups())
                    : handshake.groups().tuples(supportedGroups(), serverGroups(), id().cliName());
        } catch (TlsException e) {
            return null; // checked when the context was made
        }
        for (List<String> tuple : tuples) {
            // as OpenSSL 3.5: within the first tuple the client shares, a group it sent a key share for (no
            // HelloRetryRequest), else the server's first
            for (int[] among : List.of(offer.keyShares(), offer.groups())) {
                for (String g : tuple) {
                    if (tls12 && !dev.weft.tls.internal.negotiation.Groups.ecdhe(g)) {
                        continue; // TLS 1.2 has only weft's ECDHE suites: no finite-field or ML-KEM group
                    }
                    for (int id : among) {
                        dev.weft.tls.internal.negotiation.Groups.Group known = dev.weft.tls.internal.negotiation.Groups.byId(id);
                        if (known != null && g.equalsIgnoreCase(known.jsse())) {
                            return withSignatureCurves(List.of(g));
                        }
                    }
                }
            }
        }
        return tls12 ? List.of() : null; // TLS 1.2 and no curve in common: no ECDHE, as OpenSSL refuses
    }

    /**
     * Whether {@link #serverChoice} applies to TLS 1.2 handshakes too. Not on SunJSSE: in TLS 1.2 it takes the
     * group list as the curves its ECDSA certificate may use as well (measured: a server narrowed to X25519 refuses
     * a TLS 1.2 client for its P-256 certificate), so a TLS 1.2 server keeps its whole list and SunJSSE takes the
     * client's order among it.
     */
    boolean narrowsInTls12() {
        return false;
    }

    /**
     * The list a server engine is given for an {@code ecdhCurve} (before {@link #serverChoice} narrows it for
     * TLS 1.3): {@link #withSignatureCurves}.
     */
    List<String> serverList(List<String> groups) {
        return withSignatureCurves(groups);
    }

    /**
     * The group list to give the engine for {@code groups}: as it is, where the provider keeps key exchange and
     * certificate curves apart (SunJSSE).
     */
    List<String> withSignatureCurves(List<String> groups) {
        return groups;
    }

    /** A server engine of this provider for the connection {@code raw}, negotiating {@code handshake}. */
    public final SSLEngine serverEngine(SSLContext context, Socket raw, Handshake handshake) {
        return configure(newEngine(context, raw.getInetAddress().getHostAddress(), raw.getPort()), null, false,
                handshake);
    }

    /**
     * A client engine of this provider for {@code host}:{@code port} (null, -1: unknown), sending {@code sni}
     * (null: none), negotiating {@code handshake}: for engines weft hands to code that drives them itself.
     */
    public final SSLEngine clientEngine(SSLContext context, String host, int port, String sni, Handshake handshake) {
        return configure(newEngine(context, host, port), sni, true, handshake);
    }

    /** A new engine of this provider for a connection to {@code host}:{@code port} (the session cache's key). */
    SSLEngine newEngine(SSLContext context, String host, int port) {
        return context.createSSLEngine(host, port);
    }

    /**
     * The key-exchange groups a server of this provider accepts, in its order: X25519, P-256, P-384 (as Node 24's
     * OpenSSL prefers them, without its finite-field groups); a provider with a hybrid post-quantum group puts it
     * first. Conscrypt's BoringSSL takes no list from the JDK's parameters and accepts exactly these three.
     */
    public List<String> serverGroups() {
        return List.of("x25519", "secp256r1", "secp384r1");
    }

    /**
     * The groups (JSSE names) this provider negotiates when named in {@code ecdhCurve}: SunJSSE's (JDK 25) X25519,
     * X448, the NIST curves P-256, P-384, P-521 and the RFC 7919 finite-field groups.
     */
    public java.util.Set<String> supportedGroups() {
        return java.util.Set.of("x25519", "x448", "secp256r1", "secp384r1", "secp521r1", "ffdhe2048", "ffdhe3072",
                "ffdhe4096", "ffdhe6144", "ffdhe8192");
    }

    /**
     * The groups (JSSE names, in order) an {@code ecdhCurve} list sets on this provider.
     *
     * @throws TlsException {@code ERR_WEFT_GROUP_UNSUPPORTED} when it names a group this provider lacks
     */
    public List<String> groups(dev.weft.tls.internal.negotiation.Groups.Spec spec) throws TlsException {
        return spec.resolve(supportedGroups(), serverGroups(), id().cliName());
    }

    /** Refuses a {@code sigalgs} list this provider cannot take; a list of only SHA-1 schemes on any. */
    public void checkSigalgs(List<String> schemes) throws TlsException {
        if (schemes.isEmpty()) {
            throw new TlsException(ErrorCode.NO_SUITABLE_SIGNATURE_ALGORITHM, "sigalgs names only SHA-1 "
                    + "signature algorithms, which weft never uses (as OpenSSL at Node's security level 2)");
        }
    }

    /** Refuses a cipher-suite choice this provider cannot honour; most can honour any. */
    public void checkSuites(List<String> suites) throws TlsException {
        // every suite weft names can be enabled on SunJSSE and Bouncy Castle
    }

    /** What weft knows of the connection under {@code ssl} (weft's own socket); null for another socket. */
    public static Wire wire(Socket ssl) {
        return ssl instanceof Wire w ? w : null;
    }

    /**
     * The first bytes a peer sent through {@code ssl} when they are not the start of a TLS record (a plaintext
     * server, for one); null when they are TLS or nothing arrived.
     */
    public static byte[] notTls(Socket ssl) {
        Wire w = wire(ssl);
        if (w == null) {
            return null;
        }
        byte[] b = w.firstBytes();
        if (b.length == 0 || (b[0] >= 20 && b[0] <= 24 && (b.length < 2 || b[1] == 3))) {
            return null;
        }
        return b;
    }

    /** Which of {@code suites} this provider's {@code context} supports, in that order. */
    public final List<String> usableSuites(SSLContext context, List<String> suites) {
        List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
        return suites.stream().filter(supported::contains).toList();
    }

    /**
     * An engine of this provider with weft's defaults: the protocols and suites {@link #layer} enables on sockets.
     * No peer host: it sends no SNI and resumes no session by name.
     */
    public SSLEngine engine(SSLContext context, boolean clientMode) {
        return engine(context, clientMode, Handshake.DEFAULTS);
    }

    /** As {@link #engine(SSLContext, boolean)}, negotiating what {@code handshake} says (a SecurePair's context). */
    public SSLEngine engine(SSLContext context, boolean clientMode, Handshake handshake) {
        return configure(newEngine(context, null, -1), null, clientMode, handshake);
    }

    final SSLEngine configure(SSLEngine s, String sni, boolean clientMode, Handshake handshake) {
        s.setUseClientMode(clientMode);
        s.setEnabledProtocols(handshake.protocols().toArray(String[]::new));
        String[] suites = secureSuites;
        if (suites == null) {
            suites = secureSuites = secureSuites(s.getEnabledCipherSuites());
        }
        if (handshake.suites() != null) {
            List<String> supported = List.of(s.getSupportedCipherSuites());
            suites = handshake.suites().stream().filter(supported::contains).toArray(String[]::new);
        }
        s.setEnabledCipherSuites(suites);
        SSLParameters p = s.getSSLParameters();
        // the server's order of suites decides, as Node's honorCipherOrder (on by default since Node 0.x's
        // recommendation became its default): Bouncy Castle otherwise takes the client's first choice
        p.setUseCipherSuitesOrder(!clientMode);
        List<String> groups = null;
        if (handshake.groups() != null) {
            try {
                groups = groups(handshake.groups()); // checked when the context was made: cannot fail here
            } catch (TlsException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!clientMode) {
            // a server computes only the groups it chose: no finite-field group a client may ask for first
            // (SunJSSE would do an 8192-bit modular exponentiation for ffdhe8192, Bouncy Castle takes ffdhe2048)
            p.setNamedGroups((groups != null ? serverList(groups) : serverGroups()).toArray(String[]::new));
        } else if (groups != null) {
            // the groups the client offers, in its order
            p.setNamedGroups(withSignatureCurves(groups).toArray(String[]::new));
        }
        if (handshake.sigalgs() != null) {
            p.setSignatureSchemes(handshake.sigalgs().toArray(String[]::new));
        }
        if (clientMode) {
            // An explicit list, even empty: SunJSSE would otherwise send the host it was given.
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        }
        if (!handshake.alpn().isEmpty()) {
            p.setApplicationProtocols(handshake.alpn().toArray(String[]::new));
        }
        s.setSSLParameters(p);
        tune(s, clientMode);
        return s;
    }

    /** What the provider needs beyond the JDK's parameters, after each {@code setSSLParameters}; most nothing. */
    void tune(SSLEngine engine, boolean clientMode) {
    }

    /**
     * Refuses, before any handshake, a key this provider cannot sign a handshake with: Ed25519 and Ed448 work on
     * SunJSSE only (measured: Bouncy Castle JSSE finds no suite for the JDK's EdDSA keys, Conscrypt 2.5.2 has no
     * EdDSA at all).
     */
    public void checkKey(java.security.PrivateKey key) throws TlsException {
        String alg = key.getAlgorithm();
        if (!signsWithEdDsaKeys() && (alg.equals("EdDSA") || alg.equals("Ed25519") || alg.equals("Ed448"))) {
            throw new TlsException(ErrorCode.KEY_TYPE_UNSUPPORTED, id().cliName() + " cannot use " + alg
                    + " keys in TLS; use the sun provider, or an ECDSA or RSA key");
        }
    }

    /** File descriptors one server connection costs, measured with the harness's hold phase: the socket's. */
    public int descriptorsPerConnection() {
        return 1;
    }

    /** Whether this provider signs handshakes with Ed25519 and Ed448 keys (see {@link #checkKey}). */
    public boolean signsWithEdDsaKeys() {
        return false;
    }

    /** Which sessions this provider resumes, as measured (SessionResumptionIT and the conformance matrix). */
    public abstract String resumption();

    /**
     * Why this provider cannot give weft its TLS secrets for an SSLKEYLOGFILE ({@code keylog}); empty if it could.
     * Found by reading each provider's public API (weft reads no secrets out of provider internals):
     * SunJSSE's {@code javax.net.ssl} API has no secret or key-log hook (JDK 25's {@code ExtendedSSLSession} gains
     * only {@code exportKeyingMaterialKey/Data}, RFC 5705 exporters; JDK-8262880, a key-log format for
     * SunJSSE, was closed unmerged: openjdk/jdk#2896); Bouncy Castle JSSE's {@code org.bouncycastle.jsse} API
     * ({@code BCSSLSocket}, {@code BCSSLConnection}, {@code BCExtendedSSLSession}) declares only
     * {@code exportKeyingMaterialData}, an RFC 5705 exporter derived one way from the secrets, which 1.84 does not
     * implement (it throws {@code UnsupportedOperationException}); Conscrypt's
     * {@code org.conscrypt.Conscrypt} offers {@code exportKeyingMaterial} and {@code getTlsUnique} but no binding
     * of BoringSSL's {@code SSL_CTX_set_keylog_callback}, which its native library contains.
     */
    public abstract Optional<String> keylogUnsupported();

    /** Refuses a {@code keylog} sink on this provider: {@code ERR_WEFT_KEYLOG_UNSUPPORTED}, naming it and why. */
    public void checkKeylog(Object sink) throws TlsException {
        refuseUnsupported(sink, keylogUnsupported(), ErrorCode.KEYLOG_UNSUPPORTED.code(), "keylog", " (weft reads no secrets "
                + "out of provider internals); log the peer's keys instead, e.g. openssl s_client -keylogfile");
    }

    /** Refuses {@code option} (when given) on this provider when {@code why} says it cannot: {@code code}. */
    private void refuseUnsupported(Object option, Optional<String> why, String code, String what, String advice)
            throws TlsException {
        if (option != null && why.isPresent()) {
            throw new TlsException(code, what + " is not supported on the " + id().cliName() + " provider: "
                    + why.get() + advice);
        }
    }

    /** Why this provider cannot export keying material (RFC 5705, RFC 8446 section 7.5); empty if it can. */
    public Optional<String> exporterUnsupported() {
        return Optional.empty();
    }

    /**
     * The keying material of RFC 5705 (TLS 1.2) and RFC 8446 section 7.5 (TLS 1.3) for the connection {@code engine}
     * runs: JDK 25's {@code ExtendedSSLSession.exportKeyingMaterialData} here; the other providers have their own.
     *
     * @param context the context value; null for none (which TLS 1.2 tells from an empty one)
     * @throws IOException the provider cannot export ({@code SSLKeyException}: e.g. a TLS 1.2 session without
     *                     extended master secret, where the provider refuses)
     * @throws GeneralSecurityException the session has no exporter
     */
    public byte[] exportKeyingMaterial(SSLEngine engine, String label, byte[] context, int length)
            throws IOException, GeneralSecurityException {
        if (!(engine.getSession() instanceof javax.net.ssl.ExtendedSSLSession session)) {
            throw new GeneralSecurityException(id().cliName() + "'s session has no exporter");
        }
        return session.exportKeyingMaterialData(label, context, length);
    }

    /**
     * Why this provider cannot staple an OCSP response the application gives ({@code ocspResponder}); empty if it
     * can. SunJSSE staples only responses it fetches itself from the certificate's responder (with
     * {@code -Djdk.tls.server.enableStatusRequestExtension=true}, cached by the JDK, not per handshake); Bouncy
     * Castle JSSE 1.84's server never staples.
     */
    public abstract Optional<String> ocspStaplingUnsupported();

    /** Refuses an OCSP responder on this provider: {@code ERR_WEFT_OCSP_UNSUPPORTED}, naming it and why. */
    public void checkOcspStapling(Object responder) throws TlsException {
        refuseUnsupported(responder, ocspStaplingUnsupported(), ErrorCode.OCSP_UNSUPPORTED.code(),
                "OCSP stapling (ocspResponder)", "; use the conscrypt provider");
    }

    /**
     * Has the server {@code engine} staple {@code response} (DER) when its client asked for it; before the
     * handshake starts. Only where {@link #ocspStaplingUnsupported()} is empty.
     */
    public void staple(SSLEngine engine, byte[] response) throws TlsException {
        throw new TlsException(ErrorCode.OCSP_UNSUPPORTED, "OCSP stapling is not supported on the "
                + id().cliName() + " provider");
    }

    /**
     * Whether a resumed session reports the creation time of the session it resumes, in milliseconds (SunJSSE and
     * Bouncy Castle do; Conscrypt reports whole seconds, so a session made in the same second looks resumed).
     */
    public boolean keepsCreationTimeOnResumption() {
        return true;
    }

    /**
     * Whether {@link SSLSocket#shutdownOutput()} sends close_notify and leaves reading open (a TLS 1.3 half-close).
     * SunJSSE's engine keeps unwrapping after {@code closeOutbound()}; Bouncy Castle's and Conscrypt's engines
     * then report every record as closed, and close their own output when the peer's close_notify comes (measured
     * with weft's socket over each engine, TLS 1.3 and 1.2, both ends).
     */
    public boolean canHalfClose() {
        return false;
    }

    /**
     * The connection's {@code tls-unique} channel binding (RFC 5929): the first Finished message's verify_data of a
     * TLS 1.2 handshake (the client's in a full handshake, the server's in a resumed one); empty where the provider
     * does not tell it (TLS 1.3 has none). SunJSSE has no API for it; Bouncy Castle's {@code BCSSLConnection} and
     * Conscrypt's {@code Conscrypt.getTlsUnique} have.
     */
    public Optional<byte[]> tlsUnique(SSLEngine engine) {
        return Optional.empty();
    }

    /**
     * Why this provider cannot tell a connection's Finished messages ({@code getFinished()}); empty where it can tell
     * the first one of a TLS 1.2 handshake ({@link #tlsUnique}).
     */
    public Optional<String> finishedUnsupported(boolean server) {
        return Optional.of(id().cliName() + " has no API for the Finished messages (nor for tls-unique)");
    }

    /**
     * Sets how long the server sessions of {@code context} can be resumed, in seconds (Node's
     * {@code sessionTimeout}): the server session cache's timeout, which SunJSSE and Conscrypt also give their
     * tickets as lifetime. Cheap when unchanged (called per handshake, for the context the client's SNI chose).
     */
    public void sessionTimeout(SSLContext context, int seconds) {
        javax.net.ssl.SSLSessionContext sessions = context.getServerSessionContext();
        if (sessions != null && sessions.getSessionTimeout() != seconds) {
            sessions.setSessionTimeout(seconds);
        }
    }

    /**
     * The provider to serve a client with instead of this one, where this one cannot sign the handshake for it and
     * OpenSSL can ({@code schemes}: the client's signature_algorithms; {@code version}: the version the handshake
     * will take, 0x0303 or 0x0304; {@code key}: the server's); empty when this one serves it (also when OpenSSL
     * would refuse it: weft refuses it first).
     */
    public Optional<JsseProvider> servesInstead(int[] schemes, int version, java.security.PublicKey key) {
        return Optional.empty();
    }

    /** The protocols and cipher suites weft enables on this provider by default. */
    public final List<List<String>> defaults() throws TlsException {
        SSLContext c = newContext(null, null);
        var p = c.getDefaultSSLParameters();
        List<String> protocols = java.util.Arrays.stream(p.getProtocols()).filter(SECURE_PROTOCOLS::contains).toList();
        return List.of(protocols, List.of(secureSuites(p.getCipherSuites())));
    }
}
