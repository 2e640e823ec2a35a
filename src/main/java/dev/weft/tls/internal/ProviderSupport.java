package dev.weft.tls.internal;

import dev.weft.tls.JsseProvider;
import dev.weft.tls.TlsException;
import java.io.IOException;
import java.net.Socket;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * What weft needs from a JSSE provider, one implementation per provider. Provider quirks live in the
 * implementations, never as {@code if (provider == ...)} through the code. An optional provider's classes are
 * touched only inside its implementation, which is loaded only when that provider is chosen.
 */
public abstract class ProviderSupport {
    private static final Map<JsseProvider, ProviderSupport> LOADED = new EnumMap<>(JsseProvider.class);

    /** The support for {@code provider}, loading it on first use. */
    public static ProviderSupport of(JsseProvider provider) throws TlsException {
        synchronized (LOADED) {
            ProviderSupport s = LOADED.get(provider);
            if (s == null) {
                s = load(provider);
                LOADED.put(provider, s);
            }
            return s;
        }
    }

    /** Why {@code provider} cannot be used here, or empty when it can. */
    public static Optional<String> unavailableReason(JsseProvider provider) {
        try {
            of(provider);
            return Optional.empty();
        } catch (TlsException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static ProviderSupport load(JsseProvider provider) throws TlsException {
        return switch (provider) {
            case SUN -> new SunSupport();
            case BC -> {
                requireClass("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider",
                        "Bouncy Castle JSSE", "org.bouncycastle:bctls-jdk18on");
                yield BcSupport.create();
            }
            case CONSCRYPT -> {
                requireClass("org.conscrypt.Conscrypt", "Conscrypt", "org.conscrypt:conscrypt-openjdk-uber");
                yield ConscryptSupport.create();
            }
        };
    }

    private static void requireClass(String className, String what, String coordinates) throws TlsException {
        try {
            Class.forName(className, false, ProviderSupport.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new TlsException(ErrorCodes.PROVIDER_UNAVAILABLE, what + " is not on the class path; add the "
                    + "Maven dependency " + coordinates + " (weft declares it optional) or choose another provider");
        }
    }

    /** Which provider this is. */
    public abstract JsseProvider id();

    /** The provider's own version string, for {@code weft providers}. */
    public abstract String version();

    /** A new TLS context of this provider over the given key and trust managers. */
    public abstract SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) throws TlsException;

    /**
     * A TLS socket of this provider layered over the connected {@code raw} socket (closing it closes {@code raw}).
     * A client sends {@code sni} as its server name, or no SNI when it is null.
     */
    public SSLSocket layer(SSLContext context, Socket raw, String sni, boolean clientMode) throws IOException {
        return configure(create(context.getSocketFactory(), raw, raw.getInetAddress().getHostAddress()),
                sni, clientMode);
    }

    /** Layers the provider's socket over {@code raw}, naming the peer {@code host}. */
    SSLSocket create(SSLSocketFactory factory, Socket raw, String host) throws IOException {
        return (SSLSocket) factory.createSocket(raw, host, raw.getPort(), true);
    }

    static SSLSocket configure(SSLSocket s, String sni, boolean clientMode) {
        s.setUseClientMode(clientMode);
        if (clientMode) {
            SSLParameters p = s.getSSLParameters();
            // An explicit list, even empty: SunJSSE would otherwise send the host it was given.
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
        }
        return s;
    }

    /** The protocols and cipher suites a fresh socket of this provider enables by default. */
    public final List<List<String>> defaults() throws TlsException {
        SSLContext c = newContext(null, null);
        var p = c.getDefaultSSLParameters();
        return List.of(List.of(p.getProtocols()), List.of(p.getCipherSuites()));
    }
}
