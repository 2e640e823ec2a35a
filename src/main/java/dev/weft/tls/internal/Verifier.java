package dev.weft.tls.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Certificate chain verification that reports what OpenSSL, and so Node, reports: the same error codes, and when
 * several things are wrong the <em>last</em> error in OpenSSL's check order (chain building, then extensions and
 * purpose, then revocation, then signatures and validity from the root down).
 *
 * <p>Unlike Java's PKIX, a chain must end at a self-signed trusted certificate: a trusted intermediate is not an
 * anchor unless {@code allowPartialTrustChain} is set (OpenSSL's {@code X509_V_FLAG_PARTIAL_CHAIN}).
 * Immutable and thread-safe.
 */
public final class Verifier {
    /** Which end presented the chain: the purpose its leaf must allow. */
    public enum Purpose {
        SERVER("1.3.6.1.5.5.7.3.1"), CLIENT("1.3.6.1.5.5.7.3.2");

        final String ekuOid;

        Purpose(String ekuOid) {
            this.ekuOid = ekuOid;
        }
    }

    /**
     * The outcome of one verification.
     *
     * @param code    null when the chain verified, else the OpenSSL/Node code, e.g. {@code CERT_HAS_EXPIRED}
     * @param message OpenSSL's text for the code (null when verified)
     * @param path    the chain as built: the peer's certificate first, then its issuers as far as they were found,
     *                including a trusted root the peer did not send
     */
    public record Result(String code, String message, List<X509Certificate> path) {
        public boolean authorized() {
            return code == null;
        }
    }

    private static final Map<String, String> MESSAGES = Map.ofEntries(
            Map.entry("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"),
            Map.entry("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
            Map.entry("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
            Map.entry("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"),
            Map.entry("UNABLE_TO_GET_ISSUER_CERT", "unable to get issuer certificate"),
            Map.entry("CERT_HAS_EXPIRED", "certificate has expired"),
            Map.entry("CERT_NOT_YET_VALID", "certificate is not yet valid"),
            Map.entry("INVALID_PURPOSE", "unsuitable certificate purpose"),
            Map.entry("CERT_REVOKED", "certificate revoked"),
            Map.entry("UNABLE_TO_GET_CRL", "unable to get certificate CRL"),
            Map.entry("CRL_HAS_EXPIRED", "CRL has expired"),
            Map.entry("CRL_NOT_YET_VALID", "CRL is not yet valid"),
            Map.entry("CRL_SIGNATURE_FAILURE", "CRL signature failure"),
            Map.entry("CERT_SIGNATURE_FAILURE", "certificate signature failure"),
            Map.entry("INVALID_CA", "invalid CA certificate"),
            Map.entry("PATH_LENGTH_EXCEEDED", "path length constraint exceeded"),
            Map.entry("CERT_CHAIN_TOO_LONG", "certificate chain too long"));

    /** The most certificates a chain may have, as OpenSSL's default verify depth (100) plus the leaf. */
    static final int MAX_CHAIN = 101;

    private final List<X509Certificate> trusted;
    private final List<X509CRL> crls;
    private final boolean allowPartialTrustChain;

    public Verifier(List<X509Certificate> trusted, List<X509CRL> crls, boolean allowPartialTrustChain) {
        this.trusted = List.copyOf(trusted);
        this.crls = List.copyOf(crls);
        this.allowPartialTrustChain = allowPartialTrustChain;
    }

    /** OpenSSL's message for {@code code}, or the code itself when weft has none. */
    public static String message(String code) {
        return MESSAGES.getOrDefault(code, code);
    }

    /** The certificates this verifier trusts. */
    public List<X509Certificate> trusted() {
        return trusted;
    }

    /** Verifies {@code sent} (the peer's chain, leaf first) for {@code purpose} at {@code now}. */
    public Result verify(List<X509Certificate> sent, Purpose purpose, Date now) {
        if (sent == null || sent.isEmpty()) {
            // Node's code for "no peer certificate" since v0.6.
            return fail("UNABLE_TO_GET_ISSUER_CERT", List.of());
        }
        String code = null;
        // 1. Build the chain: the sent certificates, then the trusted store.
        List<X509Certificate> path = new ArrayList<>();
        List<X509Certificate> untrusted = new ArrayList<>(sent.subList(1, sent.size()));
        X509Certificate current = sent.getFirst();
        path.add(current);
        int trustedFrom = isTrusted(current) ? 0 : -1;
        while (trustedFrom < 0 || !(selfSigned(path.getLast()) || allowPartialTrustChain)) {
            if (path.size() > MAX_CHAIN) {
                code = "CERT_CHAIN_TOO_LONG";
                break;
            }
            X509Certificate last = path.getLast();
            if (selfSigned(last)) {
                break; // an untrusted self-signed certificate ends the chain
            }
            X509Certificate issuer = findIssuer(last, trusted);
            if (issuer != null) {
                if (trustedFrom < 0) {
                    trustedFrom = path.size();
                }
            } else if (trustedFrom < 0) {
                issuer = findIssuer(last, untrusted);
                if (issuer != null) {
                    untrusted.remove(issuer);
                }
            }
            if (issuer == null || path.contains(issuer)) {
                break;
            }
            path.add(issuer);
        }
        X509Certificate top = path.getLast();
        boolean anchored = trustedFrom >= 0 && (selfSigned(top) || allowPartialTrustChain);
        if (code == null && !anchored) {
            if (trustedFrom >= 0) {
                code = "UNABLE_TO_GET_ISSUER_CERT";
            } else if (selfSigned(top)) {
                code = path.size() == 1 ? "DEPTH_ZERO_SELF_SIGNED_CERT" : "SELF_SIGNED_CERT_IN_CHAIN";
            } else {
                code = path.size() == 1 ? "UNABLE_TO_VERIFY_LEAF_SIGNATURE" : "UNABLE_TO_GET_ISSUER_CERT_LOCALLY";
            }
        }
        // 2. Extensions: CA flags and path lengths of issuers, then the leaf's purpose.
        int plen = 0;
        for (int i = 1; i < path.size(); i++) {
            X509Certificate ca = path.get(i);
            boolean v1Root = ca.getVersion() < 3 && selfSigned(ca);
            int pathLen = ca.getBasicConstraints();
            if (pathLen < 0 && !v1Root) {
                code = "INVALID_CA";
            } else if (!v1Root && ca.getKeyUsage() != null && !ca.getKeyUsage()[5]) {
                code = "INVALID_CA";
            } else if (pathLen >= 0 && pathLen != Integer.MAX_VALUE && plen > pathLen) {
                code = "PATH_LENGTH_EXCEEDED";
            }
            if (!selfIssued(ca)) {
                plen++;
            }
        }
        if (!allowsPurpose(path.getFirst(), purpose)) {
            code = "INVALID_PURPOSE";
        }
        // 3. Revocation of the peer's certificate, when CRLs were given.
        if (!crls.isEmpty() && path.size() > 1) {
            String crlCode = checkRevocation(path.get(0), path.get(1), now);
            if (crlCode != null) {
                code = crlCode;
            }
        }
        // 4. Signatures and validity, from the top of the chain down to the peer's certificate.
        for (int i = path.size() - 1; i >= 0; i--) {
            X509Certificate c = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : (selfSigned(c) ? c : null);
            if (issuer != null && i + 1 < path.size() && !signedBy(c, issuer)) {
                code = "CERT_SIGNATURE_FAILURE";
            }
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException e) {
                code = "CERT_HAS_EXPIRED";
            } catch (CertificateNotYetValidException e) {
                code = "CERT_NOT_YET_VALID";
            }
        }
        return code == null ? new Result(null, null, List.copyOf(path)) : fail(code, path);
    }

    private static Result fail(String code, List<X509Certificate> path) {
        return new Result(code, message(code), List.copyOf(path));
    }

    private String checkRevocation(X509Certificate cert, X509Certificate issuer, Date now) {
        X509CRL crl = null;
        for (X509CRL candidate : crls) {
            if (candidate.getIssuerX500Principal().equals(cert.getIssuerX500Principal())) {
                crl = candidate;
            }
        }
        if (crl == null) {
            return "UNABLE_TO_GET_CRL";
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            return "CRL_SIGNATURE_FAILURE";
        }
        if (crl.getThisUpdate() != null && crl.getThisUpdate().after(now)) {
            return "CRL_NOT_YET_VALID";
        }
        if (crl.getNextUpdate() != null && crl.getNextUpdate().before(now)) {
            return "CRL_HAS_EXPIRED";
        }
        BigInteger serial = cert.getSerialNumber();
        return crl.getRevokedCertificate(serial) != null ? "CERT_REVOKED" : null;
    }

    private boolean isTrusted(X509Certificate c) {
        for (X509Certificate t : trusted) {
            if (t.equals(c)) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate findIssuer(X509Certificate c, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(c.getIssuerX500Principal())
                    && !candidate.equals(c) && signedBy(c, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    static boolean selfSigned(X509Certificate c) {
        return selfIssued(c) && signedBy(c, c);
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean allowsPurpose(X509Certificate leaf, Purpose purpose) {
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(purpose.ekuOid)) { // as OpenSSL, anyExtendedKeyUsage alone is not enough
                return false;
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && purpose == Purpose.SERVER && !(ku[0] || ku[2] || ku[4])) {
            return false; // neither digitalSignature, keyEncipherment nor keyAgreement
        }
        return ku == null || purpose != Purpose.CLIENT || ku[0] || ku[4];
    }

    @Override
    public String toString() {
        return "Verifier" + Arrays.asList(trusted.size(), crls.size(), allowPartialTrustChain);
    }
}
