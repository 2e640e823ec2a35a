package dev.weft.tls.internal.trust;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import dev.weft.tls.internal.pem.PemReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The root stores weft knows: the JDK's ({@code cacerts}) and the operating system's bundle. */
public final class RootStores {
    private RootStores() {
    }

    /** Where the operating system's bundle is looked for, in this order (Debian/Ubuntu, Fedora/RHEL, BSD/Alpine). */
    public static final List<String> SYSTEM_BUNDLES = List.of("/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem");

    private static volatile List<X509Certificate> jdk;

    /** The JDK's trusted roots, as its default trust manager accepts them (loaded once). */
    public static List<X509Certificate> jdk() throws TlsException {
        List<X509Certificate> roots = jdk;
        if (roots == null) {
            try {
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init((KeyStore) null);
                List<X509Certificate> found = new ArrayList<>();
                for (TrustManager tm : f.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        found.addAll(List.of(x.getAcceptedIssuers()));
                    }
                }
                roots = jdk = List.copyOf(found);
            } catch (GeneralSecurityException e) {
                throw new TlsException(ErrorCode.INVALID_OPTIONS, "cannot load the JDK's trusted roots: " + e, e);
            }
        }
        return roots;
    }

    /** The first of {@link #SYSTEM_BUNDLES} that can be read, or null. */
    public static Path systemBundle() {
        for (String place : SYSTEM_BUNDLES) {
            Path p = Path.of(place);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The operating system's bundle, read now.
     *
     * @throws TlsException {@code ERR_WEFT_INVALID_OPTIONS}-style refusal when there is none or it cannot be read
     */
    public static List<X509Certificate> system() throws TlsException {
        Path p = systemBundle();
        if (p == null) {
            throw new TlsException(ErrorCode.INVALID_OPTIONS, "no operating system CA bundle found (looked for "
                    + String.join(", ", SYSTEM_BUNDLES) + ")");
        }
        try {
            return PemReader.certificates(Files.readAllBytes(p), "system CA bundle " + p);
        } catch (IOException e) {
            throw new TlsException(ErrorCode.INVALID_OPTIONS, "cannot read " + p + ": " + e, e);
        }
    }

    /** A certificate in PEM as OpenSSL writes it (64-column base64, final newline), Node's form. */
    public static String pem(X509Certificate c) {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(c.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a trusted root that cannot be encoded: " + c.getSubjectX500Principal(), e);
        }
    }
}
