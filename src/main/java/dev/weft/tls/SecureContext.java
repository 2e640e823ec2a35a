package dev.weft.tls;

import dev.weft.tls.internal.handshake.FixedKeyManager;
import dev.weft.tls.internal.handshake.RecordingTrustManager;
import dev.weft.tls.internal.negotiation.CipherNames;
import dev.weft.tls.internal.pem.PemReader;
import dev.weft.tls.internal.provider.ProviderSupport;
import dev.weft.tls.internal.trust.Verifier;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A key, its certificate chain, the trusted CAs and CRLs: Node's {@code SecureContext} (v0.6:
 * {@code crypto.createCredentials(...).context}). Made by {@link Tls#createSecureContext(ContextOptions)}, which
 * reads and checks everything at once, so a bad key or certificate fails there and never at the first handshake.
 *
 * <p>Immutable and thread-safe; one context may serve any number of servers and clients, on any provider. The
 * provider's {@code SSLContext} (and so its session cache) is made on first use per provider and kept.
 *
 * <p>Differences from Node: a context holds one key (Node allows one RSA and one EC key side by side).
 */
public final class SecureContext {

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final Verifier verifier;
    private final boolean customCa;
    private final Map<JsseProvider, SSLContext> contexts = new ConcurrentHashMap<>();
    private final List<String> protocols;
    private final List<String> suites; // null: the provider's forward-secret AEAD defaults
    private final dev.weft.tls.internal.negotiation.Groups.Spec groups; // null: weft's default (ecdhCurve auto)
    private final List<String> sigalgs; // JSSE names; null: the provider's default

    private SecureContext(PrivateKey key, List<X509Certificate> chain, Verifier verifier, boolean customCa,
            List<String> protocols, List<String> suites, dev.weft.tls.internal.negotiation.Groups.Spec groups,
            List<String> sigalgs) {
        this.groups = groups;
        this.sigalgs = sigalgs;
        this.key = key;
        this.chain = List.copyOf(chain);
        this.verifier = verifier;
        this.customCa = customCa;
        this.protocols = protocols;
        this.suites = suites;
    }

    /** TLSv1.3 and/or TLSv1.2 between {@code min} and {@code max}, highest first. */
    private static List<String> protocols(String min, String max) throws TlsException {
        List<String> known = List.of("TLSv1.2", "TLSv1.3");
        for (String v : List.of(min, max)) {
            if (!known.contains(v)) {
                throw new TlsException(ErrorCode.INVALID_PROTOCOL_VERSION, "'" + v + "' is not a TLS version weft "
                        + "negotiates: use TLSv1.2 or TLSv1.3");
            }
        }
        if (known.indexOf(min) > known.indexOf(max)) {
            throw new TlsException(ErrorCode.INVALID_PROTOCOL_VERSION, "minVersion " + min + " is above maxVersion "
                    + max);
        }
        return known.subList(known.indexOf(min), known.indexOf(max) + 1).reversed();
    }

    /** The protocols this context enables, e.g. {@code [TLSv1.3, TLSv1.2]}. */
    List<String> protocols() {
        return protocols;
    }

    /** The cipher suites (standard names) this context enables; null for the provider's defaults. */
    List<String> suites() {
        return suites;
    }

    /** The signature schemes (JSSE names) this context's {@code sigalgs} sets; null for the provider's. */
    List<String> sigalgs() {
        return sigalgs;
    }

    /** What a connection of this context negotiates, with the ALPN protocols {@code alpn}. */
    ProviderSupport.Handshake handshake(List<String> alpn) {
        return new ProviderSupport.Handshake(protocols, suites, alpn, groups, sigalgs);
    }

    /** {@return {@code given} (the options' {@code secureContext}) when set, else a context made from {@code o}} */
    static SecureContext givenOr(SecureContext given, ContextOptions o) throws TlsException {
        return given != null ? given : create(o);
    }

    static SecureContext create(ContextOptions o) throws TlsException {
        char[] passphrase = o.passphrase();
        PrivateKey key = null;
        List<X509Certificate> chain = List.of();
        try {
            if (o.pfx() != null) {
                if (o.key() != null || o.cert() != null) {
                    throw new TlsException(ErrorCode.INVALID_OPTIONS, "give either pfx or key and cert, not both");
                }
                PemReader.KeyAndChain kc = PemReader.pkcs12(o.pfx().read(), passphrase);
                key = kc.key();
                chain = kc.chain();
            } else {
                if (o.cert() != null) {
                    chain = PemReader.certificates(o.cert().read(), "cert");
                }
                if (o.key() != null) {
                    key = PemReader.privateKey(o.key().read(), passphrase);
                }
                if (key != null && chain.isEmpty()) {
                    throw new TlsException(ErrorCode.INVALID_OPTIONS, "key given without cert: a TLS peer needs "
                            + "the certificate that goes with its private key");
                }
                if (key == null && !chain.isEmpty()) {
                    throw new TlsException(ErrorCode.INVALID_OPTIONS, "cert given without key: pass the private "
                            + "key that goes with the certificate (subject "
                            + chain.getFirst().getSubjectX500Principal().getName() + ")");
                }
                if (key != null) {
                    PemReader.checkKeyMatchesCertificate(key, chain.getFirst());
                }
            }
            List<X509Certificate> ca = new ArrayList<>();
            for (ContextOptions.Source s : o.ca()) {
                ca.addAll(PemReader.certificates(s.read(), "ca"));
            }
            List<X509CRL> crls = new ArrayList<>();
            for (ContextOptions.Source s : o.crl()) {
                crls.addAll(PemReader.crls(s.read()));
            }
            boolean customCa = !o.ca().isEmpty();
            List<X509Certificate> trusted = switch (o.trustedRoots()) {
                case REPLACED_BY_CA -> customCa ? ca : jdkRoots();
                case JDK_PLUS_CA -> concat(jdkRoots(), ca);
                case SYSTEM_PLUS_CA -> concat(systemRoots(), ca);
            };
            Verifier verifier = new Verifier(trusted, crls, o.allowPartialTrustChain(),
                    o.trustedRoots() != TrustedRoots.SYSTEM_PLUS_CA);
            List<String> protocols = protocols(o.minVersion(), o.maxVersion());
            List<String> suites = o.ciphers() == null ? null : CipherNames.select(o.ciphers());
            return new SecureContext(key, chain, verifier, customCa, protocols, suites,
                    dev.weft.tls.internal.negotiation.Groups.parse(o.ecdhCurve()),
                    dev.weft.tls.internal.negotiation.SigAlgs.parse(o.sigalgs()));
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static List<X509Certificate> concat(List<X509Certificate> a, List<X509Certificate> b) {
        List<X509Certificate> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The operating system's CA bundle, from the first of the usual places that exists. */
    private static List<X509Certificate> systemRoots() throws TlsException {
        return dev.weft.tls.internal.trust.RootStores.system();
    }

    private static List<X509Certificate> jdkRoots() throws TlsException {
        return dev.weft.tls.internal.trust.RootStores.jdk();
    }

    /** {@return the certificate chain this context presents, leaf first; empty when it has none} */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** {@return whether this context has a private key and certificate to present} */
    public boolean hasCertificate() {
        return key != null;
    }

    /** {@return the certificates this context trusts: its {@code ca}, or the JDK's roots when none was given} */
    public List<X509Certificate> trustedCertificates() {
        return verifier.trusted();
    }

    Verifier verifier() {
        return verifier;
    }

    /** This context's TLS context on {@code provider}, made on first use. */
    SSLContext sslContext(JsseProvider provider) throws TlsException {
        SSLContext c = contexts.get(provider);
        if (c == null) {
            c = newSslContext(provider, new RecordingTrustManager.Outside(true,
                    identityCheck(Tls::checkServerIdentity)));
            SSLContext raced = contexts.putIfAbsent(provider, c);
            if (raced != null) {
                c = raced;
            }
        }
        return c;
    }

    /**
     * A new TLS context on {@code provider} over this context's key and trust, judging the handshakes weft does not
     * start by {@code outside}; checks the key and suites against the provider.
     */
    SSLContext newSslContext(JsseProvider provider, RecordingTrustManager.Outside outside) throws TlsException {
        ProviderSupport support = ProviderSupport.of(provider);
        if (key != null) {
            support.checkKey(key);
        }
        KeyManager[] km = key == null ? new KeyManager[0] : new KeyManager[] {new FixedKeyManager(key, chain)};
        TrustManager[] tm = {new RecordingTrustManager(verifier, customCa, outside)};
        SSLContext c = support.newContext(km, tm);
        if (suites != null) {
            support.checkSuites(suites);
        }
        if (groups != null) {
            support.groups(groups);
        }
        if (sigalgs != null) {
            support.checkSigalgs(sigalgs);
        }
        if (suites != null && support.usableSuites(c, suites).isEmpty()) {
            throw new TlsException(ErrorCode.NO_CIPHER_MATCH, provider.cliName() + " supports none of the "
                    + "cipher suites chosen: " + suites);
        }
        return c;
    }

    /** {@code check} as the trust manager's identity check: its refusal carries the check's code. */
    static RecordingTrustManager.IdentityCheck identityCheck(ServerIdentityCheck check) {
        return (host, path) -> {
            try {
                check.check(host, PeerCertificate.detailed(path));
            } catch (TlsException e) {
                throw new RecordingTrustManager.Rejected(e.code(), e.getMessage());
            } catch (RuntimeException e) {
                throw new RecordingTrustManager.Rejected(ErrorCode.CERT_ALTNAME_INVALID.code(), "checkServerIdentity "
                        + "failed: " + e);
            }
        };
    }

    @Override
    public String toString() {
        return "SecureContext[" + (chain.isEmpty() ? "no certificate"
                : chain.getFirst().getSubjectX500Principal().getName()) + ", "
                + (customCa ? verifier.trusted().size() + " CA(s)" : "JDK roots") + "]";
    }
}
