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

    /**
     * SunJSSE's TLS 1.2 server takes its group list as the curves its ECDSA certificate may be on as well
     * (measured: given X25519 alone it refuses a TLS 1.2 client for its P-256 certificate): P-256, P-384 and P-521
     * go after an {@code ecdhCurve} list, where a TLS 1.2 client preferring them gets them. TLS 1.3 handshakes are
     * narrowed to the server's choice ({@code serverChoice}) and do not need them.
     */
    @Override
    java.util.List<String> serverList(java.util.List<String> groups) {
        if (groups.stream().noneMatch(dev.weft.tls.internal.negotiation.Groups::ecdhe)) {
            return groups; // no curve at all: no TLS 1.2 handshake, as in OpenSSL
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(groups);
        all.addAll(java.util.List.of("secp256r1", "secp384r1", "secp521r1"));
        return java.util.List.copyOf(all);
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
