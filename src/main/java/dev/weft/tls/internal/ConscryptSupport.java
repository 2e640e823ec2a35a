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
    public SSLSocket layer(SSLContext context, Socket raw, String sni, boolean clientMode, Handshake handshake)
            throws IOException {
        SSLSocketFactory factory = context.getSocketFactory();
        Conscrypt.setUseEngineSocket(factory, true);
        // Conscrypt sends the host it is given as SNI when it is a DNS name, and never an IP address.
        String host = sni != null ? sni : raw.getInetAddress().getHostAddress();
        SSLSocket socket = create(factory, raw, host);
        // Recycled direct buffers instead of two fresh zeroed ones per connection (see DirectBufferPool).
        Conscrypt.setBufferAllocator(socket, DirectBufferPool.SHARED);
        // Without tickets BoringSSL resumes no TLS 1.3 session at all (it has no stateful TLS 1.3 resumption).
        Conscrypt.setUseSessionTickets(socket, true);
        return configure(socket, sni, clientMode, handshake);
    }

    /**
     * A TLS 1.3 server's first write goes out in two parts, the first small. BoringSSL sends its session tickets with
     * the first write, and Conscrypt 2.5.2's socket fails a first write of a full record ("Unexpected engine result
     * BUFFER_OVERFLOW": the tickets and the record overflow its one-record buffer). An empty write does not help:
     * it never reaches BoringSSL.
     */
    @Override
    public java.io.OutputStream output(SSLSocket ssl, boolean server) throws IOException {
        java.io.OutputStream out = ssl.getOutputStream();
        if (!server || !"TLSv1.3".equals(ssl.getSession().getProtocol())) {
            return out;
        }
        return new java.io.FilterOutputStream(out) {
            private boolean first = true;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (first && len > FIRST_WRITE) {
                    out.write(b, off, FIRST_WRITE);
                    off += FIRST_WRITE;
                    len -= FIRST_WRITE;
                }
                first = false;
                out.write(b, off, len);
            }
        };
    }

    /** Room for the tickets beside the first record (two tickets are a few hundred bytes). */
    private static final int FIRST_WRITE = 4096;

    /**
     * BoringSSL always enables its three TLS 1.3 suites and cannot restrict them, so a cipher list naming only
     * TLS 1.3 suites leaves Conscrypt nothing to configure: refused when the context is made.
     */
    @Override
    public void checkSuites(java.util.List<String> suites) throws TlsException {
        if (suites.stream().allMatch(s -> CipherNames.version(s).equals("TLSv1.3"))) {
            throw new TlsException(ErrorCodes.NO_CIPHER_MATCH, "Conscrypt cannot restrict TLS 1.3 cipher suites "
                    + "(BoringSSL always enables all three); name TLS 1.2 suites too, or use the sun or bc provider");
        }
    }
}
