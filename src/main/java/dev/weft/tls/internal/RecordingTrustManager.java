package dev.weft.tls.internal;

import dev.weft.tls.internal.trust.Verifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager weft gives every provider. It runs {@link Verifier} (OpenSSL's rules and codes), records the
 * outcome in the connection's {@link HandshakeScope}, and refuses the peer only when that scope's
 * {@code rejectUnauthorized} says so. Without a scope (a handshake weft did not start) it refuses any chain that
 * does not verify.
 */
public final class RecordingTrustManager extends X509ExtendedTrustManager {
    /** Thrown to the provider when a chain is refused; carries the code through the provider's exceptions. */
    public static final class Rejected extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final String code;

        Rejected(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Verifier verifier;
    private final boolean advertiseIssuers;

    /**
     * @param advertiseIssuers whether a server names its trusted CAs to clients (false for the JDK's large root
     *                         set, as OpenSSL sends no list unless configured)
     */
    public RecordingTrustManager(Verifier verifier, boolean advertiseIssuers) {
        this.verifier = verifier;
        this.advertiseIssuers = advertiseIssuers;
    }

    private void check(X509Certificate[] chain, Verifier.Purpose purpose) throws CertificateException {
        Verifier.Result r = verifier.verify(Arrays.asList(chain), purpose, new Date());
        HandshakeScope scope = HandshakeScope.CURRENT.isBound() ? HandshakeScope.CURRENT.get() : null;
        if (scope != null) {
            scope.record(r);
        }
        if (!r.authorized() && (scope == null || scope.rejectUnauthorized())) {
            throw new Rejected(r.code(), r.message());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, Verifier.Purpose.CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, Verifier.Purpose.SERVER);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, Verifier.Purpose.CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, Verifier.Purpose.SERVER);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Verifier.Purpose.CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Verifier.Purpose.SERVER);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return advertiseIssuers ? verifier.trusted().toArray(X509Certificate[]::new) : new X509Certificate[0];
    }
}
