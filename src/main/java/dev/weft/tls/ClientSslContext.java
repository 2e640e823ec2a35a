package dev.weft.tls;

import dev.weft.tls.internal.handshake.RecordingTrustManager;
import dev.weft.tls.internal.provider.ProviderSupport;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * {@link Tls#sslContext}'s context: the chosen provider's, initialised with weft's key and trust, for code that
 * drives engines itself (the JDK's {@code HttpClient}). Its engines enable weft's protocols and suites and send
 * SNI for the host they are made for; every handshake verifies the server's chain with weft's verifier and checks
 * the server's identity for that host with {@code checkServerIdentity} (Node's rules unless replaced), inside the
 * handshake, so a refused server gets the provider's alert. Its socket factory is {@link Tls#socketFactory}'s.
 */
final class ClientSslContext extends SSLContext {
    private ClientSslContext(Spi spi, SSLContext inner) {
        super(spi, inner.getProvider(), inner.getProtocol());
    }

    static SSLContext create(ClientOptions options) throws TlsException {
        SecureContext context = SecureContext.givenOr(options.secureContext(), options.contextOptions());
        JsseProvider provider = JsseProvider.resolve(options.provider());
        ProviderSupport support = ProviderSupport.of(provider);
        support.checkKeylog(options.keylog());
        SSLContext inner = context.newSslContext(provider, new RecordingTrustManager.Outside(
                options.rejectUnauthorized(), SecureContext.identityCheck(options.checkServerIdentity())));
        ProviderSupport.Handshake handshake = context.handshake(options.alpnProtocols());
        return new ClientSslContext(new Spi(inner, support, handshake, options,
                ClientSocketFactory.create(options, context)),
                inner);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext inner;
        private final ProviderSupport support;
        private final ProviderSupport.Handshake handshake;
        private final ClientOptions options;
        private final SSLSocketFactory sockets;

        Spi(SSLContext inner, ProviderSupport support, ProviderSupport.Handshake handshake, ClientOptions options,
                SSLSocketFactory sockets) {
            this.inner = inner;
            this.support = support;
            this.handshake = handshake;
            this.options = options;
            this.sockets = sockets;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("weft's SSLContext is initialised already, from its ClientOptions");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return sockets;
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("a client context: use Tls.serverSocketFactory for servers");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return support.clientEngine(inner, null, -1, null, handshake);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            String sni = host == null ? null : Tls.serverName(options.servername(), host);
            return support.clientEngine(inner, host, port, sni, handshake);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return inner.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return inner.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLEngine e = engineCreateSSLEngine();
            SSLParameters p = e.getSSLParameters();
            e.closeOutbound();
            return p;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return inner.getSupportedSSLParameters();
        }
    }
}
