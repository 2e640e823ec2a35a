package dev.weft.tls;

import dev.weft.tls.internal.engine.EngineSocket;
import dev.weft.tls.internal.engine.Wire;
import dev.weft.tls.internal.errors.Errors;
import dev.weft.tls.internal.events.Events;
import dev.weft.tls.internal.handshake.HandshakeScope;
import dev.weft.tls.internal.handshake.RecordingTrustManager;
import dev.weft.tls.internal.limits.Watchdog;
import dev.weft.tls.internal.negotiation.CipherNames;
import dev.weft.tls.internal.negotiation.Groups;
import dev.weft.tls.internal.negotiation.SigAlgs;
import dev.weft.tls.internal.provider.ProviderSupport;
import dev.weft.tls.internal.streams.CleartextStreams;
import dev.weft.tls.internal.trust.Verifier;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One TLS connection after its handshake: Node's {@code TLSSocket} (v0.6: {@code CleartextStream}). The cleartext
 * side is an ordinary blocking {@link InputStream} and {@link OutputStream}.
 *
 * <p>Threading: one thread may read while another writes; reads and writes block (on a virtual thread that
 * costs nothing). {@link #close()} may be called from any thread. Closing sends close_notify and closes the TCP
 * connection; {@link #destroy()} closes the TCP connection at once, releasing any blocked read or write.
 *
 * <p>Differences from Node: there are no events; {@code 'secureConnect'} is {@link Tls#connect} returning,
 * {@code 'data'} is a read, {@code 'end'} is a read returning -1. {@code authorizationError()} is the code string
 * ({@code DEPTH_ZERO_SELF_SIGNED_CERT}), not an {@code Error}.
 */
public final class TlsSocket implements Closeable {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.socket");
    private final Socket raw;
    private final SSLSocket ssl;
    private final JsseProvider provider;
    private final ProviderSupport support;
    private final boolean server;
    private final boolean peerVerified;
    private final Verifier.Result verification;
    private final String servername;
    private final SecureContext context;
    private final boolean sessionReused;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean truncated;
    private final java.util.concurrent.atomic.AtomicInteger writing = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Future<?> idleTimer;
    private volatile InputStream input;
    private volatile OutputStream output;
    private volatile boolean draining;
    private volatile byte[] ocspResponse; // a client's: the server's stapled OCSP response, when asked for
    /** Guarded by itself; run once each when the server drains. */
    private final List<Runnable> onDraining = new ArrayList<>();

    private TlsSocket(Socket raw, SSLSocket ssl, ProviderSupport support, JsseProvider provider, boolean server,
            boolean peerVerified, Verifier.Result verification, String servername, SecureContext context,
            boolean sessionReused) {
        this.context = context;
        this.sessionReused = sessionReused;
        this.raw = raw;
        this.ssl = ssl;
        this.provider = provider;
        this.support = support;
        this.server = server;
        this.peerVerified = peerVerified;
        this.verification = verification;
        this.servername = servername;
    }

    /**
     * Runs the handshake of {@code ssl} (layered over {@code raw}) under a deadline, and returns the connected
     * socket. On failure the raw socket is closed and the exception carries a stable code.
     *
     * @param verifyPeer whether the peer's certificate counts for {@code authorized} (client: always; server:
     *                   with requestCert)
     * @param reject     whether a peer that fails verification is refused
     */
    static TlsSocket handshake(Socket raw, SSLSocket ssl, JsseProvider provider, SecureContext context,
            boolean server, boolean verifyPeer, boolean reject, Duration timeout, String sentServername,
            String identityHost, ServerIdentityCheck identityCheck, TlsListener listener) throws TlsException {
        Events.Handshake event = new Events.Handshake();
        event.begin();
        long start = System.nanoTime();
        try {
            TlsSocket s = runHandshake(raw, ssl, provider, context, server, verifyPeer, reject, timeout,
                    sentServername, identityHost, identityCheck);
            String protocol = s.ssl.getSession().getProtocol();
            String cipher = s.ssl.getSession().getCipherSuite();
            if (event.shouldCommit()) {
                event.outcome = s.verification == null || s.verification.authorized() ? "ok" : "unauthorized";
                event.code = s.verification == null ? null : s.verification.code();
                event.protocol = protocol;
                event.cipher = cipher;
                event.resumed = s.sessionReused;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Listeners.notify(listener, "handshakeCompleted",
                    l -> l.handshakeCompleted(provider, protocol, cipher, s.sessionReused, took));
            return s;
        } catch (TlsException e) {
            event.outcome = "failed";
            event.code = e.code();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Listeners.notify(listener, "handshakeFailed", l -> l.handshakeFailed(provider, e.code(), took));
            throw e;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.provider = provider.cliName();
                event.server = server;
                event.peer = peerName(raw);
                event.commit();
            }
        }
    }

    private static TlsSocket runHandshake(Socket raw, SSLSocket ssl, JsseProvider provider, SecureContext context,
            boolean server, boolean verifyPeer, boolean reject, Duration timeout, String sentServername,
            String identityHost, ServerIdentityCheck identityCheck) throws TlsException {
        String peer = peerName(raw);
        HandshakeScope scope = new HandshakeScope(reject);
        long started = System.currentTimeMillis();
        AtomicBoolean timedOut = new AtomicBoolean();
        Future<?> deadline = Watchdog.schedule(timeout, () -> {
            timedOut.set(true);
            abandon(raw, ssl);
        });
        try {
            scope.run(() -> {
                ssl.startHandshake();
                return null;
            });
        } catch (Exception e) {
            abandon(raw, ssl);
            if (timedOut.get()) {
                throw new TlsException(ErrorCode.HANDSHAKE_TIMEOUT, "TLS handshake timeout (" + timeout.toMillis()
                        + " ms) with " + peer, e);
            }
            throw Errors.handshakeFailure(e, scope.result(), peer, ProviderSupport.wire(ssl));
        } finally {
            deadline.cancel(false);
        }
        if (timedOut.get()) {
            abandon(raw, ssl);
            throw new TlsException(ErrorCode.HANDSHAKE_TIMEOUT, "TLS handshake timeout (" + timeout.toMillis()
                    + " ms) with " + peer);
        }
        SSLSession session = ssl.getSession();
        Verifier.Result result = scope.result();
        // A resumed handshake verifies no certificate (client) and presents none (server); and a resumed session
        // keeps the creation time of the session it resumes
        boolean resumed = (server ? !scope.keyChosen() : result == null)
                || (ProviderSupport.of(provider).keepsCreationTimeOnResumption()
                        && session.getCreationTime() < started - 1);
        if (verifyPeer && result == null) {
            // The trust manager did not run: a resumed session, or a client that sent no certificate.
            result = context.verifier().verify(peerChain(session), server ? Verifier.Purpose.CLIENT
                    : Verifier.Purpose.SERVER, new Date());
        }
        if (!server && identityCheck != null && result.authorized() && !resumed) {
            // Node checks the name only on a verified chain, and not on a resumed session
            try {
                identityCheck.check(identityHost, PeerCertificate.detailed(result.path()));
            } catch (TlsException e) {
                if (reject) {
                    abandon(raw, ssl);
                    throw e;
                }
                result = new Verifier.Result(e.code(), e.getMessage(), result.path());
            } catch (RuntimeException e) {
                abandon(raw, ssl);
                throw new TlsException(ErrorCode.CERT_ALTNAME_INVALID, "checkServerIdentity failed: " + e, e);
            }
        }
        if (verifyPeer && reject && !result.authorized()) {
            abandon(raw, ssl);
            boolean noCertificate = server && peerChain(session).isEmpty();
            throw noCertificate
                    ? new TlsException(ErrorCode.PEER_DID_NOT_RETURN_A_CERTIFICATE,
                            "peer did not return a certificate (" + peer + ")")
                    : new TlsException(result.code(), result.message());
        }
        String name = sentServername; // server: the name weft read from the ClientHello; client: the name it sent
        TlsSocket s = new TlsSocket(raw, ssl, ProviderSupport.of(provider), provider, server, verifyPeer,
                verifyPeer ? result : null, name, context, resumed);
        if (!server) {
            s.ocspResponse = scope.ocspResponse();
            if (s.ocspResponse == null && session instanceof javax.net.ssl.ExtendedSSLSession e) {
                s.ocspResponse = RecordingTrustManager.stapledResponse(e);
            }
        }
        return s;
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    static String peerName(Socket raw) {
        return raw.getInetAddress() == null ? "unconnected socket"
                : raw.getInetAddress().getHostAddress() + ":" + raw.getPort();
    }

    static void closeQuietly(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    /**
     * {@return the cleartext bytes the peer sent; -1 at the end of the stream} Its {@link InputStream#transferTo
     * transferTo} is Node's {@code socket.pipe(destination)}: it holds no buffer while it waits for the peer, so an
     * idle piped connection costs no more memory than an idle reader.
     *
     * @throws IOException the socket is closed, or the connection fails
     */
    public InputStream getInputStream() throws IOException {
        InputStream in = input;
        if (in == null) {
            in = input = CleartextStreams.input(ssl.getInputStream(), ProviderSupport.wire(ssl), this::touch,
                    () -> truncated = true);
        }
        return in;
    }

    /**
     * Writes cleartext to the peer; a write blocks while the peer is not reading (back-pressure).
     *
     * @return the stream that writes cleartext to the peer; closing it closes the socket
     * @throws IOException the socket is closed, or the connection fails
     */
    public OutputStream getOutputStream() throws IOException {
        OutputStream out = output;
        if (out == null) {
            out = output = CleartextStreams.output(ssl.getOutputStream(), ended::get,
                    this::touch, writing);
        }
        return out;
    }

    /**
     * Writes {@code text} in UTF-8 and flushes.
     *
     * @param text the text, written as UTF-8
     * @throws IOException the socket is closed, or the connection fails
     */
    public void write(String text) throws IOException {
        OutputStream out = getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Keying material derived from this connection's secrets (RFC 5705 for TLS 1.2, RFC 8446 section 7.5 for TLS
     * 1.3): Node's {@code exportKeyingMaterial(length, label)}, with no context.
     *
     * @param length how many bytes
     * @param label  the exporter label, e.g. {@code EXPORTER-my-protocol}
     * @return {@code length} bytes both ends of the connection derive alike
     * @throws TlsException {@code ERR_TLS_INVALID_STATE} on a closed socket, {@code ERR_WEFT_EXPORTER} when the
     *                      provider refuses
     */
    public byte[] exportKeyingMaterial(int length, String label) throws TlsException {
        return exportKeyingMaterial(length, label, null);
    }

    /**
     * Keying material derived from this connection's secrets with a context value: Node's
     * {@code exportKeyingMaterial(length, label, context)}. In TLS 1.2 no context ({@code null}) and an empty one
     * derive different bytes; in TLS 1.3 they are the same.
     *
     * <p>Differences from Node: none in the bytes (held to a live Node 24, TLS 1.2 and 1.3, both directions, on
     * SunJSSE and Conscrypt); Bouncy Castle JSSE 1.84 offers no exporter, and there this throws
     * {@code ERR_WEFT_EXPORTER_UNSUPPORTED}.
     *
     * @param length  how many bytes
     * @param label   the exporter label
     * @param context the context value, or null for none
     * @return {@code length} bytes both ends of the connection derive alike
     * @throws TlsException {@code ERR_TLS_INVALID_STATE} on a closed socket, {@code ERR_WEFT_EXPORTER} when the
     *                      provider refuses, {@code ERR_WEFT_EXPORTER_UNSUPPORTED} on Bouncy Castle (no public
     *                      exporter in 1.84)
     */
    public byte[] exportKeyingMaterial(int length, String label, byte[] context) throws TlsException {
        java.util.Objects.requireNonNull(label, "label");
        if (length < 1) {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
        if (closed.get() || !(ssl instanceof EngineSocket engineSocket)) {
            throw new TlsException(ErrorCode.TLS_INVALID_STATE, "TLS socket connection must be securely established");
        }
        Optional<String> unsupported = support.exporterUnsupported();
        if (unsupported.isPresent()) {
            throw new TlsException(ErrorCode.EXPORTER_UNSUPPORTED, "exportKeyingMaterial is not supported on the "
                    + provider.cliName() + " provider: " + unsupported.get() + "; use the sun or conscrypt provider");
        }
        try {
            return support.exportKeyingMaterial(engineSocket.engine(), label, context == null ? null : context.clone(),
                    length);
        } catch (IOException | java.security.GeneralSecurityException | UnsupportedOperationException
                | IllegalStateException e) {
            throw new TlsException(ErrorCode.EXPORTER, provider.cliName() + " could not export keying material ("
                    + label + "): " + e.getMessage(), e);
        }
    }

    /**
     * The OCSP response the server stapled to its certificate in this handshake (DER), on a client that asked for
     * it ({@link ClientOptions.Builder#requestOCSP}): Node's {@code 'OCSPResponse'} event. weft does not judge it:
     * decode it (Bouncy Castle's {@code OCSPResp}) and close the socket when it does not say "good" for the
     * certificate, or is stale. Empty when the server stapled none (and on a resumed session, which staples none).
     *
     * @return a copy of the DER-encoded response, or empty
     */
    public Optional<byte[]> ocspResponse() {
        byte[] r = ocspResponse;
        return r == null ? Optional.empty() : Optional.of(r.clone());
    }

    /** Forgets the stapled response unless the client asked for it. */
    void keepOcspResponse(boolean keep) {
        if (!keep) {
            ocspResponse = null;
        }
    }

    /**
     * {@return whether the server this connection came to is shutting down gracefully} ({@link TlsServer#shutdown}):
     * it accepts no more connections and will close this one when its grace period ends. A handler of a long-lived
     * protocol finishes what it is doing and says goodbye in its own protocol; one that only answers requests can
     * close after the current answer. Always false on a client socket.
     */
    public boolean draining() {
        return draining;
    }

    /**
     * Runs {@code action} once when the server starts draining ({@link #draining()}), on a virtual thread of its own
     * (so it may write, or close this socket, while the handler's thread is blocked reading); at once if it
     * drains already. Never on a client socket.
     *
     * <p>Differences from Node: Node's {@code server.close()} only stops accepting; telling connections is left to
     * the application, which keeps its own list of them.
     *
     * @param action what to do, e.g. write a goodbye message and {@link #end()}
     */
    public void onDraining(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        synchronized (onDraining) {
            if (!draining) {
                onDraining.add(action);
                return;
            }
        }
        runDrainAction(action);
    }

    /** The server drains: tells {@link #onDraining} actions, once. */
    void serverDraining() {
        List<Runnable> actions;
        synchronized (onDraining) {
            if (draining) {
                return;
            }
            draining = true;
            actions = List.copyOf(onDraining);
            onDraining.clear();
        }
        actions.forEach(this::runDrainAction);
    }

    private void runDrainAction(Runnable action) {
        Thread.ofVirtual().name("weft-drain").start(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "draining action on {0} threw {1}", this, e.toString());
            }
        });
    }

    /**
     * {@return whether the peer's certificate verified} A client: the server's chain against {@code ca}. A server: only
     * with {@code requestCert}, otherwise always false, as in Node.
     */
    public boolean authorized() {
        return peerVerified && verification.authorized();
    }

    /**
     * {@return why the peer is not {@link #authorized()}: a code such as {@code DEPTH_ZERO_SELF_SIGNED_CERT}; null when
     * authorized, and on a server that did not request a certificate}
     */
    public String authorizationError() {
        return peerVerified ? verification.code() : null;
    }

    /** {@return the negotiated protocol, {@code TLSv1.3} or {@code TLSv1.2}; null once closed, as in Node} */
    public String protocol() {
        return closed.get() ? null : ssl.getSession().getProtocol();
    }

    /**
     * {@return the negotiated cipher suite as Node's {@code getCipher()}: its OpenSSL name, its standard (IANA) name
     * and the lowest protocol it runs on; null once closed, as in Node}
     */
    public TlsCipher cipher() {
        if (closed.get()) {
            return null;
        }
        String standard = ssl.getSession().getCipherSuite();
        return new TlsCipher(CipherNames.openssl(standard), standard, CipherNames.version(standard));
    }

    /** {@return the ALPN protocol both ends agreed on; empty when none was negotiated (Node's {@code false})} */
    public Optional<String> alpnProtocol() {
        String p = closed.get() ? null : ssl.getApplicationProtocol();
        return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p);
    }

    /**
     * {@return the SNI name: on a server the name the client asked for, on a client the name it sent; empty when none
     * (Node's {@code false})}
     */
    public Optional<String> servername() {
        return Optional.ofNullable(servername);
    }

    /** {@return the peer's certificate chain as it sent it, leaf first; empty when it sent none or once closed} */
    public List<X509Certificate> peerCertificateChain() {
        return closed.get() ? List.of() : peerChain(ssl.getSession());
    }

    /** The chain as verified: the peer's certificates, then the trusted root that completed it. */
    List<X509Certificate> verifiedChain() {
        if (closed.get()) {
            return List.of();
        }
        return verification == null || verification.path().isEmpty() ? peerCertificateChain() : verification.path();
    }

    /**
     * {@return whether this connection resumed an earlier session (an abbreviated handshake): Node's {@code
     * isSessionReused()}}
     */
    public boolean isSessionReused() {
        return sessionReused;
    }

    /**
     * {@return this client connection's session, to resume with {@link ClientOptions.Builder#session}: Node's
     * {@code getSession()}} An opaque handle: JSSE cannot export a session, so the handle keeps the context whose
     * session cache holds it.
     */
    public TlsSession session() {
        return new TlsSession(context, provider);
    }

    /**
     * The key exchange of this connection: Node's {@code getEphemeralKeyInfo()}. On a client, the group the server
     * chose ({@code ECDH X25519 253}, {@code ECDH prime256v1 256}, {@code TLSGroup X25519MLKEM768}, ...); empty on
     * a server (Node returns null there) and when the handshake made no ephemeral key exchange (a resumed TLS 1.2
     * session: Node returns an empty object).
     *
     * <p>weft reads the group from the server's plaintext handshake as it arrives (the TLS 1.3 ServerHello's
     * key_share, the TLS 1.2 ServerKeyExchange's curve), since no provider's API tells it; so it is the same on
     * every provider.
     *
     * @return the key exchange, on a client
     */
    public Optional<EphemeralKeyInfo> ephemeralKeyInfo() {
        Wire w = ProviderSupport.wire(ssl);
        if (server || w == null) {
            return Optional.empty();
        }
        Groups.Group g = Groups.byId(w.keyExchangeGroup());
        if (g == null) {
            return Optional.empty();
        }
        return Optional.of(new EphemeralKeyInfo(g.type(), Optional.ofNullable(g.name()),
                g.size() > 0 ? java.util.OptionalInt.of(g.size()) : java.util.OptionalInt.empty()));
    }

    /**
     * The signature algorithms both ends share, in OpenSSL's names as Node's {@code getSharedSigalgs()} gives
     * them ({@code ECDSA+SHA256}, {@code RSA-PSS+SHA256}, {@code RSA+SHA384}, {@code Ed25519+UNDEF},
     * {@code id-ml-dsa-65+UNDEF}, ...): this end's list ({@code sigalgs}, or OpenSSL 3.5's default list when none
     * is set) in its order, keeping what the peer offered, without SHA-1 (and without DSA in TLS 1.3). On a server
     * the peer's list is the ClientHello's signature_algorithms; on a client it is the server's certificate request
     * (empty when the server asked for no certificate, as in Node).
     *
     * <p>Differences from Node: weft computes the list as OpenSSL does, from what it reads on the wire, so it can
     * name schemes the provider itself cannot make or check (ML-DSA, DSA). On a TLS 1.3 client the certificate
     * request is encrypted: the list is then the provider's {@code getPeerSupportedSignatureAlgorithms()} where it
     * tells (sun, bc), and empty on conscrypt.
     *
     * @return the shared signature algorithms, in this end's order
     */
    public List<String> sharedSigalgs() {
        Wire w = ProviderSupport.wire(ssl);
        int[] peer = w == null ? null : w.peerSignatureSchemes();
        boolean tls13 = "TLSv1.3".equals(ssl.getSession().getProtocol());
        if (peer == null && !server && tls13 && ssl.getSession() instanceof javax.net.ssl.ExtendedSSLSession e
                && e.getPeerSupportedSignatureAlgorithms() != null) {
            peer = java.util.Arrays.stream(e.getPeerSupportedSignatureAlgorithms())
                    .mapToInt(SigAlgs::code).filter(c -> c >= 0).toArray();
        }
        return SigAlgs.shared(context == null ? null : context.sigalgs(), peer, tls13);
    }

    /** {@return whether this is the server end} */
    public boolean isServer() {
        return server;
    }

    /** {@return the provider running this connection} */
    public JsseProvider provider() {
        return provider;
    }

    /** {@return the peer's address} */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) raw.getRemoteSocketAddress();
    }

    /** {@return this end's address} */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) raw.getLocalSocketAddress();
    }

    /**
     * {@return weft's {@code SSLSocket} under this connection (over the provider's engine), for what weft does not
     * cover} Closing it closes this connection. {@code TlsSocket} wraps it rather than extending it: an
     * {@code SSLSocket} subclass carries a socket implementation of its own, unused here, and its close and stream
     * semantics are JSSE's where {@code TlsSocket}'s are Node's ({@code end()}, the idle timeout, Node's codes).
     */
    public SSLSocket unwrap() {
        return ssl;
    }

    /**
     * Ends this side: sends close_notify and stops writing. Where the provider can half-close
     * ({@link #canHalfClose()}: SunJSSE) reading goes on until the peer ends too; elsewhere (Bouncy Castle,
     * Conscrypt) the provider offers no way to send close_notify and keep reading, so the connection is closed.
     * A write after {@code end()} fails with {@code ERR_STREAM_WRITE_AFTER_END}, as in Node.
     *
     * @throws IOException the socket is closed, or the connection fails
     */
    public void end() throws IOException {
        OutputStream out = getOutputStream(); // made now, so a later write is refused with Node's code
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        out.flush();
        if (support.canHalfClose()) {
            ssl.shutdownOutput();
        } else {
            close();
        }
    }

    private void touch() {
        lastActivity = System.nanoTime();
    }

    /**
     * Destroys this connection once nothing has been read or written for {@code idle} (the server's
     * {@code idleTimeout}); a blocked read or write then fails. Logged at DEBUG.
     */
    void closeWhenIdle(Duration idle) {
        long limit = idle.toNanos();
        long left = limit - (System.nanoTime() - lastActivity);
        if (closed.get()) {
            return;
        }
        if (left <= 0) {
            LOG.log(System.Logger.Level.DEBUG, "{0} idle for {1} ms: closed", this, idle.toMillis());
            destroy();
            return;
        }
        idleTimer = Watchdog.schedule(Duration.ofNanos(left), () -> closeWhenIdle(idle));
    }

    /**
     * {@return whether the stream ended without the peer's close_notify: the peer closed TCP (or crashed) instead of
     * ending the TLS session} The read still returned -1, as Node reports it; this tells the two apart for whoever
     * cares (a truncation attack cannot cut a message short unnoticed).
     */
    public boolean truncated() {
        return truncated;
    }

    /** {@return whether {@link #end()} leaves reading open on this connection's provider} */
    public boolean canHalfClose() {
        return support.canHalfClose();
    }

    /** {@return whether {@link #close()} or {@link #destroy()} was called} */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Sends close_notify and closes the connection. Never blocks longer than a few seconds, even when the peer
     * does not read: the TCP connection is then closed under the provider. Nothing this end wrote is lost: the
     * write side ends at once and what the peer still sends is read and dropped, on a virtual thread, until its FIN
     * (at most 2 s) before the descriptor goes, since a socket closed over unread bytes makes the kernel send RST
     * and the peer drop what it has not read yet. {@link #destroy()} cuts at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Future<?> t = idleTimer;
        if (t != null) {
            t.cancel(false);
        }
        // close_notify waits behind a write the peer does not read: then give it a moment, not five seconds
        Future<?> deadline = Watchdog.schedule(writing.get() > 0 ? Duration.ofMillis(250) : Duration.ofSeconds(5),
                () -> closeQuietly(raw));
        try {
            if (ssl instanceof EngineSocket e) {
                e.closeLingering();
            } else {
                ssl.close();
            }
        } catch (IOException ignored) {
            // the peer may be gone already
        } finally {
            deadline.cancel(false);
            if (!(ssl instanceof EngineSocket e) || !e.closesConnection()) {
                closeQuietly(raw); // else the engine socket closes it once the peer has all of this end's bytes
            }
        }
    }

    /** Closes the TCP connection at once, without close_notify; any blocked read or write fails. */
    public void destroy() {
        closed.set(true);
        Future<?> t = idleTimer;
        if (t != null) {
            t.cancel(false);
        }
        abandon(raw, ssl);
    }

    /**
     * Ends a connection at once, without close_notify, freeing what its engine holds then and not at the next
     * garbage collection (Conscrypt: a native SSL object and two descriptors per connection).
     */
    static void abandon(Socket raw, SSLSocket ssl) {
        if (ssl instanceof EngineSocket engineSocket) {
            engineSocket.destroy();
        }
        closeQuietly(raw);
    }

    @Override
    public String toString() {
        return "TlsSocket[" + (server ? "server" : "client") + ", " + provider.cliName() + ", " + peerName(raw) + "]";
    }

    /**
     * The peer's certificate as Node's {@code getPeerCertificate()} describes it; see {@link PeerCertificate}.
     * Empty when the peer sent none (Node returns {@code {}}) and once this socket is closed (Node returns
     * {@code null}).
     *
     * @return the peer's certificate, or empty when it sent none
     */
    public Optional<PeerCertificate> peerCertificate() {
        return peerCertificate(false);
    }

    /**
     * As {@link #peerCertificate()}; when {@code detailed}, Node's {@code getPeerCertificate(true)}: the
     * certificate with its issuer chain as verified ({@link PeerCertificate#issuerCertificate()}), up to the
     * trusted root even when the peer did not send it; a self-issued root is its own issuer.
     *
     * @param detailed whether to include the issuer chain, as {@code getPeerCertificate(true)} does
     * @return the peer's certificate, or empty when it sent none
     */
    public Optional<PeerCertificate> peerCertificate(boolean detailed) {
        List<X509Certificate> chain = detailed ? verifiedChain() : peerCertificateChain();
        if (closed.get() || chain.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(detailed ? PeerCertificate.detailed(chain) : PeerCertificate.of(chain.getFirst()));
    }

    /**
     * This end's certificate as Node's {@code getCertificate()} describes it (the same form as
     * {@link #peerCertificate()}); empty when this end sent none (a client without a certificate: Node returns
     * {@code {}}) and once closed.
     *
     * @return this end's leaf certificate, or empty
     */
    public Optional<PeerCertificate> certificate() {
        return x509Certificate().map(PeerCertificate::of);
    }

    /**
     * This end's leaf certificate as the JDK's {@link X509Certificate}: Node 24's {@code getX509Certificate()}.
     *
     * <p>Differences from Node: Node returns its own {@code X509Certificate} class ({@code crypto}); weft returns the
     * JDK's (its {@code getEncoded()} is Node's {@code raw}). As in Node, the certificate this end is configured
     * with (on a server, the one its SNI context serves) also when this handshake sent none (a resumed one).
     * Empty where Node returns {@code undefined}: no certificate configured, or a closed socket.
     *
     * @return this end's leaf certificate, or empty
     */
    public Optional<X509Certificate> x509Certificate() {
        if (closed.get()) {
            return Optional.empty();
        }
        Certificate[] local = ssl.getSession().getLocalCertificates();
        if (local != null && local.length > 0 && local[0] instanceof X509Certificate x) {
            return Optional.of(x);
        }
        // none sent in this handshake (a resumed one on Conscrypt; a client the server asked for none): the
        // configured certificate, as OpenSSL's SSL_get_certificate
        return context != null && context.hasCertificate() ? Optional.of(context.certificateChain().getFirst())
                : Optional.empty();
    }

    /**
     * The peer's leaf certificate as the JDK's {@link X509Certificate}: Node 24's {@code getPeerX509Certificate()}.
     *
     * <p>Differences from Node: the JDK's class rather than Node's {@code crypto.X509Certificate}. Empty where Node
     * returns {@code undefined}: the peer sent none, or a closed socket; but on a client's resumed session weft
     * still tells the server's certificate (the session keeps it), where Node 24's client returns
     * {@code undefined}.
     *
     * @return the peer's leaf certificate, or empty
     */
    public Optional<X509Certificate> peerX509Certificate() {
        List<X509Certificate> chain = peerCertificateChain();
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.getFirst());
    }

    /**
     * The verify_data of the Finished message this end sent in the handshake: Node's {@code getFinished()} (12 bytes
     * in TLS 1.2).
     *
     * <p>Differences from Node: no provider's public API tells weft both Finished messages. Bouncy Castle and
     * Conscrypt tell the first one of a TLS 1.2 handshake (the {@code tls-unique} channel binding of RFC 5929): the
     * client's in a full handshake, the server's in a resumed one; weft returns it from whichever of
     * {@code finished()} and {@link #peerFinished()} it belongs to. Otherwise, {@code ERR_WEFT_FINISHED_UNSUPPORTED}:
     * always on SunJSSE (no API), for TLS 1.3 (no tls-unique), for the other Finished message of a TLS 1.2
     * handshake, on a Conscrypt server (it cannot tell whether the handshake resumed), and where the provider does
     * not tell tls-unique (e.g. Conscrypt on a resumption without extended master secret).
     *
     * @return a copy of this end's Finished verify_data
     * @throws TlsException {@code ERR_TLS_INVALID_STATE} on a closed socket, {@code ERR_WEFT_FINISHED_UNSUPPORTED}
     *                      where the provider does not tell it
     */
    public byte[] finished() throws TlsException {
        return finishedOf(true);
    }

    /**
     * The verify_data of the Finished message the peer sent in the handshake: Node's {@code getPeerFinished()}.
     *
     * <p>Differences from Node: as {@link #finished()}: only the first Finished message of a TLS 1.2 handshake, on
     * Bouncy Castle and a Conscrypt client; otherwise {@code ERR_WEFT_FINISHED_UNSUPPORTED}.
     *
     * @return a copy of the peer's Finished verify_data
     * @throws TlsException {@code ERR_TLS_INVALID_STATE} on a closed socket, {@code ERR_WEFT_FINISHED_UNSUPPORTED}
     *                      where the provider does not tell it
     */
    public byte[] peerFinished() throws TlsException {
        return finishedOf(false);
    }

    private byte[] finishedOf(boolean mine) throws TlsException {
        if (closed.get() || !(ssl instanceof EngineSocket engineSocket)) {
            throw new TlsException(ErrorCode.TLS_INVALID_STATE, "TLS socket connection must be securely established");
        }
        String which = mine ? "getFinished" : "getPeerFinished";
        Optional<String> unsupported = support.finishedUnsupported(server);
        if (unsupported.isPresent()) {
            throw new TlsException(ErrorCode.FINISHED_UNSUPPORTED, which + " is not supported on the "
                    + provider.cliName() + " provider: " + unsupported.get());
        }
        if (!"TLSv1.2".equals(ssl.getSession().getProtocol())) {
            throw new TlsException(ErrorCode.FINISHED_UNSUPPORTED, which + " is not supported for "
                    + ssl.getSession().getProtocol() + ": " + provider.cliName()
                    + " tells only tls-unique, the first Finished message of a TLS 1.2 handshake");
        }
        // the first Finished: the client's in a full handshake, the server's in a resumed one
        boolean firstIsMine = server == sessionReused;
        if (mine != firstIsMine) {
            throw new TlsException(ErrorCode.FINISHED_UNSUPPORTED, which + " is not supported here: "
                    + provider.cliName() + " tells only the first Finished message of a TLS 1.2 handshake (tls-unique),"
                    + " which is the " + (mine ? "peer's" : "own") + " in this " + (sessionReused ? "resumed" : "full")
                    + " handshake");
        }
        return support.tlsUnique(engineSocket.engine()).orElseThrow(() -> new TlsException(
                ErrorCode.FINISHED_UNSUPPORTED, which + ": " + provider.cliName()
                        + " did not tell tls-unique for this " + (sessionReused ? "resumed" : "full") + " handshake"));
    }

    /**
     * Caps the plaintext of each TLS record this end sends at {@code size} bytes: Node's
     * {@code setMaxSendFragment(size)} (OpenSSL's {@code SSL_set_max_send_fragment}). Smaller records let a peer
     * decrypt and act sooner, at some cost in throughput. weft cuts every write itself before the provider's
     * engine wraps it, so this holds on every provider, for application data (handshake messages are the
     * provider's).
     *
     * <p>Differences from Node: none in the records on Bouncy Castle and Conscrypt, and on SunJSSE in TLS 1.2
     * (compared on the wire with Node 24's). SunJSSE pads each TLS 1.3 record with 16 zero bytes and so puts at most
     * 16367 bytes of data in one, whatever the size: there the records are 16 bytes longer than OpenSSL's, and a
     * size above 16367 cuts as 16367 does.
     *
     * @param size the most plaintext per record, 512 to 16384
     * @return whether it was set: false, as in Node, when {@code size} is outside 512..16384 (nothing changes)
     */
    public boolean setMaxSendFragment(int size) {
        if (size < 512 || size > 16384 || !(ssl instanceof EngineSocket engineSocket)) {
            return false;
        }
        engineSocket.setMaxSendFragment(size);
        return true;
    }
}
