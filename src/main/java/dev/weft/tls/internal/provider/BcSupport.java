package dev.weft.tls.internal.provider;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.TlsException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Bouncy Castle JSSE. Its cryptography runs on the JDK's JCA providers (SunJCE, SunEC), which use the CPU's
 * AES and GHASH intrinsics, rather than Bouncy Castle's pure-Java implementations. It is never installed as a
 * global security provider.
 */
final class BcSupport extends ProviderSupport {
    private final Provider provider;

    private BcSupport(Provider provider) {
        this.provider = provider;
    }

    static BcSupport create() {
        return new BcSupport(new BouncyCastleJsseProvider(false, BcCryptoHelper.cryptoProvider()));
    }

    @Override
    public JsseProvider id() {
        return JsseProvider.BC;
    }

    @Override
    public String version() {
        return provider.getName() + " " + provider.getVersionStr();
    }

    @Override
    public String resumption() {
        return "TLS 1.2 only (no TLS 1.3 session tickets)";
    }

    /** Bouncy Castle 1.84 has the hybrid X25519MLKEM768 (Node 24's first choice) and SecP256r1MLKEM768: first. */
    @Override
    public java.util.List<String> serverGroups() {
        return java.util.List.of("X25519MLKEM768", "SecP256r1MLKEM768", "x25519", "secp256r1", "secp384r1");
    }

    /**
     * Bouncy Castle 1.84 negotiates SunJSSE's groups and the brainpool curves, ML-KEM alone and the hybrids
     * X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024.
     */
    @Override
    public java.util.Set<String> supportedGroups() {
        java.util.Set<String> all = new java.util.HashSet<>(super.supportedGroups());
        all.addAll(java.util.List.of("brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "brainpoolP256r1tls13",
                "brainpoolP384r1tls13", "brainpoolP512r1tls13", "MLKEM512", "MLKEM768", "MLKEM1024", "X25519MLKEM768",
                "SecP256r1MLKEM768", "SecP384r1MLKEM1024"));
        return java.util.Set.copyOf(all);
    }

    /**
     * Bouncy Castle takes the group list as the ECDSA curves it signs and verifies with too, in TLS 1.3 as in
     * TLS 1.2 (measured: a server given X25519 alone finds no suite for its P-256 certificate, a client given
     * X25519 alone cannot verify a P-256 server): P-256, P-384 and P-521 go after the chosen groups, so they are
     * also offered (a client) or accepted (a server) for key exchange when the peer prefers them.
     */
    /**
     * A server's order of groups decides (Bouncy Castle's own {@code setUseNamedGroupsOrder}, which the JDK's
     * parameters do not carry): otherwise Bouncy Castle takes the client's first choice among them.
     */
    @Override
    void tune(SSLEngine engine, boolean clientMode) {
        if (!clientMode && engine instanceof org.bouncycastle.jsse.BCSSLEngine bc) {
            org.bouncycastle.jsse.BCSSLParameters p = bc.getParameters();
            p.setUseNamedGroupsOrder(true);
            bc.setParameters(p);
        }
    }

    /** Its own order and the ECDSA curves added, Bouncy Castle takes the server's choice in TLS 1.2 too. */
    @Override
    boolean narrowsInTls12() {
        return true;
    }

    @Override
    java.util.List<String> withSignatureCurves(java.util.List<String> groups) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(groups);
        all.addAll(java.util.List.of("secp256r1", "secp384r1", "secp521r1"));
        return java.util.List.copyOf(all);
    }

    @Override
    public java.util.Optional<String> exporterUnsupported() {
        return java.util.Optional.of("Bouncy Castle JSSE 1.84 has no public exporter: its BCExtendedSSLSession's "
                + "exportKeyingMaterialData throws UnsupportedOperationException, and the exporter of its TLS "
                + "context sits in a package-private class");
    }

    /** Bouncy Castle's {@code BCSSLConnection.getChannelBinding("tls-unique")}; none for TLS 1.3. */
    @Override
    public java.util.Optional<byte[]> tlsUnique(SSLEngine engine) {
        if (engine instanceof org.bouncycastle.jsse.BCSSLEngine bc && bc.getConnection() != null) {
            try {
                return java.util.Optional.ofNullable(bc.getConnection().getChannelBinding("tls-unique"));
            } catch (RuntimeException e) {
                return java.util.Optional.empty(); // TLS 1.3: no tls-unique
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> finishedUnsupported(boolean server) {
        return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> ocspStaplingUnsupported() {
        return java.util.Optional.of("Bouncy Castle JSSE 1.84's server never staples (its TLS server offers no "
                + "certificate status)");
    }

    @Override
    public java.util.Optional<String> keylogUnsupported() {
        return java.util.Optional.of("Bouncy Castle JSSE exposes no TLS secrets (its only such API, an RFC 5705 "
                + "exporter, is not implemented in 1.84)");
    }

    @Override
    public SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) throws TlsException {
        try {
            SSLContext c = SSLContext.getInstance("TLS", provider);
            // An explicit SecureRandom: without one BCJSSE asks JCA for "DEFAULT", which only the BC provider
            // (never installed globally by weft) offers.
            c.init(keyManagers, trustManagers, new SecureRandom());
            return c;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "Bouncy Castle JSSE could not create a TLS context: " + e, e);
        }
    }
}
