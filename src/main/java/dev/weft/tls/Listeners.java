package dev.weft.tls;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/** Calls a {@link TlsListener} so that nothing it throws reaches the connection. */
final class Listeners {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.listener");

    /** Does nothing: the listener when none is given. */
    static final TlsListener NONE = new TlsListener() {
    };

    private Listeners() {
    }

    /** Runs {@code call} on {@code listener}; a throwable it raises (not an Error) is logged at WARNING. */
    static void notify(TlsListener listener, String what, Consumer<TlsListener> call) {
        if (listener == NONE) {
            return;
        }
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "TlsListener." + what + " threw; ignored", e);
        }
    }
}
