package dev.weft.tls;

import java.util.Objects;

/**
 * A client's TLS session, to resume on a later connection to the same server: pass it to
 * {@link ClientOptions.Builder#session}. Thread-safe; it may be handed to any number of connections.
 *
 * <p>Differences from Node: Node's session is a serialized buffer that can be stored and used in another process;
 * JSSE providers cannot export sessions, so a {@code TlsSession} is an opaque handle on the secure context whose
 * session cache holds the session, valid in this JVM only. A client that reuses one {@link SecureContext} for
 * several connections resumes the same way without handles.
 */
public final class TlsSession {
    private final SecureContext context;
    private final JsseProvider provider;

    TlsSession(SecureContext context, JsseProvider provider) {
        this.context = Objects.requireNonNull(context, "context");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    SecureContext context() {
        return context;
    }

    /** {@return the provider the session belongs to; a connection resumes it only on the same provider} */
    public JsseProvider provider() {
        return provider;
    }

    @Override
    public String toString() {
        return "TlsSession[" + provider.cliName() + "]";
    }
}
