package dev.weft.tls;

import dev.weft.tls.internal.negotiation.ClientHello;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contexts a {@link TlsServer} serves: its default one ({@link TlsServer#setSecureContext}) and those for SNI
 * names ({@link TlsServer#addContext}), and the choice of one for the name a ClientHello asks for: the
 * {@code sniCallback}'s choice, else the last added matching pattern, else the default. Thread-safe.
 */
final class ServedContexts {
    /** A context for the names matching {@code pattern} (lower-cased; {@code *.} covers one label). */
    private record Entry(String pattern, SecureContext context) {
        boolean matches(String name) {
            if (pattern.startsWith("*.")) {
                int dot = name.indexOf('.');
                return dot > 0 && name.substring(dot).equals(pattern.substring(1));
            }
            return pattern.equals(name);
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private volatile SecureContext current;

    ServedContexts(SecureContext current) {
        this.current = current;
    }

    /** {@return the default context, for clients that ask for no name or a name no other context serves} */
    SecureContext current() {
        return current;
    }

    /** Replaces the default context, checked on {@code provider} first. */
    void replace(SecureContext next, JsseProvider provider) throws TlsException {
        Objects.requireNonNull(next, "newContext");
        if (!next.hasCertificate()) {
            throw new TlsException(ErrorCode.INVALID_OPTIONS, "a server's secure context needs a key and cert");
        }
        next.sslContext(provider);
        current = next;
    }

    /** Adds {@code context} for {@code hostname}, checked on {@code provider} first. */
    void add(String hostname, SecureContext context, JsseProvider provider) throws TlsException {
        Objects.requireNonNull(hostname, "hostname");
        String pattern = hostname.toLowerCase(Locale.ROOT);
        String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (!ClientHello.wellFormed(name) || (pattern.startsWith("*.") && !name.contains("."))) {
            throw new TlsException(ErrorCode.INVALID_OPTIONS, "addContext needs a host name or *.domain pattern, "
                    + "got '" + hostname + "'");
        }
        if (!context.hasCertificate()) {
            throw new TlsException(ErrorCode.INVALID_OPTIONS, "the context for '" + hostname + "' has no key and cert");
        }
        context.sslContext(provider);
        entries.add(new Entry(pattern, context));
    }

    /** The context for {@code servername} (null: none asked for). */
    SecureContext select(ServerOptions options, String servername, SecureContext fallback) throws TlsException {
        if (servername == null || (options.sniCallback() == null && entries.isEmpty())) {
            return fallback;
        }
        if (options.sniCallback() != null) {
            SecureContext chosen = ServerHandshake.callbackContext(options, servername, null);
            if (chosen != null) {
                return chosen;
            }
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).matches(servername)) {
                return entries.get(i).context();
            }
        }
        return fallback;
    }

    /** {@return the default context's leaf certificate, then each added context's, in the order added} */
    List<X509Certificate> leaves() {
        List<X509Certificate> out = new ArrayList<>();
        current.certificateChain().stream().findFirst().ifPresent(out::add);
        for (Entry e : entries) {
            out.add(e.context().certificateChain().getFirst()); // add refuses a context without one
        }
        return List.copyOf(out);
    }
}
