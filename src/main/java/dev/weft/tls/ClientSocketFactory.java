package dev.weft.tls;

import dev.weft.tls.internal.engine.EngineSocket;
import dev.weft.tls.internal.provider.ProviderSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link Tls#socketFactory}'s factory: weft's client sockets for code that only takes an {@link SSLSocketFactory}.
 * Each socket is weft's own {@link SSLSocket} over the chosen provider's engine; its handshake (started by the
 * caller, or by the first read or write) runs under {@code handshakeTimeout}, verifies the server's chain and
 * checks its identity for the host the socket was made for, exactly as {@link Tls#connect} does.
 */
final class ClientSocketFactory extends SSLSocketFactory {
    private final ClientOptions options;
    private final SecureContext context;
    private final JsseProvider provider;
    private final ProviderSupport support;
    private final SSLContext sslContext;
    private final String[] defaultSuites;

    private ClientSocketFactory(ClientOptions options, SecureContext context, JsseProvider provider)
            throws TlsException {
        this.options = options;
        this.context = context;
        this.provider = provider;
        this.support = ProviderSupport.of(provider);
        support.checkKeylog(options.keylog());
        this.sslContext = context.sslContext(provider);
        SSLEngine probe = support.clientEngine(sslContext, null, -1, null, handshake());
        this.defaultSuites = probe.getEnabledCipherSuites();
        probe.closeOutbound();
    }

    static ClientSocketFactory create(ClientOptions options) throws TlsException {
        return create(options, SecureContext.givenOr(options.secureContext(), options.contextOptions()));
    }

    static ClientSocketFactory create(ClientOptions options, SecureContext context) throws TlsException {
        return new ClientSocketFactory(options, context, JsseProvider.resolve(options.provider()));
    }

    private ProviderSupport.Handshake handshake() {
        return context.handshake(options.alpnProtocols());
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
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        if (s == null || !s.isConnected()) {
            throw new java.net.SocketException("the socket to layer TLS over must be connected");
        }
        return layer(s, host, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connect(host, port, new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connect(nameOf(host), port, null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connect(nameOf(address), port, new InetSocketAddress(localAddress, localPort));
    }

    /** The name {@code address} was made from, else its literal: never a reverse lookup. */
    private static String nameOf(InetAddress address) {
        String shown = address.toString(); // "name/literal", or "/literal" when made from a literal
        int slash = shown.indexOf('/');
        return slash > 0 ? shown.substring(0, slash) : address.getHostAddress();
    }

    /**
     * Connects, then layers. A failure to connect is the JDK's own ({@code ConnectException},
     * {@code UnknownHostException}, ...), as code that takes a socket factory expects.
     */
    private SSLSocket connect(String host, int port, InetSocketAddress local) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            if (local != null) {
                raw.bind(local);
            }
            raw.connect(new InetSocketAddress(host, port), (int) Math.max(1, options.handshakeTimeout().toMillis()));
        } catch (IOException e) {
            TlsSocket.closeQuietly(raw);
            throw e;
        }
        return layer(raw, host, true);
    }

    private SSLSocket layer(Socket raw, String host, boolean autoClose) throws IOException {
        String h = host == null || host.isEmpty() ? raw.getInetAddress().getHostAddress() : host;
        String peer = TlsSocket.peerName(raw);
        EngineSocket ssl = (EngineSocket) Tls.clientSocket(raw, context, sslContext, support, options, h);
        ssl.autoClose(autoClose);
        ssl.handshakeWith(socket -> {
            try {
                Tls.finishClient(raw, socket, context, provider, options, h, peer, options.handshakeTimeout());
            } catch (TlsException e) {
                throw handshakeFailed(e);
            }
        });
        return ssl;
    }

    /**
     * A refused handshake as JSSE code expects it, an {@link SSLHandshakeException}, its message starting with
     * Node's code and its cause the {@link TlsException} that carries it.
     */
    static SSLHandshakeException handshakeFailed(TlsException e) {
        SSLHandshakeException out = new SSLHandshakeException(e.code() + ": " + e.getMessage());
        out.initCause(e);
        return out;
    }

    @Override
    public String toString() {
        return "weft client sockets on " + provider.cliName();
    }
}
