package dev.weft.tls;

import dev.weft.tls.internal.engine.EngineSocket;
import dev.weft.tls.internal.limits.HandshakeGate;
import dev.weft.tls.internal.limits.Watchdog;
import dev.weft.tls.internal.negotiation.ClientHello;
import dev.weft.tls.internal.negotiation.SignatureSchemes;
import dev.weft.tls.internal.provider.ProviderSupport;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * A server connection's way from the accepted socket to the handler, one way: hello → context → engine →
 * handshake → verify. Shared by {@link TlsServer}, {@link Tls#upgradeServer} and the server sockets of
 * {@link Tls#serverSocketFactory}.
 */
final class ServerHandshake {
    private ServerHandshake() {
    }

    /** Picks the context for an SNI name, given the default. */
    @FunctionalInterface
    interface ContextSelector {
        SecureContext select(String servername, SecureContext fallback) throws TlsException;
    }

    /**
     * Makes the server's socket once the context is chosen: weft's {@link EngineSocket} over the connection, its
     * engine starting from the bytes already read ({@code consumed}); {@code beforeWaiting} runs when the
     * handshake first waits for the client past them.
     */
    @FunctionalInterface
    interface EngineStep {
        /** {@code serving}: the provider whose engine serves this client (the server's, or the one it hands over to). */
        EngineSocket start(SecureContext context, JsseProvider serving, byte[] consumed, Runnable beforeWaiting)
                throws IOException;
    }

    /** The engine step of weft's own server and STARTTLS upgrade: a new socket over {@code raw}. */
    static EngineStep newSocket(Socket raw, JsseProvider provider, ServerOptions options) {
        return (ctx, serving, consumed, beforeWaiting) -> ProviderSupport.of(serving).serve(ctx.sslContext(serving), raw,
                consumed, beforeWaiting, ctx.handshake(options.alpnProtocols()));
    }

    /**
     * A server handshake over {@code raw}, whose first bytes may already have been read ({@code alreadyRead}, a
     * STARTTLS client's early ClientHello), in the one order every server connection takes: reads the ClientHello
     * under the deadline, refuses what is not TLS, picks the context by SNI, waits its turn at the handshake gate,
     * starts the engine ({@code engine}) from the bytes read, runs the handshake and verifies the client.
     */
    static TlsSocket run(Socket raw, byte[] alreadyRead, SecureContext defaultContext, JsseProvider provider,
            ServerOptions options, ContextSelector contexts, EngineStep engine) throws IOException {
        SecureContext ctx = defaultContext; // one context for the whole handshake, even if it is replaced meanwhile
        Duration timeout = options.handshakeTimeout();
        // The ClientHello is read here, whatever the provider: the SNI name picks the context, and
        // servername() reports the same well-formed name on every provider.
        long start = System.nanoTime();
        ClientHello hello = readClientHello(raw, alreadyRead, timeout);
        timeout = timeout.minusNanos(System.nanoTime() - start);
        refuseIfNotTls(hello, raw);
        ctx = contexts.select(hello.serverName(), ctx);
        ProviderSupport.of(provider).sessionTimeout(ctx.sslContext(provider),
                (int) options.sessionTimeout().getSeconds());
        // From here what weft does counts against the deadline: the OCSP responder, the wait at the gate.
        long waitStart = System.nanoTime();
        refuseInappropriateFallback(hello, ctx, raw);
        refuseUnsuitableSignatures(hello, ctx, raw);
        // a client the server's provider cannot sign for, where OpenSSL can, is served by another provider's engine
        JsseProvider serving = servingProvider(hello, ctx, provider);
        if (serving != provider) {
            ProviderSupport.of(serving).sessionTimeout(ctx.sslContext(serving),
                    (int) options.sessionTimeout().getSeconds());
        }
        byte[] ocspResponse = hello.statusRequest() ? ocspResponse(options.ocspResponder(), ctx) : null;
        if (ocspResponse != null && ProviderSupport.of(serving).ocspStaplingUnsupported().isPresent()) {
            serving = provider; // the response the application gave is stapled, by the provider that can
        }
        // The computing part of the handshake waits its turn (HandshakeGate).
        HandshakeGate.Pass pass;
        try {
            pass = HandshakeGate.SHARED.enter(timeout.minusNanos(System.nanoTime() - waitStart));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlsException(ErrorCode.ECONNRESET, "interrupted waiting to handshake with "
                    + TlsSocket.peerName(raw), e);
        }
        if (pass == null) {
            throw new TlsException(ErrorCode.HANDSHAKE_TIMEOUT, "TLS handshake timeout ("
                    + options.handshakeTimeout().toMillis() + " ms) with " + TlsSocket.peerName(raw)
                    + ": the server was busy with other handshakes the whole time");
        }
        timeout = timeout.minusNanos(System.nanoTime() - waitStart);
        try {
            EngineSocket s = engine.start(ctx, serving, hello.consumed(), pass);
            if (ocspResponse != null) {
                ProviderSupport.of(serving).staple(s.engine(), ocspResponse);
            }
            if (options.requestCert()) {
                s.setWantClientAuth(true);
            }
            AlpnCallback alpn = options.alpnCallback();
            if (alpn != null) {
                String servername = hello.serverName();
                s.setHandshakeApplicationProtocolSelector((sock, offered) -> offered.isEmpty() ? ""
                        : alpn.select(servername, List.copyOf(offered)));
            }
            return TlsSocket.handshake(raw, s, serving, ctx, true, options.requestCert(),
                    options.rejectUnauthorized(), timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1)
                            : timeout, hello.serverName(), null, null, options.listener());
        } finally {
            pass.release();
        }
    }

    /**
     * The application's OCSP response for the certificate {@code context} presents (Node's {@code 'OCSPRequest'}),
     * or null: no responder, no certificate, or the responder has none.
     */
    private static byte[] ocspResponse(OcspResponder responder, SecureContext context) throws TlsException {
        List<java.security.cert.X509Certificate> chain = context.certificateChain();
        if (responder == null || chain.isEmpty()) {
            return null;
        }
        try {
            byte[] response = responder.respond(chain.getFirst(), chain.size() > 1 ? chain.get(1) : null);
            return response == null || response.length == 0 ? null : response;
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException(ErrorCode.OCSP_RESPONDER, "the OCSP responder failed: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /** The context an SNI callback picks, for a server without addContext patterns (an upgraded socket). */
    static SecureContext callbackContext(ServerOptions options, String servername, SecureContext fallback)
            throws TlsException {
        if (servername == null || options.sniCallback() == null) {
            return fallback;
        }
        SecureContext chosen;
        try {
            chosen = options.sniCallback().select(servername);
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException(ErrorCode.SNI_CALLBACK, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        return chosen != null ? chosen : fallback;
    }

    /**
     * Refuses at once, with Node's code, a peer whose first bytes are not TLS: the provider would only report a
     * generic failure after reading more.
     */
    private static void refuseIfNotTls(ClientHello hello, Socket raw) throws TlsException {
        String peer = TlsSocket.peerName(raw);
        ClientHello.Refusal refused = hello.refusal();
        if (refused != null) {
            sendFatalAlert(raw, refused.recordMinor(), refused.alert()); // the alert OpenSSL sends for it
            throw new TlsException(refused.code(), peer + " sent " + refused.reason());
        }
        switch (hello.kind()) {
            case TLS -> {
                if (hello.offersOnlyOldVersions()) {
                    sendFatalAlert(raw, 1, 70); // protocol_version, in a TLS 1.0 record the old client can read
                    throw new TlsException(ErrorCode.UNSUPPORTED_PROTOCOL, peer + " offers only TLS 1.1 or older: "
                            + "weft speaks TLS 1.2 and 1.3 only");
                }
            }
            case HTTP -> throw new TlsException(ErrorCode.HTTP_REQUEST, "plain HTTP request from " + peer
                    + " on a TLS port (use https://)");
            case HTTPS_PROXY -> throw new TlsException(ErrorCode.HTTPS_PROXY_REQUEST, "HTTP proxy request (CONNECT) "
                    + "from " + peer + " on a TLS port: this is not a proxy");
            case SSLV2 -> throw new TlsException(ErrorCode.UNSUPPORTED_PROTOCOL, "SSL 2.0-style ClientHello from "
                    + peer + ": weft speaks TLS 1.2 and 1.3 only");
            case NOT_TLS -> throw new TlsException(ErrorCode.WRONG_VERSION_NUMBER, "not a TLS record from " + peer
                    + " (first bytes " + java.util.HexFormat.of().formatHex(hello.consumed(), 0,
                    Math.min(5, hello.consumed().length)) + ")");
            case EMPTY -> throw new TlsException(ErrorCode.ECONNRESET, "socket hang up: " + peer
                    + " closed before sending a ClientHello");
        }
    }

    /**
     * Refuses a client that signals a fallback (TLS_FALLBACK_SCSV) below the best version {@code context} speaks, as
     * OpenSSL does, with its alert (inappropriate_fallback in a TLS 1.2 record): SunJSSE ignores the signal and
     * Conscrypt's engine does not hand out its alert, so weft checks it, the same on every provider.
     */
    private static void refuseInappropriateFallback(ClientHello hello, SecureContext context, Socket raw)
            throws TlsException {
        int best = bestVersion(context);
        if (hello.inappropriateFallback(best)) {
            sendFatalAlert(raw, 3, 86);
            throw new TlsException(ErrorCode.INAPPROPRIATE_FALLBACK, TlsSocket.peerName(raw) + " signalled a "
                    + "fallback (TLS_FALLBACK_SCSV) below " + (best == 0x0304 ? "TLS 1.3" : "TLS 1.2")
                    + ", which this server speaks: a downgrade, refused");
        }
    }

    /**
     * Refuses, with OpenSSL's handshake_failure and Node's code, a client offering no handshake signature the
     * context's key can make at Node's security level (SHA-1 and MD5 refused): see {@link SignatureSchemes}.
     */
    private static void refuseUnsuitableSignatures(ClientHello hello, SecureContext context, Socket raw)
            throws TlsException {
        List<java.security.cert.X509Certificate> chain = context.certificateChain();
        if (chain.isEmpty() || hello.bestVersion() == 0) {
            return;
        }
        if (!hello.offersNegotiableSuite()) {
            // OpenSSL settles the suite first: a client with none weft could take hears that, not about signatures
            sendFatalAlert(raw, 3, 40);
            throw new TlsException(ErrorCode.NO_SHARED_CIPHER, TlsSocket.peerName(raw) + " offers no cipher suite "
                    + "weft negotiates (TLS 1.3, or ECDHE with AES-GCM or ChaCha20-Poly1305)");
        }
        int version = Math.min(hello.bestVersion(), bestVersion(context));
        SignatureSchemes.Refusal refused = SignatureSchemes.refusal(hello.signatureSchemes(), version,
                chain.getFirst().getPublicKey());
        if (refused != null) {
            sendFatalAlert(raw, 3, refused.alert()); // in a TLS 1.2 record, as OpenSSL
            throw new TlsException(refused.code(), TlsSocket.peerName(raw) + ": " + refused.reason());
        }
    }

    /** The provider whose engine serves this client: the server's, unless it cannot sign for it (ProviderSupport). */
    private static JsseProvider servingProvider(ClientHello hello, SecureContext context, JsseProvider provider)
            throws TlsException {
        List<java.security.cert.X509Certificate> chain = context.certificateChain();
        if (chain.isEmpty() || hello.bestVersion() == 0) {
            return provider;
        }
        int version = Math.min(hello.bestVersion(), bestVersion(context));
        return ProviderSupport.of(provider).servesInstead(hello.signatureSchemes(), version,
                chain.getFirst().getPublicKey()).orElse(provider);
    }

    /** The best version {@code context} speaks, as the wire spells it: 0x0304 for TLS 1.3, else 0x0303. */
    private static int bestVersion(SecureContext context) {
        return context.protocols().contains("TLSv1.3") ? 0x0304 : 0x0303;
    }

    /** Writes a plaintext fatal alert record (TLS 1.{@code minor}) with {@code description}; best effort. */
    private static void sendFatalAlert(Socket raw, int minor, int description) {
        try {
            raw.getOutputStream().write(new byte[] {21, 3, (byte) minor, 0, 2, 2, (byte) description});
        } catch (IOException ignored) {
            // the peer is gone already
        }
    }

    /** Reads the ClientHello under the handshake deadline: a silent or trickling client is cut off in time. */
    private static ClientHello readClientHello(Socket raw, byte[] alreadyRead, Duration timeout) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        var deadline = Watchdog.schedule(timeout, () -> {
            timedOut.set(true);
            TlsSocket.closeQuietly(raw);
        });
        try {
            return ClientHello.read(alreadyRead.length == 0 ? raw.getInputStream() : new java.io.SequenceInputStream(
                    new java.io.ByteArrayInputStream(alreadyRead), raw.getInputStream()));
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new TlsException(ErrorCode.HANDSHAKE_TIMEOUT, "TLS handshake timeout (" + timeout.toMillis()
                        + " ms) with " + TlsSocket.peerName(raw), e);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

}
