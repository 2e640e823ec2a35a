package dev.weft.tls.internal.trust;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Bouncy Castle's RFC 5280 path validator ({@code CertPathValidator} "PKIX"), the maintained code every verdict
 * needs: no chain is authorized unless it accepts the path below the trust anchor, with the anchor's key, at the
 * verification time, with the CRLs when any are given. It is told only which critical extensions OpenSSL handles
 * that it does not know (so it refuses no more than OpenSSL for them), and nothing that could make it accept more.
 */
final class PkixValidation {
    /** Critical extensions OpenSSL handles on any certificate that Bouncy Castle leaves unresolved on a CA. */
    private static final Set<String> OPENSSL_HANDLED = Set.of(
            "2.16.840.1.113730.1.1", // Netscape certificate type (OpenSSL reads it for the purpose check)
            "2.5.29.31", // CRL distribution points
            "2.5.29.37", // extended key usage (OpenSSL's purpose check covers CAs too)
            "1.3.6.1.5.5.7.48.1.5"); // OCSP no-check

    private static volatile Provider provider;

    private PkixValidation() {
    }

    /** The outcome: null error when the validator accepted the path. */
    record Outcome(X509Error error, int depth, String detail) {
        boolean accepted() {
            return error == null;
        }
    }

    static Provider provider() {
        Provider p = provider;
        if (p == null) {
            synchronized (PkixValidation.class) {
                p = provider;
                if (p == null) {
                    p = provider = new BouncyCastleProvider(); // private: never registered in the JVM
                }
            }
        }
        return p;
    }

    /**
     * Validates {@code chain} (leaf first, ending at its trust anchor) at {@code now}; with {@code crls}, every
     * certificate below the anchor must have its issuer's CRL and not be revoked.
     */
    static Outcome validate(List<CertInfo> chain, Instant now, List<X509CRL> crls, Deadline deadline) {
        return validate(chain, now, crls, deadline, provider());
    }

    /** As {@link #validate(List, Instant, List, Deadline)} with another provider's "PKIX" (measurements only). */
    static Outcome validate(List<CertInfo> chain, Instant now, List<X509CRL> crls, Deadline deadline,
            Provider validator) {
        int anchorIndex = chain.size() - 1;
        CertInfo anchor = chain.get(anchorIndex);
        List<X509Certificate> path = new ArrayList<>();
        for (CertInfo c : chain.subList(0, anchorIndex)) {
            path.add(c.cert);
        }
        boolean revocation = !crls.isEmpty();
        if (path.isEmpty()) {
            if (anchor.selfSigned() <= 0) {
                // a trusted certificate that is not self-signed, trusted as itself (a partial chain of one):
                // RFC 5280 has no path to validate; the exact match in the trusted set is the whole of it
                return new Outcome(null, 0, null);
            }
            path.add(anchor.cert); // a trusted self-signed peer certificate is its own anchor and path
            revocation = false; // OpenSSL checks no CRL for a self-signed certificate
        }
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor.cert, null)));
            params.setDate(Date.from(now));
            params.setPolicyQualifiersRejected(false);
            params.setRevocationEnabled(revocation);
            if (revocation) {
                Collection<Object> stores = new ArrayList<>(crls);
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(stores)));
            }
            params.addCertPathChecker(new Checker(deadline));
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            CertPathValidator.getInstance("PKIX", validator).validate(certPath, params);
            return new Outcome(null, 0, null);
        } catch (CertPathValidatorException e) {
            int depth = e.getIndex() < 0 ? anchorIndex : e.getIndex();
            return new Outcome(map(e), depth, describe(e));
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | CertificateException e) {
            return new Outcome(X509Error.UNSPECIFIED, 0, e.toString());
        } catch (Deadline.VerificationTimeout e) {
            throw e;
        } catch (RuntimeException e) {
            // a validator that breaks on a crafted certificate has not accepted it
            return new Outcome(X509Error.UNSPECIFIED, 0, e.toString());
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!b.isEmpty()) {
                b.append(": ");
            }
            b.append(t.getMessage());
        }
        return b.toString();
    }

    /**
     * Words of Bouncy Castle's refusal (lower case) and the OpenSSL error they mean, tried in this order: the first
     * entry with a word in the message wins.
     */
    private static final List<Map.Entry<List<String>, X509Error>> REFUSALS = List.of(
            Map.entry(List.of("excluded"), X509Error.EXCLUDED_VIOLATION),
            Map.entry(List.of("subtree", "permitted"), X509Error.PERMITTED_VIOLATION),
            Map.entry(List.of("expired"), X509Error.CERT_HAS_EXPIRED),
            Map.entry(List.of("not valid till", "not yet valid"), X509Error.CERT_NOT_YET_VALID),
            Map.entry(List.of("revoked", "revocation"), X509Error.CERT_REVOKED),
            Map.entry(List.of("crl"), X509Error.UNABLE_TO_GET_CRL),
            Map.entry(List.of("critical extension"), X509Error.UNHANDLED_CRITICAL_EXTENSION),
            Map.entry(List.of("path length"), X509Error.PATH_LENGTH_EXCEEDED),
            Map.entry(List.of("not a ca", "version 1 certificates"), X509Error.INVALID_CA),
            Map.entry(List.of("keyusage", "key usage"), X509Error.KEYUSAGE_NO_CERTSIGN),
            Map.entry(List.of("signature"), X509Error.CERT_SIGNATURE_FAILURE),
            Map.entry(List.of("policy"), X509Error.NO_EXPLICIT_POLICY));

    /** The OpenSSL error closest to what Bouncy Castle refused, for the rare chain it refuses and OpenSSL does not. */
    static X509Error map(CertPathValidatorException e) {
        String m = describe(e).toLowerCase(Locale.ROOT);
        for (Map.Entry<List<String>, X509Error> r : REFUSALS) {
            if (r.getKey().stream().anyMatch(m::contains)) {
                return r.getValue();
            }
        }
        return X509Error.CERT_REJECTED;
    }

    /** Resolves the critical extensions OpenSSL handles, and bounds the validation's time. */
    private static final class Checker extends PKIXCertPathChecker {
        private final Deadline deadline;

        Checker(Deadline deadline) {
            this.deadline = deadline;
        }

        @Override
        public void init(boolean forward) {
            // stateless
        }

        @Override
        public boolean isForwardCheckingSupported() {
            return true;
        }

        @Override
        public Set<String> getSupportedExtensions() {
            return OPENSSL_HANDLED;
        }

        @Override
        public void check(java.security.cert.Certificate cert, Collection<String> unresolvedCritExts) {
            deadline.check();
            unresolvedCritExts.removeAll(OPENSSL_HANDLED);
        }
    }
}
