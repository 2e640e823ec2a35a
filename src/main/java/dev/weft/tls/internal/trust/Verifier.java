package dev.weft.tls.internal.trust;

import dev.weft.tls.ErrorCode;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Certificate chain verification with Node's verdict and code. Three parts, each with one job:
 * <ol>
 *   <li>{@link ChainBuilder} picks the chain OpenSSL would build from what the peer sent and the trusted
 *       certificates;</li>
 *   <li>{@link OpensslChecks} makes the checks OpenSSL makes, in its order, and records each failure as Node's
 *       callback sees it (the last one is what Node reports);</li>
 *   <li>{@link PkixValidation} runs Bouncy Castle's RFC 5280 validator on the same chain.</li>
 * </ol>
 * A chain is authorized only when the validator accepts it <em>and</em> no OpenSSL check failed; weft's own code can
 * refuse a chain the validator accepts (for what OpenSSL checks and PKIX does not: the anchor's name constraints,
 * CA purposes, key and digest strength, the common name as a host name, …) and names the refusal, but never
 * accepts what the validator refused. Each verification has a deadline ({@link #DEFAULT_BUDGET}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Verifier {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.verify");

    /** Which end presented the chain: the purpose its certificates must allow. */
    public enum Purpose {
        /** A server's chain, checked by a client (OpenSSL's {@code sslserver}). */
        SERVER,
        /** A client's chain, checked by a server (OpenSSL's {@code sslclient}). */
        CLIENT
    }

    /** The code of a verification that ran past its deadline (weft's own: OpenSSL has no deadline). */
    public static final String TIMEOUT_CODE = ErrorCode.CERT_VERIFY_TIMEOUT.code();

    /** How long one verification may take by default; far above any legitimate chain. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(5);

    /**
     * OpenSSL's security level as Node 24 uses it (OpenSSL 3.5's default {@code @SECLEVEL=2}; Node 20 used 1): keys
     * of at least 112 bits of strength (RSA 2048, P-224), and no signature weaker than SHA-224 below the trust anchor.
     */
    static final int SECURITY_LEVEL = 2;

    /**
     * The outcome of one verification.
     *
     * @param code    null when the chain verified, else Node's code, e.g. {@code CERT_HAS_EXPIRED}
     * @param message OpenSSL's text for the error (null when verified)
     * @param path    the chain as built: the peer's certificate first, then its issuers as far as they were found,
     *                including a trusted root the peer did not send
     * @param depth   the depth of the certificate the error concerns (0: the peer's own), or -1
     * @param openssl OpenSSL's number for the error ({@code X509_V_ERR_*}), or 0
     */
    public record Result(String code, String message, List<X509Certificate> path, int depth, int openssl) {
        /** A result with a code and message of the caller's (a host-name mismatch, for instance). */
        public Result(String code, String message, List<X509Certificate> path) {
            this(code, message, path, -1, 0);
        }

        /** {@return whether the chain verified} */
        public boolean authorized() {
            return code == null;
        }
    }

    private final TrustStore store;
    private final List<X509CRL> crls;
    private final List<CrlInfo> crlInfos;
    private final boolean allowPartialTrustChain;
    private final boolean systemRootsHint;
    private final java.security.Provider validator; // null: Bouncy Castle's

    /**
     * @param trusted                the trusted certificates (Node's {@code ca}, or the default roots)
     * @param crls                   CRLs; when any is given, every certificate of a chain needs its issuer's
     * @param allowPartialTrustChain whether a trusted certificate that is not self-signed may end a chain
     */
    public Verifier(List<X509Certificate> trusted, List<X509CRL> crls, boolean allowPartialTrustChain) {
        this(trusted, crls, allowPartialTrustChain, true);
    }

    /**
     * @param systemRootsHint whether refusals for a missing issuer suggest trusting the system's roots (as Node 24's
     *                        messages suggest {@code --use-system-ca}); false when they are trusted already
     */
    public Verifier(List<X509Certificate> trusted, List<X509CRL> crls, boolean allowPartialTrustChain,
            boolean systemRootsHint) {
        this(trusted, crls, allowPartialTrustChain, systemRootsHint, null);
    }

    /** With another provider's PKIX validator than Bouncy Castle's: for measuring one against the other only. */
    Verifier(List<X509Certificate> trusted, List<X509CRL> crls, boolean allowPartialTrustChain,
            boolean systemRootsHint, java.security.Provider validator) {
        this.validator = validator;
        this.systemRootsHint = systemRootsHint;
        this.store = new TrustStore(trusted);
        this.crls = List.copyOf(crls);
        List<CrlInfo> infos = new ArrayList<>();
        for (X509CRL c : this.crls) {
            infos.add(new CrlInfo(c));
        }
        this.crlInfos = List.copyOf(infos);
        this.allowPartialTrustChain = allowPartialTrustChain;
    }

    /** {@return the certificates this verifier trusts} */
    public List<X509Certificate> trusted() {
        return store.certificates();
    }

    /** Verifies {@code sent} (the peer's chain, leaf first, as it was sent) for {@code purpose} at {@code now}. */
    public Result verify(List<X509Certificate> sent, Purpose purpose, Date now) {
        return verify(sent, purpose, now.toInstant(), DEFAULT_BUDGET);
    }

    /**
     * Verifies {@code sent} (the peer's chain, leaf first, as it was sent) for {@code purpose} at {@code at}, failing
     * with {@link #TIMEOUT_CODE} when it takes longer than {@code budget}.
     */
    public Result verify(List<X509Certificate> sent, Purpose purpose, Instant at, Duration budget) {
        if (sent == null || sent.isEmpty()) {
            // Node's code for "no peer certificate" since v0.6
            return fail(X509Error.UNABLE_TO_GET_ISSUER_CERT, 0, List.of());
        }
        Deadline deadline = new Deadline(budget);
        List<CertInfo> infos = new ArrayList<>();
        try {
            for (X509Certificate c : sent) {
                infos.add(CertInfo.of(c));
            }
        } catch (CertificateException e) {
            return fail(X509Error.UNSPECIFIED, infos.size(), List.of(sent.getFirst()));
        }
        Instant now = Instant.ofEpochSecond(at.getEpochSecond());
        ErrorLog log = new ErrorLog();
        ChainBuilder.Built built = null;
        try {
            CertInfo leaf = infos.getFirst();
            if (!OpensslChecks.keyStrongEnough(leaf, SECURITY_LEVEL)) {
                log.report(X509Error.EE_KEY_TOO_SMALL, 0);
            }
            built = ChainBuilder.build(leaf, infos, store, allowPartialTrustChain, now, log, deadline);
            if (!built.internal()) {
                OpensslChecks checks = new OpensslChecks(built.chain(), built.numUntrusted(), now, SECURITY_LEVEL,
                        allowPartialTrustChain, log, deadline);
                checks.extensions(purpose == Purpose.SERVER ? OpensslChecks.Purpose.SSL_SERVER
                        : OpensslChecks.Purpose.SSL_CLIENT);
                checks.securityLevel();
                if (!crlInfos.isEmpty()) {
                    checks.revocation(crlInfos);
                }
                checks.signaturesAndValidity();
                checks.nameConstraints();
            }
            List<X509Certificate> path = certificates(built.chain());
            ErrorLog.Entry last = log.lastEntry();
            if (last != null) {
                return fail(last.error(), last.depth(), path);
            }
            PkixValidation.Outcome pkix = PkixValidation.validate(built.chain(), now, crls, deadline,
                    validator != null ? validator : PkixValidation.provider());
            if (!pkix.accepted()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Bouncy Castle's PKIX validator refused a chain that OpenSSL's "
                        + "checks accept (" + pkix.error() + "): " + pkix.detail());
                return fail(pkix.error(), pkix.depth(), path);
            }
            return new Result(null, null, path, -1, 0);
        } catch (Deadline.VerificationTimeout e) {
            List<X509Certificate> path = built == null ? List.of(sent.getFirst()) : certificates(built.chain());
            return new Result(TIMEOUT_CODE, e.getMessage(), path, -1, 0);
        } catch (RuntimeException e) {
            // a certificate weft's reading of it cannot handle is refused, never let through or thrown at the provider
            LOG.log(System.Logger.Level.DEBUG, () -> "certificate chain refused: cannot process it: " + e);
            return fail(X509Error.UNSPECIFIED, 0, built == null ? List.of(sent.getFirst()) : certificates(built.chain()));
        }
    }

    private static List<X509Certificate> certificates(List<CertInfo> chain) {
        List<X509Certificate> out = new ArrayList<>(chain.size());
        for (CertInfo c : chain) {
            out.add(c.cert);
        }
        return List.copyOf(out);
    }

    /** The errors whose message Node 24 ends with a hint to trust the system's roots. */
    private static final java.util.Set<X509Error> HINTED = java.util.EnumSet.of(
            X509Error.UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509Error.DEPTH_ZERO_SELF_SIGNED_CERT,
            X509Error.UNABLE_TO_GET_ISSUER_CERT);

    /** The hint Node 24 appends ({@code --use-system-ca}), in weft's terms. */
    public static final String SYSTEM_ROOTS_HINT =
            "; if the root CA is installed locally, try trustedRoots(TrustedRoots.SYSTEM_PLUS_CA)";

    private Result fail(X509Error error, int depth, List<X509Certificate> path) {
        String message = systemRootsHint && HINTED.contains(error) ? error.text() + SYSTEM_ROOTS_HINT : error.text();
        return new Result(error.nodeCode(), message, path, depth, error.number());
    }

    @Override
    public String toString() {
        return "Verifier[" + store.certificates().size() + " trusted, " + crls.size() + " CRLs"
                + (allowPartialTrustChain ? ", partial chains" : "") + "]";
    }
}
