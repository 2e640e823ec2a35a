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
