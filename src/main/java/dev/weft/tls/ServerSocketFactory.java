package dev.weft.tls;


import dev.weft.tls.internal.engine.EngineSocket;
import dev.weft.tls.internal.errors.Errors;
import dev.weft.tls.internal.provider.ProviderSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * {@link Tls#serverSocketFactory}'s factory: server sockets for code that only takes an
 * {@link SSLServerSocketFactory}. {@code accept()} returns at once, with weft's own {@link javax.net.ssl.SSLSocket};
 * its handshake (started by the caller, or by the first read or write) takes the way every weft server connection
 * takes: the ClientHello read and refused with Node's codes when it is not TLS, the context chosen by SNI
 * ({@code sniCallback}), the engine started from the bytes read, the handshake under {@code handshakeTimeout},
 * the client's certificate verified when {@code requestCert}.
 */
final class ServerSocketFactory extends SSLServerSocketFactory {
    private final ServerOptions options;
    private final SecureContext context;
    private final JsseProvider provider;
    private final ProviderSupport support;
    private final SSLContext sslContext;
    private final String[] defaultSuites;

    private ServerSocketFactory(ServerOptions options, SecureContext context, JsseProvider provider)
            throws TlsException {
        this.options = options;
        this.context = context;
        this.provider = provider;
        this.support = ProviderSupport.of(provider);
        support.checkKeylog(options.keylog());
        if (options.ocspResponder() != null) {
            throw new TlsException(ErrorCode.INVALID_OPTIONS, "ocspResponder is for Tls.createServer and "
                    + "Tls.upgradeServer; the server socket factory's handshakes are run by the code that takes it");
        }
        this.sslContext = context.sslContext(provider);
        this.defaultSuites = support.engine(sslContext, false).getEnabledCipherSuites();
    }

    static ServerSocketFactory create(ServerOptions options) throws TlsException {
        return new ServerSocketFactory(options, Tls.serverContext(options), JsseProvider.resolve(options.provider()));
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return defaultSuites.clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return sslContext.getSupportedSSLParameters().getCipherSuites();
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new Listening();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
        Listening s = new Listening();
        try {
            s.bind(new InetSocketAddress(address, port), backlog);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private ProviderSupport.Handshake handshake(SecureContext ctx) {
        return ctx.handshake(options.alpnProtocols());
    }

    /** Runs the handshake of an accepted socket the way {@link TlsServer} runs its connections'. */
    private void handshake(Socket raw, EngineSocket socket) throws IOException {
        try {
            ServerHandshake.run(raw, new byte[0], context, provider, options,
                    (name, fallback) -> ServerHandshake.callbackContext(options, name, fallback),
                    (ctx, serving, consumed, beforeWaiting) -> {
                        SSLEngine engine = ctx == context && serving == provider ? socket.engine()
                                : ProviderSupport.of(serving).serverEngine(ctx.sslContext(serving), raw, handshake(ctx));
                        socket.adopt(engine, consumed, beforeWaiting);
                        return socket;
                    });
        } catch (TlsException e) {
            throw ClientSocketFactory.handshakeFailed(e);
        } catch (IOException | RuntimeException e) {
            throw ClientSocketFactory.handshakeFailed(Errors.handshakeFailure(e, null, TlsSocket.peerName(raw)));
        }
    }

    @Override
    public String toString() {
        return "weft server sockets on " + provider.cliName();
    }

    /**
     * The listening socket. What is set on it (client authentication, protocols, suites) applies to the sockets
     * it accepts from then on.
     */
    private final class Listening extends SSLServerSocket {
        private volatile boolean needClientAuth;
        private volatile boolean wantClientAuth = options.requestCert();
        private volatile String[] protocols;
        private volatile String[] suites;
        private volatile boolean sessionCreation = true;

        Listening() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            Socket raw = super.accept();
            try {
                raw.setTcpNoDelay(true);
                SSLEngine engine = support.serverEngine(sslContext, raw, handshake(context));
                if (protocols != null) {
                    engine.setEnabledProtocols(protocols);
                }
                if (suites != null) {
                    engine.setEnabledCipherSuites(suites);
                }
                if (needClientAuth) {
                    engine.setNeedClientAuth(true);
                } else if (wantClientAuth) {
                    engine.setWantClientAuth(true);
                }
                engine.setEnableSessionCreation(sessionCreation);
                EngineSocket s = EngineSocket.server(raw, engine, new byte[0], null);
                s.handshakeWith(socket -> handshake(raw, socket));
                return s;
            } catch (IOException | RuntimeException e) {
                TlsSocket.closeQuietly(raw);
                throw e;
            }
        }

        @Override
        public String[] getEnabledCipherSuites() {
            String[] s = suites;
            return s != null ? s.clone() : defaultSuites.clone();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            this.suites = suites.clone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return ServerSocketFactory.this.getSupportedCipherSuites();
        }

        @Override
        public String[] getSupportedProtocols() {
            return sslContext.getSupportedSSLParameters().getProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            String[] p = protocols;
            return p != null ? p.clone() : context.protocols().toArray(String[]::new);
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            this.protocols = protocols.clone();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            needClientAuth = need;
            wantClientAuth = false;
        }

        @Override
        public boolean getNeedClientAuth() {
            return needClientAuth;
        }

        @Override
        public void setWantClientAuth(boolean want) {
            wantClientAuth = want;
            needClientAuth = false;
        }

        @Override
        public boolean getWantClientAuth() {
            return wantClientAuth;
        }

        @Override
        public void setUseClientMode(boolean mode) {
            if (mode) {
                throw new IllegalArgumentException("weft's server sockets accept TLS servers only");
            }
        }

        @Override
        public boolean getUseClientMode() {
            return false;
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            sessionCreation = flag;
        }

        @Override
        public boolean getEnableSessionCreation() {
            return sessionCreation;
        }

        @Override
        public String toString() {
            return "weft TLS server socket " + getLocalSocketAddress() + " (" + provider.cliName() + ")";
        }
    }
}
