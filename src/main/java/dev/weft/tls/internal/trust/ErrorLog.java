package dev.weft.tls.internal.trust;

import java.util.ArrayList;
import java.util.List;

/**
 * The errors OpenSSL's verify callback would see, in order. Node's callback accepts every error so that
 * verification runs to the end, and reports the last one: {@link #last()}.
 */
final class ErrorLog {
    /** One reported error and the depth of the certificate it concerns (0: the peer's own). */
    record Entry(X509Error error, int depth) {
    }

    private final List<Entry> entries = new ArrayList<>();

    void report(X509Error error, int depth) {
        entries.add(new Entry(error, depth));
    }

    /** {@return the last error reported, or null} */
    X509Error last() {
        return entries.isEmpty() ? null : entries.getLast().error();
    }

    /** {@return the last entry reported, or null} */
    Entry lastEntry() {
        return entries.isEmpty() ? null : entries.getLast();
    }
}
