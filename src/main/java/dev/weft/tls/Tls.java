package dev.weft.tls;

import dev.weft.tls.internal.errors.Errors;
import dev.weft.tls.internal.provider.ProviderSupport;
import dev.weft.tls.internal.trust.Verifier;
import dev.weft.tls.internal.x509.ServerIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * weft's entry points: Node's {@code require('tls')}.
 *
 * <pre>{@code
 * TlsServer server = Tls.createServer(ServerOptions.builder().key(keyPem).cert(certPem).build(), socket -> {
 *     socket.write("welcome!\n");
 *     socket.getInputStream().transferTo(socket.getOutputStream());
 * }).listen(8000);
 *
 * try (TlsSocket s = Tls.connect(8000, "localhost", ClientOptions.builder().ca(certPem).build())) {
 *     s.write("hello\n");
 * }
 * }</pre>
 *
 * <p>Differences from Node: calls block instead of taking callbacks; {@code connect} returns after the handshake
 * (Node's {@code 'secureConnect'}) and throws {@link TlsException} when it fails.
 */
public final class Tls {
    private Tls() {
    }

    /**
     * The lowest protocol version a context negotiates unless its {@code minVersion} says otherwise: Node's
     * {@code tls.DEFAULT_MIN_VERSION}.
     *
     * <p>Differences from Node: a constant, not a mutable global (set {@code minVersion} on the options); weft
     * never goes below TLS 1.2.
     */
    public static final String DEFAULT_MIN_VERSION = "TLSv1.2";

    /**
     * The highest protocol version a context negotiates unless its {@code maxVersion} says otherwise: Node's
     * {@code tls.DEFAULT_MAX_VERSION}.
     *
     * <p>Differences from Node: a constant, not a mutable global (set {@code maxVersion} on the options).
     */
    public static final String DEFAULT_MAX_VERSION = "TLSv1.3";

    /**
     * The key-exchange groups a context offers when no {@code ecdhCurve} is given, as Node's
     * {@code tls.DEFAULT_ECDH_CURVE}: {@code auto}, the provider's list in weft's order (X25519MLKEM768 and
     * SecP256r1MLKEM768 first where the provider has them, then X25519, P-256, P-384).
     *
     * <p>Differences from Node: a constant, not a mutable global (set {@code ecdhCurve} on the options).
     */
    public static final String DEFAULT_ECDH_CURVE = "auto";

    /**
     * The cipher suites a context enables when no {@code ciphers} is given, in its order of preference, written
     * as a cipher string: Node's {@code tls.DEFAULT_CIPHERS}. Giving it as {@code ciphers} changes nothing.
     *
     * <p>Differences from Node: a constant, not a mutable global; forward-secret AEAD suites only (Node's default
     * also has CBC and finite-field DHE suites), AES-128 before ChaCha20 before AES-256 (the order BoringSSL and
     * Go use; Node puts AES-256 first for TLS 1.3).
     */
    public static final String DEFAULT_CIPHERS = "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:"
            + "TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:"
            + "ECDHE-RSA-AES256-GCM-SHA384";

    /**
     * The names of the cipher suites weft can negotiate, as Node's {@code tls.getCiphers()} gives them: lowercase
     * OpenSSL names, sorted.
     *
     * <p>Differences from Node: Node lists every suite its OpenSSL has (CBC, static RSA, DHE, PSK, ...); weft
     * lists the ones its policy allows, on every provider: the TLS 1.3 suites with AES-GCM or ChaCha20-Poly1305
     * and the TLS 1.2 suites with ECDHE key exchange, RSA or ECDSA authentication and AES-GCM or
     * ChaCha20-Poly1305. The list is Node 24's list with the others left out.
     *
     * @return the names, e.g. {@code ecdhe-ecdsa-aes128-gcm-sha256}, {@code tls_aes_128_gcm_sha256}
     */
    public static List<String> getCiphers() {
        return dev.weft.tls.internal.negotiation.CipherNames.lowercaseNames();
    }

    /**
     * The root certificates a client context trusts when it is given no {@code ca}: Node's
     * {@code tls.getCACertificates()}, the same as {@code getCACertificates("default")}.
     *
     * @return PEM strings, one certificate each
     * @throws TlsException the JDK's roots cannot be loaded
     */
    public static List<String> getCACertificates() throws TlsException {
        return getCACertificates("default");
    }

    /**
     * Root certificates, in PEM as Node returns them: Node 24's {@code tls.getCACertificates(type)}.
     * <ul>
     * <li>{@code "default"}: what a context trusts when no {@code ca} is given
     * ({@link TrustedRoots#REPLACED_BY_CA}): the JDK's roots; the same list as {@code "bundled"};</li>
     * <li>{@code "bundled"}: the roots that come with weft's runtime, the JDK's {@code cacerts} (Node: the Mozilla
     * list compiled into Node);</li>
     * <li>{@code "system"}: the operating system's bundle, as {@link TrustedRoots#SYSTEM_PLUS_CA} reads it (the
     * first of {@code /etc/ssl/certs/ca-certificates.crt}, {@code /etc/pki/tls/certs/ca-bundle.crt},
     * {@code /etc/ssl/cert.pem}); empty when there is none;</li>
     * <li>{@code "extra"}: always empty, see below.</li>
     * </ul>
     *
     * <p>Differences from Node: {@code "bundled"} and {@code "default"} are the JDK's roots, not Mozilla's (they
     * mostly overlap). weft does not read {@code NODE_EXTRA_CA_CERTS}: a library's trust is set in code
     * ({@code ca} with {@link TrustedRoots#JDK_PLUS_CA}), not by an environment variable a deployment may carry
     * for Node, so weft never trusts a certificate because of it and {@code "extra"} is empty (Node adds that
     * file to its default roots). {@code "system"} lists each certificate once (Node 24 lists those it finds
     * both in the bundle file and in the certificate directory several times). Each PEM string ends with a newline
     * (Node's {@code "bundled"} strings do not).
     *
     * @param type {@code "default"}, {@code "system"}, {@code "bundled"} or {@code "extra"}
     * @return PEM strings, one certificate each, an unmodifiable list
     * @throws TlsException {@code ERR_INVALID_ARG_VALUE} for another type, as Node 24; the JDK's roots or the
     *                      system bundle cannot be read
     */
    public static List<String> getCACertificates(String type) throws TlsException {
        return switch (type == null ? "default" : type) {
            case "default", "bundled" -> pem(dev.weft.tls.internal.trust.RootStores.jdk());
            case "system" -> dev.weft.tls.internal.trust.RootStores.systemBundle() == null ? List.of()
                    : pem(dev.weft.tls.internal.trust.RootStores.system());
            case "extra" -> List.of();
            default -> throw new TlsException(ErrorCode.INVALID_ARG_VALUE, "The argument 'type' is invalid. "
                    + "Received '" + type + "'");
        };
    }

    /**
     * The roots that come with weft's runtime, in PEM: Node's {@code tls.rootCertificates}, the same list as
     * {@code getCACertificates("bundled")}.
     *
     * <p>Differences from Node: a method, not a property; the JDK's {@code cacerts}, not Node's Mozilla list.
     *
     * @return PEM strings, one certificate each, an unmodifiable list
     * @throws TlsException the JDK's roots cannot be loaded
     */
    public static List<String> rootCertificates() throws TlsException {
        return getCACertificates("bundled");
    }

    private static List<String> pem(List<X509Certificate> certificates) {
        return certificates.stream().map(dev.weft.tls.internal.trust.RootStores::pem).toList();
    }

    /**
     * Makes a secure context from key, certificate, CA and CRL inputs, reading and checking them all now: Node's
     * {@code tls.createSecureContext} (v0.6: {@code crypto.createCredentials}).
     *
     * @param options the key, certificate, CA, CRL and protocol inputs
     * @return the context, ready to share between servers and clients
     * @throws TlsException a bad input, with Node's code: {@code ERR_OSSL_PEM_NO_START_LINE},
     *                      {@code ERR_OSSL_BAD_DECRYPT}, {@code ERR_OSSL_X509_KEY_VALUES_MISMATCH}, ...
     */
    public static SecureContext createSecureContext(ContextOptions options) throws TlsException {
        return SecureContext.create(options);
    }

    /**
     * Makes a server that runs {@code handler} for each connection once its handshake is done (Node's
     * {@code 'secureConnection'}). Credentials are read and the provider loaded now; call
     * {@link TlsServer#listen} to start accepting.
     *
     * @param options the server's credentials, provider, client-certificate policy and timeouts
     * @param handler runs on its own virtual thread for each connection once its handshake is done
     * @return the server, not yet listening
     * @throws TlsException the options are invalid (with Node's code) or the provider cannot be loaded
     */
    public static TlsServer createServer(ServerOptions options, ConnectionHandler handler) throws TlsException {
        return new TlsServer(options, handler, serverContext(options));
    }

    /** The server's secure context, once its options are known to be consistent (as Node's createServer checks). */
    static SecureContext serverContext(ServerOptions options) throws TlsException {
        if (options.alpnCallback() != null && !options.alpnProtocols().isEmpty()) {
            throw new TlsException(ErrorCode.ALPN_CALLBACK_WITH_PROTOCOLS, "alpnCallback and alpnProtocols cannot "
                    + "both be given");
        }
        return SecureContext.givenOr(options.secureContext(), options.contextOptions());
    }

    /**
     * Connects to {@code host}:{@code port} and completes the TLS handshake. With {@code rejectUnauthorized} (the
     * default) a server whose certificate does not verify fails here with the verification code.
     *
     * @param port the server's port
     * @param host the server's host name or IP literal, also its SNI name and the name its certificate must carry
     * @param options trust, provider, SNI, ALPN, session and timeouts
     * @return the connected socket, handshake done; the caller closes it
     * @throws TlsException {@code ECONNREFUSED}, {@code ERR_TLS_HANDSHAKE_TIMEOUT}, a certificate code such as
     *                      {@code DEPTH_ZERO_SELF_SIGNED_CERT}, ...
     */
    public static TlsSocket connect(int port, String host, ClientOptions options) throws TlsException {
        JsseProvider provider = JsseProvider.resolve(options.provider());
        TlsSession session = options.session();
        SecureContext context = session != null && session.provider() == provider ? session.context()
                : SecureContext.givenOr(options.secureContext(), options.contextOptions());
        ProviderSupport support = ProviderSupport.of(provider);
        support.checkKeylog(options.keylog());
        String h = host == null ? "localhost" : host;
        SSLContext sslContext = context.sslContext(provider); // bad credentials fail before any connection
        Socket raw = new Socket();
        long start = System.nanoTime();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(h, port), (int) Math.max(1, options.handshakeTimeout().toMillis()));
        } catch (IOException e) {
            TlsSocket.closeQuietly(raw);
            throw Errors.connectFailure(e, h, port);
        }
        return clientHandshake(raw, context, sslContext, provider, support, options, h, h + ":" + port, start);
    }

    /**
     * STARTTLS, client side: runs a TLS client handshake over {@code plain}, a connected socket on which the
     * application has already spoken its protocol's plaintext preamble (SMTP's {@code STARTTLS} and the server's
     * {@code 220} reply, IMAP's {@code STARTTLS}, ...). Node's {@code tls.connect({socket})}. The returned socket
     * has everything a {@link #connect connected} one has: verification against {@code ca}, the server identity
     * check against {@code host} (or {@code servername}), SNI, and the handshake deadline. It owns {@code plain}:
     * closing it, or a failed upgrade, closes {@code plain}.
     *
     * <p>Injection safety (CVE-2011-0411): the socket must reach this call with nothing unread. Read the
     * preamble from {@code plain.getInputStream()} without a buffering reader (a {@code BufferedReader} reads
     * ahead and keeps bytes that belong to the TLS stream, or that an attacker injected). Bytes already waiting
     * on the socket when the upgrade starts cannot be the server's TLS (the client speaks first), so they are
     * refused with {@code ERR_WEFT_STARTTLS_INJECTION} instead of being parsed as TLS.
     *
     * <p>Differences from Node: Node's {@code tls.connect({socket})} would feed pending bytes to the TLS layer and
     * fail the handshake with a protocol error; weft names the problem.
     *
     * @param plain the connected socket to upgrade
     * @param host the server's name, for SNI and the identity check (null: {@code localhost}); an IP literal
     *             sends no SNI
     * @param options trust, provider, SNI, ALPN, session and timeouts
     * @return the TLS socket over {@code plain}, handshake done; closing it closes {@code plain}
     * @throws TlsException {@code ERR_WEFT_STARTTLS_INJECTION}, {@code ERR_TLS_HANDSHAKE_TIMEOUT}, a certificate
     *                      code, ...
     */
    public static TlsSocket upgrade(Socket plain, String host, ClientOptions options) throws TlsException {
        long start = System.nanoTime();
        String h = host == null ? "localhost" : host;
        try {
            SecureContext context = SecureContext.givenOr(options.secureContext(), options.contextOptions());
            JsseProvider provider = JsseProvider.resolve(options.provider());
            ProviderSupport support = ProviderSupport.of(provider);
            support.checkKeylog(options.keylog());
            SSLContext sslContext = context.sslContext(provider);
            refusePending(plain);
            return clientHandshake(plain, context, sslContext, provider, support, options, h,
                    TlsSocket.peerName(plain), start);
        } catch (TlsException e) {
            TlsSocket.closeQuietly(plain);
            throw e;
        }
    }

    /**
     * STARTTLS, server side: runs a TLS server handshake over {@code plain}, a connected socket on which the
     * client asked for TLS and the application answered (SMTP's {@code 220 Ready to start TLS}). Node's
     * {@code new tls.TLSSocket(socket, {isServer: true, ...})}, but returning after the handshake. The returned
     * socket is what {@link TlsServer} hands its handler: {@code authorized} only with {@code requestCert}, the
     * client's certificate, the SNI name it asked for, the handshake deadline. It owns {@code plain}: closing it,
     * or a failed upgrade, closes {@code plain}.
     *
     * <p>Injection safety (CVE-2011-0411): read the client's command from {@code plain.getInputStream()} without a
     * buffering reader, and call this right after sending the reply. Plaintext the client sent after its
     * command ({@code STARTTLS\r\nINJECTED\r\n} in one packet) is refused with
     * {@code ERR_WEFT_STARTTLS_INJECTION}: it is never taken as part of the protected stream, and the connection
     * is closed. A well-behaved client sends nothing until it has read the reply; when its ClientHello is
     * already waiting here (a fast client), it is recognised as a TLS handshake record and used.
     *
     * <p>Differences from Node: Node has no such check; a pipelined command is fed to OpenSSL and fails the
     * handshake with a protocol error.
     *
     * @param plain the connected socket to upgrade
     * @param options the server's credentials, provider, client-certificate policy and timeouts
     * @return the TLS socket over {@code plain}, handshake done; closing it closes {@code plain}
     * @throws TlsException {@code ERR_WEFT_STARTTLS_INJECTION}, {@code ERR_TLS_HANDSHAKE_TIMEOUT}, a certificate
     *                      code (with {@code requestCert} and {@code rejectUnauthorized}), ...
     */
    public static TlsSocket upgradeServer(Socket plain, ServerOptions options) throws TlsException {
        try {
            SecureContext context = SecureContext.givenOr(options.secureContext(), options.contextOptions());
            JsseProvider provider = JsseProvider.resolve(options.provider());
            ProviderSupport.of(provider).checkKeylog(options.keylog());
            ProviderSupport.of(provider).checkOcspStapling(options.ocspResponder());
            return serverHandshake(plain, context, provider, options, earlyClientHello(plain));
        } catch (TlsException e) {
            TlsSocket.closeQuietly(plain);
            throw e;
        }
    }

    /**
     * A socket factory for code that only takes one: {@code HttpsURLConnection.setSSLSocketFactory}, a JDBC
     * driver's {@code sslfactory}, Jakarta Mail's STARTTLS ({@code mail.smtp.ssl.socketFactory}). Its sockets are
     * weft's own {@link SSLSocket} on the chosen provider, made connected ({@code createSocket(host, port)}) or
     * layered over a connected socket ({@code createSocket(socket, host, port, autoClose)}); each handshake, which
     * the caller starts or the first read or write does, is {@link #connect}'s: SNI for the host, the
     * {@code handshakeTimeout}, the chain verified by weft, {@code checkServerIdentity} for the host (or
     * {@code servername}), and session resumption per host and port.
     *
     * <p>A refused or failed handshake throws {@link javax.net.ssl.SSLHandshakeException}, as JSSE code expects,
     * its message starting with Node's code ({@code ERR_TLS_CERT_ALTNAME_INVALID: ...}) and its cause the
     * {@link TlsException} carrying it; the connection is closed, even when {@code autoClose} is false (a
     * connection half-way through a handshake is of no further use). A failure to connect is the JDK's own
     * ({@code ConnectException}, {@code UnknownHostException}).
     *
     * <p>Differences from Node: Node has no socket factories; the options mean what they mean for
     * {@link #connect}, except {@code session}, which is not used (the factory resumes sessions itself).
     *
     * @param options trust, provider, servername, ALPN and timeouts for every socket
     * @return the factory; thread-safe, to share
     * @throws TlsException the options are invalid (with Node's code) or the provider cannot be loaded
     */
    public static javax.net.ssl.SSLSocketFactory socketFactory(ClientOptions options) throws TlsException {
        return ClientSocketFactory.create(options);
    }

    /**
     * A TLS context for code that drives {@link javax.net.ssl.SSLEngine}s itself, the JDK's
     * {@code java.net.http.HttpClient} ({@code HttpClient.newBuilder().sslContext(...)}) first among them: the
     * chosen provider's, initialised with weft's key and trust. Its engines enable weft's protocols and cipher
     * suites and send SNI for the host they are made for; their handshakes verify the server's chain with weft's
     * verifier and check its identity for that host with {@code checkServerIdentity} during the handshake, so a
     * refused server gets an alert and the caller an {@code SSLHandshakeException} whose cause carries Node's code.
     * With {@code rejectUnauthorized(false)} neither refuses. Its {@code getSocketFactory()} is
     * {@link #socketFactory}'s. It cannot be re-initialised and makes no server sockets.
     *
     * <p>Why a context for {@code HttpClient} rather than a socket factory: {@code HttpClient} does not use
     * sockets; it drives engines over its own non-blocking channels, and takes an {@code SSLContext} only. weft's
     * handshake deadline does not apply there ({@code HttpClient.Builder.connectTimeout} and request timeouts do).
     *
     * <p>Differences from Node: the identity check runs inside the handshake (the server receives an alert), where
     * Node's runs after it; engines made without a host ({@code createSSLEngine()}) are checked against the SNI name
     * set on them, and refused when endpoint identification is asked for with no name to check.
     *
     * @param options trust, provider, ALPN and identity check for every engine
     * @return the context; thread-safe, to share
     * @throws TlsException the options are invalid (with Node's code) or the provider cannot be loaded
     */
    public static SSLContext sslContext(ClientOptions options) throws TlsException {
        return ClientSslContext.create(options);
    }

    /**
     * A server socket factory for code that only takes one. {@code accept()} returns at once with weft's own
     * {@link SSLSocket}; its handshake, which the caller starts or the first read or write does, takes the way
     * every {@link TlsServer} connection takes: the ClientHello read and anything that is not TLS refused with
     * Node's codes, the context chosen by {@code sniCallback}, {@code alpnProtocols} or {@code alpnCallback},
     * the {@code handshakeTimeout}, and the client's certificate verified when {@code requestCert} (refused unless
     * {@code rejectUnauthorized(false)}). Client authentication, protocols and suites set on the server socket
     * apply to the sockets it accepts from then on. A failed handshake throws
     * {@link javax.net.ssl.SSLHandshakeException} whose cause is the {@link TlsException} with Node's code.
     *
     * <p>Differences from Node: {@code maxConnections}, {@code idleTimeout} and the listener's connection counts
     * belong to {@link TlsServer} and do not apply; the application's accept loop is its own.
     *
     * @param options the server's credentials, provider, client-certificate policy and timeouts
     * @return the factory; thread-safe, to share
     * @throws TlsException the options are invalid (with Node's code) or the provider cannot be loaded
     */
    public static javax.net.ssl.SSLServerSocketFactory serverSocketFactory(ServerOptions options)
            throws TlsException {
        return ServerSocketFactory.create(options);
    }

    /** Layers a client over {@code raw} and completes its handshake; closes {@code raw} on failure. */
    private static TlsSocket clientHandshake(Socket raw, SecureContext context, SSLContext sslContext,
            JsseProvider provider, ProviderSupport support, ClientOptions options, String host, String peer,
            long start) throws TlsException {
        SSLSocket ssl;
        try {
            ssl = clientSocket(raw, context, sslContext, support, options, host);
        } catch (IOException | RuntimeException e) {
            TlsSocket.closeQuietly(raw);
            throw Errors.handshakeFailure(e, null, peer);
        }
        return finishClient(raw, ssl, context, provider, options, host, peer,
                options.handshakeTimeout().minusNanos(System.nanoTime() - start));
    }

    /** weft's client socket over {@code raw} for {@code host}, its handshake not started. */
    static SSLSocket clientSocket(Socket raw, SecureContext context, SSLContext sslContext, ProviderSupport support,
            ClientOptions options, String host) throws IOException {
        return support.layer(sslContext, raw, serverName(options.servername(), host), true,
                context.handshake(options.alpnProtocols()));
    }

    /**
     * Runs the handshake of the client {@code ssl} over {@code raw} within {@code left}, verifies the server and
     * checks its identity for {@code host}; closes {@code raw} on failure.
     */
    static TlsSocket finishClient(Socket raw, SSLSocket ssl, SecureContext context, JsseProvider provider,
            ClientOptions options, String host, String peer, java.time.Duration left) throws TlsException {
        String sni = serverName(options.servername(), host);
        String identityHost = options.servername() != null && !options.servername().isEmpty()
                ? options.servername() : host;
        try {
            TlsSocket s = TlsSocket.handshake(raw, ssl, provider, context, false, true, options.rejectUnauthorized(),
                    left.isNegative() || left.isZero() ? java.time.Duration.ofMillis(1) : left, sni,
                    identityHost, options.checkServerIdentity(), options.listener());
            s.keepOcspResponse(options.requestOCSP());
            return s;
        } catch (TlsException e) {
            TlsSocket.abandon(raw, ssl);
            throw notTls(ssl, peer, e);
        } catch (RuntimeException e) {
            TlsSocket.abandon(raw, ssl);
            throw notTls(ssl, peer, Errors.handshakeFailure(e, null, peer));
        }
    }

    /** {@code e}, or Node's {@code ERR_SSL_WRONG_VERSION_NUMBER} when the server's first bytes were not TLS. */
    private static TlsException notTls(Socket watched, String peer, TlsException e) {
        byte[] first = ProviderSupport.notTls(watched);
        if (first == null || e instanceof ServerIdentityException) {
            return e;
        }
        String shown = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", ".");
        return new TlsException(ErrorCode.WRONG_VERSION_NUMBER, "wrong version number: " + peer
                + " answered with something that is not TLS (\"" + shown + "...\"), a plaintext server?", e);
    }

    /**
     * Layers a server over the accepted {@code raw} and completes its handshake; closes {@code raw} on failure.
     * Shared by {@link TlsServer} and {@link #upgradeServer}.
     */
    static TlsSocket serverHandshake(Socket raw, SecureContext context, JsseProvider provider, ServerOptions options,
            byte[] consumed) throws TlsException {
        try {
            return ServerHandshake.run(raw, consumed, context, provider, options,
                    (name, fallback) -> ServerHandshake.callbackContext(options, name, fallback),
                    ServerHandshake.newSocket(raw, provider, options));
        } catch (TlsException e) {
            TlsSocket.closeQuietly(raw);
            throw e;
        } catch (IOException | RuntimeException e) {
            TlsSocket.closeQuietly(raw);
            throw Errors.handshakeFailure(e, null, TlsSocket.peerName(raw));
        }
    }

    /**
     * The server side's check before TLS starts (CVE-2011-0411). Bytes already waiting are either the client's
     * ClientHello, sent as soon as it read the reply (a TLS handshake record: content type 22), which are kept
     * and given to the TLS layer; or plaintext pipelined after the command, which is refused.
     */
    private static byte[] earlyClientHello(Socket plain) throws TlsException {
        try {
            int pending = plain.getInputStream().available();
            if (pending == 0) {
                return new byte[0];
            }
            byte[] early = plain.getInputStream().readNBytes(pending); // available: does not block
            if (early[0] == 22) {
                return early;
            }
        } catch (IOException e) {
            throw Errors.disconnected(TlsSocket.peerName(plain), e);
        }
        refusePending(plain, 1);
        return null; // not reached
    }

    /** Refuses a plain socket that has unread bytes at the moment TLS is to start (CVE-2011-0411). */
    private static void refusePending(Socket plain) throws TlsException {
        int pending;
        try {
            pending = plain.getInputStream().available();
        } catch (IOException e) {
            throw Errors.disconnected(TlsSocket.peerName(plain), e);
        }
        refusePending(plain, pending);
    }

    private static void refusePending(Socket plain, int pending) throws TlsException {
        if (pending > 0) {
            throw new TlsException(ErrorCode.STARTTLS_INJECTION, "tls: plaintext "
                    + "arrived after the STARTTLS command and before the TLS handshake (" + TlsSocket.peerName(plain)
                    + "); refusing it as TLS data (CVE-2011-0411). A client must wait for the reply before "
                    + "starting TLS; an application must read the command without a buffering reader");
        }
    }

    /**
     * TLS over streams of the caller's choosing: Node's {@code tls.createSecurePair(context, isServer, requestCert,
     * rejectUnauthorized)}, on the provider chosen by {@code -Dweft.provider} or {@code WEFT_PROVIDER} (else SUN).
     * See {@link SecurePair}.
     *
     * @param context the key, certificate and CA to use
     * @param isServer whether this end is the server
     * @param requestCert        a server pair asks the client for a certificate (ignored for a client pair)
     * @param rejectUnauthorized a peer whose certificate does not verify fails the handshake; otherwise it is
     *                           reported by {@link SecurePair#authorized()}
     * @return the pair, its handshake started
     * @throws TlsException the options are invalid (with Node's code) or the provider cannot be loaded
     */
    public static SecurePair createSecurePair(SecureContext context, boolean isServer, boolean requestCert,
            boolean rejectUnauthorized) throws TlsException {
        return createSecurePair(context, null, isServer, requestCert, rejectUnauthorized);
    }

    /**
     * As {@link #createSecurePair(SecureContext, boolean, boolean, boolean)} on {@code provider}.
     *
     * @param context the key, certificate and CA to use
     * @param provider the JSSE provider; null resolves it as {@link JsseProvider#resolve} does
     * @param isServer whether this end is the server
     * @param requestCert a server pair asks the client for a certificate (ignored for a client pair)
     * @param rejectUnauthorized a peer whose certificate does not verify fails the handshake
     * @return the pair, its handshake started
     * @throws TlsException the options are invalid (with Node's code) or the provider cannot be loaded
     */
    public static SecurePair createSecurePair(SecureContext context, JsseProvider provider, boolean isServer,
            boolean requestCert, boolean rejectUnauthorized) throws TlsException {
        JsseProvider p = JsseProvider.resolve(provider);
        if (isServer && !context.hasCertificate()) {
            throw new TlsException(ErrorCode.INVALID_OPTIONS, "tls: a server SecurePair needs a context with a key "
                    + "and certificate");
        }
        // the context's versions, suites, groups and signature algorithms, as on a socket
        javax.net.ssl.SSLEngine engine = ProviderSupport.of(p).engine(context.sslContext(p), !isServer,
                context.handshake(List.of()));
        if (isServer && requestCert) {
            engine.setWantClientAuth(true);
        }
        return new SecurePair(engine, context, p, isServer, requestCert, rejectUnauthorized).start();
    }

    /**
     * Verifies a certificate chain exactly as a weft handshake does, outside a handshake: the same chain building,
     * the same PKIX validation and OpenSSL's checks on top, the same verdict and code ({@code authorized},
     * {@code authorizationError}). With {@link VerifyOptions.Builder#host host}, the verified chain's certificate is
     * then checked for that name as a client would ({@link #checkServerIdentity}).
     *
     * <pre>{@code
     * VerifyResult r = Tls.verify(chain, VerifyOptions.builder().ca(rootPem).host("example.com").build());
     * if (!r.authorized()) System.out.println(r.authorizationError() + ": " + r.message());
     * }</pre>
     *
     * @param chain   the certificate to verify first, then any certificates that may help build its chain, in any
     *                order (as a TLS peer sends them)
     * @param options the trusted CAs and CRLs (or a context), purpose, time and host name
     * @return the outcome; a chain that does not verify is a result, not an exception
     * @throws TlsException the trusted CAs or CRLs cannot be read (with Node's code, e.g.
     *                      {@code ERR_OSSL_PEM_NO_START_LINE})
     */
    public static VerifyResult verify(List<X509Certificate> chain, VerifyOptions options) throws TlsException {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("verify needs at least the certificate to verify");
        }
        SecureContext context = options.context();
        Instant at = options.at() != null ? options.at() : Instant.now();
        Verifier.Result r = context.verifier().verify(chain, options.purpose() == VerifyOptions.Purpose.SERVER
                ? Verifier.Purpose.SERVER : Verifier.Purpose.CLIENT, at, options.timeout());
        if (r.authorized() && options.host() != null) {
            try {
                options.identityCheck().check(options.host(), PeerCertificate.detailed(r.path()));
            } catch (TlsException e) {
                return new VerifyResult(e.code(), e.getMessage(), r.path(), 0, 0);
            }
        }
        return new VerifyResult(r.code(), r.message(), r.path(), r.depth(), r.openssl());
    }

    /**
     * Node's {@code tls.checkServerIdentity(hostname, cert)}: whether {@code certificate} names {@code hostname}.
     * An IP address matches only IP SANs; a DNS name matches DNS SANs when there are any (the CN is then
     * ignored), else the subject's CN; a wildcard covers exactly one whole first label ({@code *.example.com},
     * {@code f*.example.com}), never {@code *.tld}; ASCII case and one trailing dot do not matter; URI SANs are
     * never used.
     *
     * @param hostname the name the client connected to
     * @param certificate the server's certificate
     * @throws ServerIdentityException {@code ERR_TLS_CERT_ALTNAME_INVALID} with Node's reason
     */
    public static void checkServerIdentity(String hostname, PeerCertificate certificate)
            throws ServerIdentityException {
        String reason = ServerIdentity.mismatch(hostname, certificate.subjectaltname().orElse(null),
                certificate.subject().getOrDefault("CN", java.util.List.of()));
        if (reason != null) {
            throw new ServerIdentityException(hostname, reason, certificate);
        }
    }

    /** The SNI name to send: {@code servername} when given ("" for none), else the host if it is a DNS name. */
    static String serverName(String servername, String host) {
        if (servername != null) {
            return servername.isEmpty() ? null : servername;
        }
        return isIpLiteral(host) ? null : host;
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
