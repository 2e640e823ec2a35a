package dev.weft.tls.internal.handshake;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.internal.engine.EngineSocket;
import dev.weft.tls.internal.trust.Verifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager weft gives every provider. It runs {@link Verifier} (OpenSSL's rules and codes), records the
 * outcome in the connection's {@link HandshakeScope}, and refuses the peer only when that scope's
 * {@code rejectUnauthorized} says so; weft checks the server's identity itself after such a handshake.
 *
 * <p>A handshake weft did not start (an engine of an {@code SSLContext} handed to other code, the JDK's
 * {@code HttpClient} for one) has no scope: its {@link Outside} rules decide. The chain must verify, and a server's
 * certificate must name the host the engine was made for whenever that host is known or the application asked
 * for endpoint identification ({@code SSLParameters.setEndpointIdentificationAlgorithm}), as the JDK's own trust
 * manager does: a client never trusts less than Node would because the handshake ran outside weft.
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
    /** Thrown to the provider when a chain is refused; carries the code through the provider's exceptions. */
    public static final class Rejected extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final String code;

        public Rejected(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * Checks that a verified server certificate names the host a client meant: Node's {@code checkServerIdentity}
     * or the application's replacement.
     */
    @FunctionalInterface
    public interface IdentityCheck {
        /**
         * @param host the host the client meant
         * @param path the verified chain, leaf first
         * @throws Rejected the certificate does not name {@code host}, with the code to report
         */
        void check(String host, List<X509Certificate> path) throws Rejected;
    }

    /**
     * How a handshake weft did not start is judged.
     *
     * @param rejectUnauthorized whether a chain that does not verify (or a server that does not match) is refused
     * @param identity           the server identity check
     */
    public record Outside(boolean rejectUnauthorized, IdentityCheck identity) {
    }

    private final Verifier verifier;
    private final boolean advertiseIssuers;
    private final Outside outside;

    /**
     * @param advertiseIssuers whether a server names its trusted CAs to clients (false for the JDK's large root
     *                         set, as OpenSSL sends no list unless configured)
     * @param outside          the rules for a handshake weft did not start
     */
    public RecordingTrustManager(Verifier verifier, boolean advertiseIssuers, Outside outside) {
        this.verifier = verifier;
        this.advertiseIssuers = advertiseIssuers;
        this.outside = outside;
    }

    private void check(X509Certificate[] chain, Verifier.Purpose purpose, SSLParameters parameters, String peerHost,
            SSLSession handshake) throws CertificateException {
        Verifier.Result r = verifier.verify(Arrays.asList(chain), purpose, new Date());
        HandshakeScope scope = HandshakeScope.CURRENT.isBound() ? HandshakeScope.CURRENT.get() : null;
        if (scope != null) {
            scope.record(r);
            if (purpose == Verifier.Purpose.SERVER && handshake instanceof ExtendedSSLSession e) {
                // Bouncy Castle hands the stapled response over only here, in the handshake session
                scope.recordOcspResponse(stapledResponse(e));
            }
            if (!r.authorized() && scope.rejectUnauthorized()) {
                throw new Rejected(r.code(), r.message());
            }
            return;
        }
        if (!r.authorized()) {
            if (outside.rejectUnauthorized()) {
                throw new Rejected(r.code(), r.message());
            }
            return;
        }
        if (purpose == Verifier.Purpose.SERVER) {
            String algorithm = parameters == null ? null : parameters.getEndpointIdentificationAlgorithm();
            boolean asked = algorithm != null && !algorithm.isEmpty();
            String host = hostOf(peerHost, handshake);
            if (host == null && asked) {
                throw new Rejected(ErrorCode.CERT_ALTNAME_INVALID.code(), "endpoint identification (" + algorithm
                        + ") asked for, but the engine was made without the server's host name: use "
                        + "SSLContext.createSSLEngine(host, port)");
            }
            if (host != null) {
                try {
                    outside.identity().check(host, r.path());
                } catch (Rejected e) {
                    if (outside.rejectUnauthorized()) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * The OCSP response the server stapled for its certificate in {@code session} (the first of the session's status
     * responses), or null when there is none or the provider keeps none.
     */
    public static byte[] stapledResponse(ExtendedSSLSession session) {
        java.util.List<byte[]> responses;
        try {
            responses = session.getStatusResponses();
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return null;
        }
        return responses == null || responses.isEmpty() || responses.getFirst().length == 0 ? null
                : responses.getFirst().clone();
    }

    /** The host a client meant: the SNI name it sent, else the host its engine or socket was made for. */
    private static String hostOf(String peerHost, SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession e) {
            try {
                for (SNIServerName n : e.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) {
                        return h.getAsciiName();
                    }
                }
            } catch (UnsupportedOperationException ignored) {
                // the provider does not say: use the peer host
            }
        }
        return peerHost == null || peerHost.isEmpty() ? null : peerHost;
    }

    private void check(X509Certificate[] chain, Verifier.Purpose purpose, Socket socket) throws CertificateException {
        if (socket instanceof EngineSocket s) {
            check(chain, purpose, s.engine());
        } else if (socket instanceof SSLSocket s) { // no host name without a lookup: the SNI name it sent, if any
            check(chain, purpose, s.getSSLParameters(), null, s.getHandshakeSession());
        } else {
            check(chain, purpose, null, null, null);
        }
    }

    private void check(X509Certificate[] chain, Verifier.Purpose purpose, SSLEngine engine)
            throws CertificateException {
        if (engine == null) {
            check(chain, purpose, null, null, null);
        } else {
            check(chain, purpose, engine.getSSLParameters(), engine.getPeerHost(), engine.getHandshakeSession());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, Verifier.Purpose.CLIENT, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, Verifier.Purpose.SERVER, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, Verifier.Purpose.CLIENT, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, Verifier.Purpose.SERVER, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Verifier.Purpose.CLIENT, null, null, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Verifier.Purpose.SERVER, null, null, null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return advertiseIssuers ? verifier.trusted().toArray(X509Certificate[]::new) : new X509Certificate[0];
    }
}
