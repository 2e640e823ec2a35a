package dev.weft.tls.internal;

import dev.weft.tls.JsseProvider;
import dev.weft.tls.TlsException;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt (BoringSSL). Two quirks live here:
 * <ul>
 *   <li>Sockets are always Conscrypt's engine-based ones. Its default file-descriptor socket blocks inside
 *       native code and so holds the virtual thread's carrier for the whole read or handshake.</li>
 *   <li>A layered socket always gets a host string: without one, Conscrypt 2.5.2 on JDK 25 reflects into
 *       {@code java.net} to find the peer's host name, which fails unless that package is opened to it.</li>
 * </ul>
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
        throw new TlsException(ErrorCodes.PROVIDER_UNAVAILABLE, "Conscrypt's native library cannot be loaded on "
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
    public SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) throws TlsException {
        try {
            SSLContext c = SSLContext.getInstance("TLS", provider);
            c.init(keyManagers, trustManagers, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new TlsException(ErrorCodes.PROVIDER_UNAVAILABLE, "Conscrypt could not create a TLS context: " + e, e);
        }
    }

    @Override
    public SSLSocket layer(SSLContext context, Socket raw, String sni, boolean clientMode) throws IOException {
        SSLSocketFactory factory = context.getSocketFactory();
        Conscrypt.setUseEngineSocket(factory, true);
        // Conscrypt sends the host it is given as SNI when it is a DNS name, and never an IP address.
        String host = sni != null ? sni : raw.getInetAddress().getHostAddress();
        return configure(create(factory, raw, host), sni, clientMode);
    }

    /** Conscrypt 2.5.2 has no {@code createSocket(Socket, InputStream, boolean)}: replay through the raw socket. */
    @Override
    public SSLSocket layerServer(SSLContext context, Socket raw, byte[] consumed) throws IOException {
        return layer(context, consumed.length == 0 ? raw : new ReplaySocket(raw, consumed), null, false);
    }
}
