package dev.weft.tls.internal.handshake;

import dev.weft.tls.internal.trust.Verifier;
import java.util.concurrent.Callable;

/**
 * What one connection's handshake needs to tell the shared trust manager, and what the trust manager learns.
 * Bound with a {@link ScopedValue} around the blocking handshake call: every provider runs the certificate check
 * on the thread that drives the handshake, so the scope reaches it without a per-connection SSLContext.
 */
public final class HandshakeScope {
    static final ScopedValue<HandshakeScope> CURRENT = ScopedValue.newInstance();

    private final boolean rejectUnauthorized;
    private volatile Verifier.Result result;
    private volatile boolean keyChosen;

    public HandshakeScope(boolean rejectUnauthorized) {
        this.rejectUnauthorized = rejectUnauthorized;
    }

    /** Runs {@code handshake} with this scope visible to the trust manager. */
    public <T> T run(Callable<T> handshake) throws Exception {
        return ScopedValue.where(CURRENT, this).call(handshake::call);
    }

    boolean rejectUnauthorized() {
        return rejectUnauthorized;
    }

    void record(Verifier.Result r) {
        this.result = r;
    }

    private volatile byte[] ocspResponse;

    /** The server's stapled OCSP response, as the trust manager saw it in the handshake session; null for none. */
    void recordOcspResponse(byte[] response) {
        if (response != null) {
            this.ocspResponse = response;
        }
    }

    /** The server's stapled OCSP response seen during the handshake, or null. */
    public byte[] ocspResponse() {
        return ocspResponse;
    }

    /** Called by the key manager when the handshake chose this end's key: a full handshake, not a resumption. */
    static void markKeyChosen() {
        if (CURRENT.isBound()) {
            CURRENT.get().keyChosen = true;
        }
    }

    /** Whether this end's key was asked for during the handshake (never, on a resumed session). */
    public boolean keyChosen() {
        return keyChosen;
    }

    /** The verification outcome recorded during the handshake, or null when the trust manager did not run. */
    public Verifier.Result result() {
        return result;
    }
}
