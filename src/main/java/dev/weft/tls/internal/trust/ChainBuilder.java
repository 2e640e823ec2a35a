package dev.weft.tls.internal.trust;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the chain OpenSSL would build ({@code build_chain} in x509_vfy.c, trusted-first): from the peer's
 * certificate, each issuer is looked for in the trusted store first and among the certificates the peer sent
 * (in any order, extras and duplicates ignored) second, preferring one valid now. It selects certificates only:
 * whether the chain is trusted is decided by the PKIX validator and the checks after it.
 */
final class ChainBuilder {
    /** OpenSSL's default verification depth. */
    static final int MAX_DEPTH = 100;

    private static final int SEARCH_UNTRUSTED = 1;
    private static final int SEARCH_TRUSTED = 2;

    /**
     * The chain as built.
     *
     * @param chain        leaf first; ends at the trust anchor when {@code trusted}
     * @param numUntrusted how many certificates, from the leaf, came from the peer rather than the store
     * @param trusted      whether the chain reached a trust anchor
     * @param internal     whether building stopped on a certificate OpenSSL cannot process (it reports
     *                     UNSPECIFIED and checks nothing more)
     */
    record Built(List<CertInfo> chain, int numUntrusted, boolean trusted, boolean internal) {
    }

    private ChainBuilder() {
    }

    /**
     * Builds from {@code leaf} with {@code sent} (everything the peer sent, leaf included) as the untrusted pool,
     * reporting OpenSSL's chain-building error to {@code log} when no trust anchor is reached.
     */
    static Built build(CertInfo leaf, List<CertInfo> sent, TrustStore store, boolean partial, Instant now,
            ErrorLog log, Deadline deadline) {
        List<CertInfo> chain = new ArrayList<>(List.of(leaf));
        List<CertInfo> pool = new ArrayList<>(sent);
        int numUntrusted = 1;
        int search = SEARCH_UNTRUSTED | SEARCH_TRUSTED;
        int maxDepth = MAX_DEPTH + 1;
        boolean trusted = false;
        boolean decided = false;
        while (search != 0 && !decided) {
            deadline.check();
            int num = chain.size();
            if ((search & SEARCH_TRUSTED) != 0) {
                CertInfo curr = chain.get(num - 1);
                CertInfo issuer = num > maxDepth ? null : store.issuerOf(curr, now);
                boolean ok = issuer != null;
                if (ok) {
                    int selfSigned = curr.selfSigned();
                    if (selfSigned < 0) {
                        log.report(X509Error.UNSPECIFIED, num - 1);
                        return new Built(chain, numUntrusted, false, true);
                    }
                    int checkFrom = num;
                    if (selfSigned == 0) {
                        chain.add(issuer);
                        selfSigned = issuer.selfSigned();
                        if (selfSigned < 0) {
                            log.report(X509Error.UNSPECIFIED, num);
                            return new Built(chain, numUntrusted, false, true);
                        }
                    } else if (!curr.same(issuer)) {
                        ok = false; // an untrusted self-signed certificate mimicking a trusted one
                    } else {
                        numUntrusted = --num;
                        checkFrom = num;
                        chain.set(num, issuer);
                    }
                    if (ok) {
                        search &= ~SEARCH_UNTRUSTED;
                        Trust t = checkTrust(chain, checkFrom, store, partial);
                        if (t.replacedLeaf != null) {
                            chain.set(0, t.replacedLeaf);
                            numUntrusted = 0;
                        }
                        if (t.trusted) {
                            trusted = true;
                            decided = true;
                            continue;
                        }
                        if (selfSigned == 0) {
                            continue;
                        }
                    }
                }
                if ((search & SEARCH_UNTRUSTED) == 0) {
                    break; // trusted-first: no alternative chains to try
                }
            }
            if ((search & SEARCH_UNTRUSTED) != 0) {
                num = chain.size();
                CertInfo curr = chain.get(num - 1);
                CertInfo issuer = curr.selfSigned() > 0 || num > maxDepth ? null : bestIssuer(pool, curr, now, chain);
                if (issuer == null) {
                    search &= ~SEARCH_UNTRUSTED;
                    search |= SEARCH_TRUSTED;
                    continue;
                }
                pool.remove(issuer);
                chain.add(issuer);
                numUntrusted++;
            }
        }
        int num = chain.size();
        if (!trusted && num <= maxDepth && num == numUntrusted) {
            Trust t = checkTrust(chain, num, store, partial); // a partial chain may trust the leaf itself
            if (t.replacedLeaf != null) {
                chain.set(0, t.replacedLeaf);
                numUntrusted = 0;
            }
            trusted = t.trusted;
        }
        if (!trusted) {
            X509Error preliminary = log.last();
            if (preliminary != null) {
                log.report(preliminary, num - 1); // a preliminary error (a weak leaf key) becomes final
            } else if (num > maxDepth) {
                log.report(X509Error.CERT_CHAIN_TOO_LONG, num - 1);
            } else if (chain.get(num - 1).selfSigned() > 0) {
                log.report(num == 1 ? X509Error.DEPTH_ZERO_SELF_SIGNED_CERT : X509Error.SELF_SIGNED_CERT_IN_CHAIN,
                        num - 1);
            } else {
                log.report(numUntrusted < num ? X509Error.UNABLE_TO_GET_ISSUER_CERT
                        : X509Error.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, num - 1);
            }
        }
        return new Built(List.copyOf(chain), numUntrusted, trusted, false);
    }

    private record Trust(boolean trusted, CertInfo replacedLeaf) {
    }

    /** OpenSSL's {@code check_trust}: a self-signed store certificate from {@code from} up ends the chain. */
    private static Trust checkTrust(List<CertInfo> chain, int from, TrustStore store, boolean partial) {
        for (int i = from; i < chain.size(); i++) {
            CertInfo x = chain.get(i);
            if (!x.invalid() && x.has(CertInfo.SS)) {
                return new Trust(true, null);
            }
        }
        if (from < chain.size()) {
            return new Trust(partial, null);
        }
        if (partial) {
            CertInfo match = store.exactMatch(chain.get(0));
            if (match != null) {
                return new Trust(true, match);
            }
        }
        return new Trust(false, null);
    }

    /**
     * OpenSSL's {@code get0_best_issuer_sk}: the first candidate that likely issued {@code x} and is valid at
     * {@code now}, else the one of them that expires last. With {@code chain}, certificates already in it are
     * skipped (but a self-issued leaf may be its own issuer).
     */
    static CertInfo bestIssuer(List<CertInfo> candidates, CertInfo x, Instant now, List<CertInfo> chain) {
        CertInfo best = null;
        for (CertInfo candidate : candidates) {
            if (chain != null && !(x.has(CertInfo.SI) && chain.size() == 1)
                    && chain.stream().anyMatch(candidate::same)) {
                continue;
            }
            if (CertInfo.likelyIssued(candidate, x)) {
                if (candidate.validAt(now)) {
                    return candidate;
                }
                if (best == null || later(candidate.notAfter, best.notAfter)) {
                    best = candidate;
                }
            }
        }
        return best;
    }

    private static boolean later(Instant a, Instant b) {
        return a != null && (b == null || a.isAfter(b));
    }
}
