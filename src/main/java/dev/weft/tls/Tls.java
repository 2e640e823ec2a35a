package dev.weft.tls;

import dev.weft.tls.internal.ErrorCodes;
import dev.weft.tls.internal.Errors;
import dev.weft.tls.internal.ProviderSupport;
import dev.weft.tls.internal.ServerIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
     * Makes a secure context from key, certificate, CA and CRL inputs, reading and checking them all now: Node's
     * {@code tls.createSecureContext} (v0.6: {@code crypto.createCredentials}).
     *
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
     */
    public static TlsServer createServer(ServerOptions options, ConnectionHandler handler) throws TlsException {
        if (options.alpnCallback() != null && !options.alpnProtocols().isEmpty()) {
            throw new TlsException("ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS", "alpnCallback and alpnProtocols cannot "
                    + "both be given");
        }
        SecureContext context = options.secureContext() != null ? options.secureContext()
                : SecureContext.create(options.contextOptions());
        return new TlsServer(options, handler, context);
    }

    /**
     * Connects to {@code host}:{@code port} and completes the TLS handshake. With {@code rejectUnauthorized} (the
     * default) a server whose certificate does not verify fails here with the verification code.
     *
     * @throws TlsException {@code ECONNREFUSED}, {@code ERR_TLS_HANDSHAKE_TIMEOUT}, a certificate code such as
     *                      {@code DEPTH_ZERO_SELF_SIGNED_CERT}, ...
     */
    public static TlsSocket connect(int port, String host, ClientOptions options) throws TlsException {
        JsseProvider provider = JsseProvider.resolve(options.provider());
        TlsSession session = options.session();
        SecureContext context = session != null && session.provider() == provider ? session.context()
                : options.secureContext() != null ? options.secureContext()
                : SecureContext.create(options.contextOptions());
        ProviderSupport support = ProviderSupport.of(provider);
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
        String sni = serverName(options.servername(), h);
        Socket watched = raw;
        try {
            watched = ProviderSupport.recordingFirstBytes(raw); // to tell a plaintext server from a TLS failure
            SSLSocket ssl = support.layer(sslContext, watched, sni, true, new ProviderSupport.Handshake(
                    context.protocols(), context.suites(), options.alpnProtocols()));
            var left = options.handshakeTimeout().minusNanos(System.nanoTime() - start);
            String identityHost = options.servername() != null && !options.servername().isEmpty()
                    ? options.servername() : h;
            return TlsSocket.handshake(watched, ssl, provider, context, false, true, options.rejectUnauthorized(),
                    left.isNegative() || left.isZero() ? java.time.Duration.ofMillis(1) : left, sni,
                    identityHost, options.checkServerIdentity());
        } catch (TlsException e) {
            TlsSocket.closeQuietly(raw);
            throw notTls(watched, h, port, e);
        } catch (IOException | RuntimeException e) {
            TlsSocket.closeQuietly(raw);
            throw notTls(watched, h, port, Errors.handshakeFailure(e, null, h + ":" + port));
        }
    }

    /** {@code e}, or Node's {@code ERR_SSL_WRONG_VERSION_NUMBER} when the server's first bytes were not TLS. */
    private static TlsException notTls(Socket watched, String host, int port, TlsException e) {
        byte[] first = ProviderSupport.notTls(watched);
        if (first == null || e instanceof ServerIdentityException) {
            return e;
        }
        String shown = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", ".");
        return new TlsException(ErrorCodes.WRONG_VERSION_NUMBER, "wrong version number: " + host + ":" + port
                + " answered with something that is not TLS (\"" + shown + "...\"), a plaintext server?", e);
    }

    /**
     * Node's {@code tls.checkServerIdentity(hostname, cert)}: whether {@code certificate} names {@code hostname}.
     * An IP address matches only IP SANs; a DNS name matches DNS SANs when there are any (the CN is then
     * ignored), else the subject's CN; a wildcard covers exactly one whole first label ({@code *.example.com},
     * {@code f*.example.com}), never {@code *.tld}; ASCII case and one trailing dot do not matter; URI SANs are
     * never used.
     *
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
