package dev.weft.tls.internal.trust;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.ReasonFlags;

/**
 * The checks OpenSSL's {@code verify_chain} makes on a built chain, in its order, each reporting to an
 * {@link ErrorLog} and going on as Node's callback lets it: extensions and purpose, security level, CRLs,
 * signatures and validity from the top down, name constraints. They can only add refusals: whether a chain is
 * trusted also needs the PKIX validator's acceptance ({@link PkixValidation}).
 */
final class OpensslChecks {
    /** Which end the chain authenticates: the purpose OpenSSL checks ({@code X509_PURPOSE_SSL_SERVER/CLIENT}). */
    enum Purpose {
        SSL_SERVER, SSL_CLIENT
    }

    private static final int[] MIN_BITS = {80, 112, 128, 192, 256};

    private final List<CertInfo> chain;
    private final int numUntrusted;
    private final Instant now;
    private final int securityLevel;
    private final boolean partial;
    private final ErrorLog log;
    private final Deadline deadline;

    OpensslChecks(List<CertInfo> chain, int numUntrusted, Instant now, int securityLevel, boolean partial,
            ErrorLog log, Deadline deadline) {
        this.chain = chain;
        this.numUntrusted = numUntrusted;
        this.now = now;
        this.securityLevel = securityLevel;
        this.partial = partial;
        this.log = log;
        this.deadline = deadline;
    }

    /** Whether {@code x}'s key meets the security level ({@code check_key_level}). */
    static boolean keyStrongEnough(CertInfo x, int level) {
        if (level <= 0) {
            return true;
        }
        return x.publicKey != null && x.keySecurityBits >= MIN_BITS[Math.min(level, MIN_BITS.length) - 1];
    }

    private boolean signatureStrongEnough(CertInfo x) {
        if (securityLevel <= 0) {
            return true;
        }
        return x.signatureSecurityBits >= MIN_BITS[Math.min(securityLevel, MIN_BITS.length) - 1];
    }

    /** {@code check_extensions}: critical extensions, CA flags, explicit curves, purpose, path lengths. */
    void extensions(Purpose purpose) {
        int num = chain.size();
        int mustBeCa = -1;
        int plen = 0;
        int proxyPathLength = 0;
        for (int i = 0; i < num; i++) {
            CertInfo x = chain.get(i);
            if (x.has(CertInfo.CRITICAL)) {
                log.report(X509Error.UNHANDLED_CRITICAL_EXTENSION, i);
            }
            if (x.has(CertInfo.PROXY)) {
                log.report(X509Error.PROXY_CERTIFICATES_NOT_ALLOWED, i);
            }
            int ca = x.invalid() ? 0 : checkCa(x);
            if (mustBeCa == 0 && ca != 0) {
                log.report(X509Error.INVALID_NON_CA, i);
            } else if (mustBeCa > 0 && (ca == 0 || (i + 1 < num && ca != 1))) {
                log.report(X509Error.INVALID_CA, i);
            }
            if (num > 1) {
                if (x.explicitCurve < 0) {
                    log.report(X509Error.UNSPECIFIED, i);
                } else if (x.explicitCurve > 0) {
                    log.report(X509Error.EC_KEY_EXPLICIT_PARAMS, i);
                }
            }
            if (!x.invalid() && !allowsPurpose(x, purpose, mustBeCa > 0)) {
                log.report(X509Error.INVALID_PURPOSE, i);
            }
            if (i > 1 && x.pathLen != -1 && plen > x.pathLen + proxyPathLength) {
                log.report(X509Error.PATH_LENGTH_EXCEEDED, i);
            }
            if (i > 0 && !x.has(CertInfo.SI)) {
                plen++;
            }
            if (x.has(CertInfo.PROXY)) {
                if (x.proxyPathLen != -1) {
                    proxyPathLength = (int) Math.min(x.proxyPathLen, Integer.MAX_VALUE);
                }
                proxyPathLength++;
                mustBeCa = 0;
            } else {
                mustBeCa = 1;
            }
        }
    }

    /** OpenSSL's {@code check_ca}: 0 not a CA, 1 a CA, 3 a v1 root, 4 keyCertSign without basicConstraints, 5 Netscape. */
    static int checkCa(CertInfo x) {
        if (kuReject(x, CertInfo.KU_KEY_CERT_SIGN)) {
            return 0;
        }
        if (x.has(CertInfo.BCONS)) {
            return x.has(CertInfo.CA) ? 1 : 0;
        }
        if (x.has(CertInfo.V1) && x.has(CertInfo.SS)) {
            return 3;
        }
        if (x.has(CertInfo.KUSAGE)) {
            return 4;
        }
        if (x.has(CertInfo.NSCERT) && (x.nsCertType & CertInfo.NS_ANY_CA) != 0) {
            return 5;
        }
        return 0;
    }

    /** OpenSSL's {@code check_purpose_ssl_server} / {@code check_purpose_ssl_client}. */
    static boolean allowsPurpose(CertInfo x, Purpose purpose, boolean nonLeaf) {
        if (purpose == Purpose.SSL_SERVER) {
            if (xkuReject(x, CertInfo.XKU_SSL_SERVER | CertInfo.XKU_SGC)) {
                return false;
            }
            if (nonLeaf) {
                return checkSslCa(x);
            }
            return !nsReject(x, CertInfo.NS_SSL_SERVER) && !kuReject(x,
                    CertInfo.KU_DIGITAL_SIGNATURE | CertInfo.KU_KEY_ENCIPHERMENT | CertInfo.KU_KEY_AGREEMENT);
        }
        if (xkuReject(x, CertInfo.XKU_SSL_CLIENT)) {
            return false;
        }
        if (nonLeaf) {
            return checkSslCa(x);
        }
        return !kuReject(x, CertInfo.KU_DIGITAL_SIGNATURE | CertInfo.KU_KEY_AGREEMENT)
                && !nsReject(x, CertInfo.NS_SSL_CLIENT);
    }

    private static boolean checkSslCa(CertInfo x) {
        int ca = checkCa(x);
        return ca != 0 && (ca != 5 || (x.nsCertType & CertInfo.NS_SSL_CA) != 0);
    }

    private static boolean kuReject(CertInfo x, int usage) {
        return x.has(CertInfo.KUSAGE) && (x.keyUsage & usage) == 0;
    }

    private static boolean xkuReject(CertInfo x, int usage) {
        return x.has(CertInfo.XKUSAGE) && (x.extKeyUsage & usage) == 0;
    }

    private static boolean nsReject(CertInfo x, int usage) {
        return x.has(CertInfo.NSCERT) && (x.nsCertType & usage) == 0;
    }

    /** {@code check_auth_level}: CA keys, and signatures below the top, meet the security level. */
    void securityLevel() {
        int num = chain.size();
        for (int i = 0; i < num; i++) {
            CertInfo x = chain.get(i);
            if (i > 0 && !keyStrongEnough(x, securityLevel)) {
                log.report(X509Error.CA_KEY_TOO_SMALL, i);
            }
            if (i < num - 1 && !signatureStrongEnough(x)) {
                log.report(X509Error.CA_MD_TOO_WEAK, i);
            }
        }
    }

    // ---- CRLs: check_revocation with X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL, as Node sets with `crl`

    private static final int CRL_SCORE_NOCRITICAL = 0x100;
    private static final int CRL_SCORE_SCOPE = 0x080;
    private static final int CRL_SCORE_TIME = 0x040;
    private static final int CRL_SCORE_ISSUER_NAME = 0x020;
    private static final int CRL_SCORE_ISSUER_CERT = 0x018;
    private static final int CRL_SCORE_SAME_PATH = 0x008;
    private static final int CRL_SCORE_AKID = 0x004;
    private static final int ALL_REASONS = 0x807f;

    /**
     * {@code check_revocation} as OpenSSL 3.5 (Node 24) runs it: every certificate of the chain, the trust anchor
     * included, against its issuer's CRL; a self-signed certificate against its own. (OpenSSL's development branch
     * skips self-signed certificates and stops below a partial chain's anchor; 3.5 and 3.0 do not, and a verdict
     * more trusting than Node 24's is not weft's to give. {@code CertVerifyCommandIT} compares both live.)
     */
    void revocation(List<CrlInfo> crls) {
        int last = chain.size() - 1;
        for (int i = 0; i <= last; i++) {
            deadline.check();
            certificateCrl(i, crls);
        }
    }

    private record Scored(CrlInfo crl, int score, CertInfo issuer, int reasons) {
    }

    private void certificateCrl(int i, List<CrlInfo> crls) {
        CertInfo x = chain.get(i);
        if (x.has(CertInfo.PROXY)) {
            return;
        }
        int reasons = 0;
        while (reasons != ALL_REASONS) {
            int lastReasons = reasons;
            Scored best = null;
            for (CrlInfo crl : crls) {
                if (!crl.issuer.equals(x.issuer)) {
                    continue; // the store is searched by the certificate's issuer name
                }
                Scored s = score(crl, x, i, reasons);
                if (s == null || (best != null && s.score < best.score)) {
                    continue;
                }
                if (best != null && s.score == best.score && !newer(crl, best.crl)) {
                    continue;
                }
                best = s;
            }
            if (best == null) {
                log.report(X509Error.UNABLE_TO_GET_CRL, i);
                return;
            }
            checkCrl(best, i);
            if (best.crl.critical) {
                log.report(X509Error.UNHANDLED_CRITICAL_CRL_EXTENSION, i);
            }
            Integer reason = best.crl.revocation(x.serial);
            if (reason != null && reason != CrlInfo.REASON_REMOVE_FROM_CRL) {
                log.report(X509Error.CERT_REVOKED, i);
            }
            reasons = best.reasons;
            if (lastReasons == reasons) {
                log.report(X509Error.UNABLE_TO_GET_CRL, i);
                return;
            }
        }
    }

    private static boolean newer(CrlInfo a, CrlInfo b) {
        return a.lastUpdate != null && b.lastUpdate != null && a.lastUpdate.isAfter(b.lastUpdate);
    }

    /** OpenSSL's {@code get_crl_score}: how well {@code crl} fits certificate {@code x} at depth {@code i}. */
    private Scored score(CrlInfo crl, CertInfo x, int i, int reasonsSoFar) {
        if ((crl.idpFlags & CrlInfo.IDP_INVALID) != 0 || crl.delta
                || (crl.idpFlags & (CrlInfo.IDP_INDIRECT | CrlInfo.IDP_REASONS)) != 0) {
            return null;
        }
        int score = CRL_SCORE_ISSUER_NAME; // the issuer names match: the caller looked them up so
        if (!crl.critical) {
            score |= CRL_SCORE_NOCRITICAL;
        }
        if (crlTimeError(crl) == null) {
            score |= CRL_SCORE_TIME;
        }
        int cidx = i == chain.size() - 1 ? i : i + 1;
        CertInfo issuer = null;
        if (issuedCrl(chain.get(cidx), crl)) {
            score |= CRL_SCORE_AKID | CRL_SCORE_ISSUER_CERT;
            issuer = chain.get(cidx);
        } else {
            for (int j = cidx + 1; j < chain.size(); j++) {
                if (issuedCrl(chain.get(j), crl)) {
                    score |= CRL_SCORE_AKID | CRL_SCORE_SAME_PATH;
                    issuer = chain.get(j);
                    break;
                }
            }
        }
        if ((score & CRL_SCORE_AKID) == 0) {
            return null;
        }
        int reasons = reasonsSoFar;
        int scope = crlDistributionPointScope(x, crl, score);
        if (scope >= 0) {
            if ((scope & ~reasonsSoFar) == 0) {
                return null;
            }
            reasons |= scope;
            score |= CRL_SCORE_SCOPE;
        }
        return new Scored(crl, score, issuer, reasons);
    }

    private static boolean issuedCrl(CertInfo issuer, CrlInfo crl) {
        return issuer.subject.equals(crl.issuer) && CertInfo.checkAkid(issuer, crl.authorityKeyId) == null;
    }

    /** OpenSSL's {@code crl_crldp_check}: the reasons {@code crl} covers for {@code x}, or -1 when out of scope. */
    private static int crlDistributionPointScope(CertInfo x, CrlInfo crl, int score) {
        if ((crl.idpFlags & CrlInfo.IDP_ONLYATTR) != 0) {
            return -1;
        }
        if (x.has(CertInfo.CA) ? (crl.idpFlags & CrlInfo.IDP_ONLYUSER) != 0
                : (crl.idpFlags & CrlInfo.IDP_ONLYCA) != 0) {
            return -1;
        }
        int reasons = ALL_REASONS;
        DistributionPointName idpName = crl.idp == null ? null : crl.idp.getDistributionPoint();
        for (DistributionPoint dp : x.crlDistributionPoints) {
            boolean issuerOk;
            if (dp.getCRLIssuer() == null) {
                issuerOk = (score & CRL_SCORE_ISSUER_NAME) != 0;
            } else {
                issuerOk = false;
                for (GeneralName g : dp.getCRLIssuer().getNames()) {
                    if (g.getTagNo() == GeneralName.directoryName && CanonicalName.of(
                            org.bouncycastle.asn1.x500.X500Name.getInstance(g.getName())).equals(crl.issuer)) {
                        issuerOk = true;
                        break;
                    }
                }
            }
            if (issuerOk && (crl.idp == null || sameDistributionPoint(dp.getDistributionPoint(), idpName))) {
                ReasonFlags r = dp.getReasons();
                return r == null ? reasons : reasons & reasonBits(r);
            }
        }
        return (crl.idp == null || idpName == null) && (score & CRL_SCORE_ISSUER_NAME) != 0 ? reasons : -1;
    }

    private static int reasonBits(ReasonFlags r) {
        byte[] b = r.getBytes();
        int v = (b.length > 0 ? b[0] & 0xff : 0) | (b.length > 1 ? (b[1] & 0xff) << 8 : 0);
        return v & ALL_REASONS;
    }

    /** OpenSSL's {@code idp_check_dp}, for full names (a relative name matches only an identical one). */
    private static boolean sameDistributionPoint(DistributionPointName a, DistributionPointName b) {
        if (a == null || b == null) {
            return true;
        }
        if (a.getType() != DistributionPointName.FULL_NAME || b.getType() != DistributionPointName.FULL_NAME) {
            return a.equals(b);
        }
        for (GeneralName ga : org.bouncycastle.asn1.x509.GeneralNames.getInstance(a.getName()).getNames()) {
            for (GeneralName gb : org.bouncycastle.asn1.x509.GeneralNames.getInstance(b.getName()).getNames()) {
                if (ga.equals(gb)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** OpenSSL's {@code check_crl}: the chosen CRL's issuer, scope, time and signature. */
    private void checkCrl(Scored s, int i) {
        CertInfo issuer = s.issuer;
        if (issuer == null) {
            int top = chain.size() - 1;
            if (i < top) {
                issuer = chain.get(i + 1);
            } else {
                issuer = chain.get(top);
                if (!CertInfo.likelyIssued(issuer, issuer)) {
                    log.report(X509Error.UNABLE_TO_GET_CRL_ISSUER, i);
                }
            }
        }
        if (issuer.has(CertInfo.KUSAGE) && (issuer.keyUsage & CertInfo.KU_CRL_SIGN) == 0) {
            log.report(X509Error.KEYUSAGE_NO_CRL_SIGN, i);
        }
        if ((s.score & CRL_SCORE_SCOPE) == 0) {
            log.report(X509Error.DIFFERENT_CRL_SCOPE, i);
        }
        if ((s.score & CRL_SCORE_TIME) == 0) {
            for (X509Error e : crlTimeErrors(s.crl)) {
                log.report(e, i);
            }
        }
        if (issuer.publicKey == null) {
            log.report(X509Error.UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, i);
        } else {
            try {
                s.crl.crl.verify(issuer.publicKey);
            } catch (GeneralSecurityException | RuntimeException e) {
                log.report(X509Error.CRL_SIGNATURE_FAILURE, i);
            }
        }
    }

    private X509Error crlTimeError(CrlInfo crl) {
        List<X509Error> errors = crlTimeErrors(crl);
        return errors.isEmpty() ? null : errors.getFirst();
    }

    /** {@code ossl_x509_check_crl_time}: the errors of {@code crl}'s dates at this verification's time. */
    private List<X509Error> crlTimeErrors(CrlInfo crl) {
        long t = now.getEpochSecond();
        java.util.ArrayList<X509Error> out = new java.util.ArrayList<>();
        if (crl.lastUpdate == null) {
            out.add(X509Error.ERROR_IN_CRL_LAST_UPDATE_FIELD);
        } else if (t < crl.lastUpdate.getEpochSecond()) {
            out.add(X509Error.CRL_NOT_YET_VALID);
        }
        if (crl.hasNextUpdate) {
            if (crl.nextUpdate == null) {
                out.add(X509Error.ERROR_IN_CRL_NEXT_UPDATE_FIELD);
            } else if (crl.nextUpdate != Instant.MAX && t > crl.nextUpdate.getEpochSecond()) {
                out.add(X509Error.CRL_HAS_EXPIRED);
            }
        }
        return out;
    }

    /** {@code internal_verify}: each signature by the next certificate's key, and each certificate's dates. */
    void signaturesAndValidity() {
        int n = chain.size() - 1;
        CertInfo xi = chain.get(n);
        CertInfo xs = xi;
        if (!CertInfo.likelyIssued(xi, xi) && !partial) {
            if (n > 0) {
                n--;
                xs = chain.get(n);
            } else {
                log.report(X509Error.UNABLE_TO_VERIFY_LEAF_SIGNATURE, 0);
            }
        }
        while (n >= 0) {
            deadline.check();
            if (xs != xi) {
                int issuerDepth = n + 1;
                if (!xs.has(CertInfo.PROXY) ? kuReject(xi, CertInfo.KU_KEY_CERT_SIGN)
                        : kuReject(xi, CertInfo.KU_DIGITAL_SIGNATURE)) {
                    log.report(xs.has(CertInfo.PROXY) ? X509Error.KEYUSAGE_NO_DIGITAL_SIGNATURE : X509Error.KEYUSAGE_NO_CERTSIGN,
                            issuerDepth);
                }
                if (xi.publicKey == null) {
                    log.report(X509Error.UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, issuerDepth);
                } else if (!signedBy(xs, xi)) {
                    log.report(X509Error.CERT_SIGNATURE_FAILURE, n);
                }
            }
            checkTime(xs, n);
            if (--n >= 0) {
                xi = xs;
                xs = chain.get(n);
            }
        }
    }

    private static boolean signedBy(CertInfo subject, CertInfo issuer) {
        try {
            subject.cert.verify(issuer.publicKey);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private void checkTime(CertInfo x, int depth) {
        long t = now.getEpochSecond();
        if (x.notBefore == null) {
            log.report(X509Error.ERROR_IN_CERT_NOT_BEFORE_FIELD, depth);
        } else if (t < x.notBefore.getEpochSecond()) {
            log.report(X509Error.CERT_NOT_YET_VALID, depth);
        }
        if (x.notAfter == null) {
            log.report(X509Error.ERROR_IN_CERT_NOT_AFTER_FIELD, depth);
        } else if (x.notAfter != Instant.MAX && t > x.notAfter.getEpochSecond()) {
            log.report(X509Error.CERT_HAS_EXPIRED, depth);
        }
    }

    /** {@code check_name_constraints}: each certificate's names against the constraints of every CA above it. */
    void nameConstraints() {
        int num = chain.size();
        for (int i = num - 1; i >= 0; i--) {
            CertInfo x = chain.get(i);
            if (i != 0 && x.has(CertInfo.SI)) {
                continue;
            }
            for (int j = num - 1; j > i; j--) {
                deadline.check();
                CertInfo ca = chain.get(j);
                if (ca.nameConstraints == null) {
                    continue;
                }
                X509Error r = NameConstraintsCheck.check(x, ca.nameConstraints);
                if (r == null && i == 0 && !NameConstraintsCheck.hasDnsName(x)) {
                    r = NameConstraintsCheck.checkCommonNames(x, ca.nameConstraints);
                }
                if (r != null) {
                    log.report(r, i);
                }
            }
        }
    }
}
