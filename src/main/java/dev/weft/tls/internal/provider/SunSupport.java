package dev.weft.tls.internal.provider;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.TlsException;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** SunJSSE, the JDK's provider. */
final class SunSupport extends ProviderSupport {
    @Override
    public JsseProvider id() {
        return JsseProvider.SUN;
    }

    @Override
    public String version() {
        return "SunJSSE " + Runtime.version();
    }

    @Override
    public boolean canHalfClose() {
        return true;
    }

    @Override
    public boolean signsWithEdDsaKeys() {
        return true;
    }

    @Override
    public String resumption() {
        return "TLS 1.3 and TLS 1.2";
    }

    /**
     * SunJSSE 25 reads TLS 1.3's binding of an ECDSA scheme to a curve into TLS 1.2 as well
     * ({@code SignatureScheme.getSignerOfPreferableAlgorithm}): with a P-256 key it signs a TLS 1.2 handshake only
     * for a client offering ecdsa_secp256r1_sha256 (or ecdsa_sha224), and answers one offering only ECDSA with
     * SHA-384 or SHA-512 with internal_error, where OpenSSL (and the RFC 5246 meaning of those schemes) signs with
     * any ECDSA hash. Such a client is served by Bouncy Castle's engine, with the same key, certificate and trust.
     */
    @Override
    public java.util.Optional<JsseProvider> servesInstead(int[] schemes, int version, java.security.PublicKey key) {
        if (version != 0x0303 || schemes == null || !"EC".equals(key.getAlgorithm())
                || dev.weft.tls.internal.negotiation.SignatureSchemes.refusal(schemes, version, key) != null
                || dev.weft.tls.internal.negotiation.SignatureSchemes.offersCurveScheme(schemes, key)
                || !(key instanceof java.security.interfaces.ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() > 521
                || ProviderSupport.unavailableReason(JsseProvider.BC).isPresent()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(JsseProvider.BC);
    }

    @Override
    public java.util.Optional<String> ocspStaplingUnsupported() {
        return java.util.Optional.of("SunJSSE takes no OCSP response from the application: it staples only what it "
                + "fetches itself from the certificate's responder (-Djdk.tls.server.enableStatusRequestExtension=true,"
                + " cached per certificate, outside weft)");
    }

    @Override
    public java.util.Optional<String> keylogUnsupported() {
        return java.util.Optional.of("SunJSSE exposes only RFC 5705 keying-material exporters (JDK 25's "
                + "ExtendedSSLSession), not the TLS secrets");
    }

    @Override
    public SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) throws TlsException {
        try {
            SSLContext c = SSLContext.getInstance("TLS", "SunJSSE");
            c.init(keyManagers, trustManagers, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new TlsException(ErrorCode.PROVIDER_UNAVAILABLE, "SunJSSE could not create a TLS context: " + e, e);
        }
    }
}
