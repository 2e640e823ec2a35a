package dev.weft.tls.internal.trust;

import java.time.Duration;

/**
 * A bound on how long one verification may work. Checked between steps (each issuer looked up, each certificate
 * validated), so a hostile chain fails the verification with {@link VerificationTimeout} instead of holding the
 * handshake's thread (on Conscrypt, a carrier thread pinned inside BoringSSL's callback).
 */
final class Deadline {
    private final long end;
    private final Duration budget;

    Deadline(Duration budget) {
        this.budget = budget;
        this.end = System.nanoTime() + budget.toNanos();
    }

    void check() {
        if (System.nanoTime() - end > 0) {
            throw new VerificationTimeout(budget);
        }
    }

    /** Thrown when a verification runs past its deadline. */
    static final class VerificationTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        VerificationTimeout(Duration budget) {
            super("certificate verification took longer than " + budget.toMillis() + " ms");
        }
    }
}
