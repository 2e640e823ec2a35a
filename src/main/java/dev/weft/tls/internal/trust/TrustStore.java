package dev.weft.tls.internal.trust;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trusted certificates (Node's {@code ca}, or the default roots), looked up as OpenSSL's {@code X509_STORE} is:
 * by subject name, candidates with one name in the store's order. Immutable and thread-safe.
 */
final class TrustStore {
    /**
     * What was read of each trusted certificate object, so the JDK's roots (one list of objects for the whole JVM) are
     * read once, not once per secure context. Weak: a certificate nothing else holds is forgotten.
     */
    private static final Map<X509Certificate, CertInfo> READ = new java.util.WeakHashMap<>();

    private final List<X509Certificate> certificates;
    private final Map<CanonicalName, List<CertInfo>> bySubject = new HashMap<>();

    TrustStore(List<X509Certificate> trusted) {
        this.certificates = List.copyOf(trusted);
        for (X509Certificate c : certificates) {
            CertInfo info = read(c);
            List<CertInfo> same = bySubject.computeIfAbsent(info.subject, k -> new ArrayList<>());
            if (same.stream().noneMatch(info::same)) {
                same.add(info);
            }
        }
        bySubject.values().forEach(l -> l.sort(CertInfo::storeOrder));
    }

    private static CertInfo read(X509Certificate c) {
        synchronized (READ) {
            CertInfo info = READ.get(c);
            if (info != null) {
                return info;
            }
        }
        CertInfo info;
        try {
            info = CertInfo.of(c);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("cannot read trusted certificate " + c.getSubjectX500Principal() + ": "
                    + e.getMessage(), e);
        }
        synchronized (READ) {
            READ.put(c, info);
        }
        return info;
    }

    List<X509Certificate> certificates() {
        return certificates;
    }

    /**
     * OpenSSL's {@code X509_STORE_CTX_get1_issuer}: among trusted certificates named as {@code x}'s issuer that
     * likely issued it, the first valid at {@code now}, else the one that expires last; null when none.
     */
    CertInfo issuerOf(CertInfo x, Instant now) {
        return ChainBuilder.bestIssuer(bySubject.getOrDefault(x.issuer, List.of()), x, now, null);
    }

    /** The trusted certificate identical to {@code x}, or null ({@code lookup_cert_match}). */
    CertInfo exactMatch(CertInfo x) {
        for (CertInfo c : bySubject.getOrDefault(x.subject, List.of())) {
            if (c.same(x)) {
                return c;
            }
        }
        return null;
    }
}
