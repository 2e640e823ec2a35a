package dev.weft.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Metrics hooks: what a server or client did, for counters, timers and gauges (see
 * {@code samples/MicrometerMetrics.java} for a Micrometer binding). Register with
 * {@link ServerOptions.Builder#listener} or {@link ClientOptions.Builder#listener}. Every method has a no-op
 * default: implement only what you count.
 *
 * <p>The calls are made at the very places weft emits its JFR events ({@code dev.weft.Handshake},
 * {@code dev.weft.ClientError}, {@code dev.weft.Drop}), so a listener and a recording always agree: one
 * {@link #handshakeCompleted} or {@link #handshakeFailed} per {@code dev.weft.Handshake} event, one
 * {@link #clientError} per {@code dev.weft.ClientError}, one {@link #connectionDropped} per {@code dev.weft.Drop}.
 *
 * <p>Threading: handshake, error and connection calls run on the connection's own (virtual) thread; drops on the
 * server's accept thread; {@link #certificatesServed} on the thread that called {@link TlsServer#listen},
 * {@link TlsServer#addContext} or {@link TlsServer#setSecureContext} (the reload thread for
 * {@link TlsServer#watchCredentials}). Calls for different connections run concurrently, so an implementation
 * must be thread-safe. It must not block: a slow listener holds up the handshake or the accept loop. An exception
 * thrown by a listener is caught and logged at WARNING on the {@code dev.weft.tls.listener} {@link System.Logger};
 * it never affects the connection.
 *
 * <p>A server's listener also sees the handshakes of {@link Tls#upgradeServer} sockets made with the same options
 * (only the handshake methods: such a socket belongs to no {@link TlsServer}).
 *
 * <p>Differences from Node: Node has no such interface; its servers' {@code 'secureConnection'},
 * {@code 'tlsClientError'} and {@code 'drop'} events are the nearest.
 */
public interface TlsListener {
    /**
     * A handshake completed, the JFR event's {@code ok} or {@code unauthorized} outcome (a server that does not
     * reject unverified clients lets them connect).
     *
     * @param provider the provider that made the handshake
     * @param protocol {@code TLSv1.3} or {@code TLSv1.2}
     * @param cipher   the cipher suite's standard (IANA) name, e.g. {@code TLS_AES_128_GCM_SHA256}
     * @param resumed  whether an earlier session was resumed ({@link TlsSocket#isSessionReused()})
     * @param duration from the start of the provider's handshake to its end
     */
    default void handshakeCompleted(JsseProvider provider, String protocol, String cipher, boolean resumed,
            Duration duration) {
    }

    /**
     * A handshake failed, with its code ({@code UNABLE_TO_VERIFY_LEAF_SIGNATURE},
     * {@code ERR_TLS_HANDSHAKE_TIMEOUT}, {@code ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE}, ...). A server also
     * reports the connection to {@link #clientError}. A client that was refused before TLS started (a plaintext
     * HTTP request, a port scanner) never reaches a handshake: it is only a {@link #clientError}.
     *
     * @param provider the provider that attempted the handshake
     * @param code     the failure's stable code
     * @param duration from the start of the provider's handshake to the failure
     */
    default void handshakeFailed(JsseProvider provider, String code, Duration duration) {
    }

    /** Server: a connection was accepted (counted from here until {@link #connectionClosed()}). */
    default void connectionOpened() {
    }

    /** Server: a connection accepted by {@link #connectionOpened()} ended, whatever the reason. */
    default void connectionClosed() {
    }

    /**
     * Server: a connection failed before the handler ran (Node's {@code 'tlsClientError'}), with its code, e.g.
     * {@code ERR_SSL_HTTP_REQUEST}, {@code ECONNRESET}, or a handshake failure's code.
     *
     * @param code the failure's stable code
     */
    default void clientError(String code) {
    }

    /** Server: a connection was closed at once because the server was at its {@code maxConnections}. */
    default void connectionDropped() {
    }

    /**
     * Server: the leaf certificates it now serves, one per context: the default context's first, then each
     * {@link TlsServer#addContext} context's in the order added. Called on {@link TlsServer#listen} and again,
     * with the whole new list, whenever it changes ({@link TlsServer#addContext}, {@link TlsServer#setSecureContext},
     * a reload by {@link TlsServer#watchCredentials}). Contexts chosen by an {@code sniCallback} are made on demand
     * and are not listed. Use {@link X509Certificate#getNotAfter()} for a days-to-expiry gauge; the same list is
     * {@link TlsServer#servedCertificates()}.
     *
     * @param certificates the leaf certificates served, unmodifiable
     */
    default void certificatesServed(List<X509Certificate> certificates) {
    }
}
