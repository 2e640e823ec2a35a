package dev.weft.trust;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A plain JSSE peer that accepts any certificate chain and records it exactly as received, to check what
 * {@link NodeOracle#serve} and {@link NodeOracle#present} put on the wire. On 127.0.0.1 only.
 */
final class RecordingPeer implements AutoCloseable {
    private final SSLServerSocket listener;
    private final CompletableFuture<List<X509Certificate>> received = new CompletableFuture<>();

    private RecordingPeer(SSLServerSocket listener) {
        this.listener = listener;
        Thread.ofVirtual().start(this::acceptOne);
    }

    /** {@return the chain a TLS server on 127.0.0.1:{@code port} presents, as received, leaf first} */
    static List<X509Certificate> serverChain(int port) throws IOException, GeneralSecurityException {
        Recorder recorder = new Recorder();
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {recorder}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return recorder.chain;
        }
    }

    /** {@return a TLS server on 127.0.0.1 that requires a client certificate and records the first client's chain} */
    static RecordingPeer server() throws IOException, GeneralSecurityException {
        HeldCertificate id = Certs.selfSigned("recording-peer.localhost").build();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("id", id.privateKey(), new char[0], new Certificate[] {id.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {new Recorder()}, null);
        SSLServerSocket l = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
        l.setNeedClientAuth(true);
        return new RecordingPeer(l);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** {@return the chain the first client presented (waits up to 10 s)} */
    List<X509Certificate> clientChain() throws Exception {
        return received.get(10, TimeUnit.SECONDS);
    }

    private void acceptOne() {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : s.getSession().getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
            received.complete(chain);
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // until the client ends the connection
            }
        } catch (IOException e) {
            received.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    /** Trusts everything and keeps the last chain it saw. */
    private static final class Recorder extends X509ExtendedTrustManager {
        volatile List<X509Certificate> chain;

        private void record(X509Certificate[] c) {
            chain = List.of(c);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket) {
            record(c);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) {
            record(c);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
            record(c);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
            record(c);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType) {
            record(c);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType) {
            record(c);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
