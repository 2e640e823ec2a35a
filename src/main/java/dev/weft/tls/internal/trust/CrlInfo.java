package dev.weft.tls.internal.trust;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;

/**
 * One CRL as OpenSSL's verifier sees it ({@code crl_cb} in x_crl.c): its issuer, dates, authority key identifier,
 * issuing distribution point flags, whether it has critical extensions OpenSSL does not handle, and its entries.
 */
final class CrlInfo {
    static final int IDP_INVALID = 0x2;
    static final int IDP_ONLYUSER = 0x4;
    static final int IDP_ONLYCA = 0x8;
    static final int IDP_ONLYATTR = 0x10;
    static final int IDP_INDIRECT = 0x20;
    static final int IDP_REASONS = 0x40;

    final X509CRL crl;
    final CanonicalName issuer;
    final Instant lastUpdate; // null: malformed
    final Instant nextUpdate; // null: absent (see hasNextUpdate) or malformed
    final boolean hasNextUpdate;
    final AuthorityKeyIdentifier authorityKeyId;
    final IssuingDistributionPoint idp;
    int idpFlags;
    boolean critical;
    final boolean delta;
    /** Revoked serial → reason code (-1 when the entry has none). */
    private final Map<BigInteger, Integer> revoked = new HashMap<>();

    CrlInfo(X509CRL crl) {
        this.crl = crl;
        CertificateList list;
        try {
            list = CertificateList.getInstance(ASN1Primitive.fromByteArray(crl.getEncoded()));
        } catch (java.io.IOException | java.security.cert.CRLException e) {
            throw new IllegalArgumentException("cannot parse CRL " + crl.getIssuerX500Principal() + ": " + e, e);
        }
        TBSCertList tbs = list.getTBSCertList();
        this.issuer = CanonicalName.of(tbs.getIssuer());
        this.lastUpdate = time(tbs.getThisUpdate());
        this.hasNextUpdate = tbs.getNextUpdate() != null;
        this.nextUpdate = hasNextUpdate ? time(tbs.getNextUpdate()) : null;
        Extensions exts = tbs.getExtensions();
        AuthorityKeyIdentifier akid = null;
        IssuingDistributionPoint point = null;
        boolean isDelta = false;
        if (exts != null) {
            for (org.bouncycastle.asn1.ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
                Extension e = exts.getExtension(oid);
                boolean handled = oid.equals(Extension.issuingDistributionPoint)
                        || oid.equals(Extension.authorityKeyIdentifier) || oid.equals(Extension.deltaCRLIndicator);
                if (e.isCritical() && !handled) {
                    critical = true;
                }
            }
            try {
                akid = AuthorityKeyIdentifier.fromExtensions(exts);
            } catch (RuntimeException e) {
                akid = null;
            }
            isDelta = exts.getExtension(Extension.deltaCRLIndicator) != null;
            try {
                ASN1Encodable v = exts.getExtensionParsedValue(Extension.issuingDistributionPoint);
                if (v != null) {
                    point = IssuingDistributionPoint.getInstance(v);
                    int only = 0;
                    if (point.onlyContainsUserCerts()) {
                        idpFlags |= IDP_ONLYUSER;
                        only++;
                    }
                    if (point.onlyContainsCACerts()) {
                        idpFlags |= IDP_ONLYCA;
                        only++;
                    }
                    if (point.onlyContainsAttributeCerts()) {
                        idpFlags |= IDP_ONLYATTR;
                        only++;
                    }
                    if (only > 1) {
                        idpFlags |= IDP_INVALID;
                    }
                    if (point.isIndirectCRL()) {
                        idpFlags |= IDP_INDIRECT;
                    }
                    if (point.getOnlySomeReasons() != null) {
                        idpFlags |= IDP_REASONS;
                    }
                }
            } catch (RuntimeException e) {
                idpFlags |= IDP_INVALID;
            }
        }
        this.authorityKeyId = akid;
        this.idp = point;
        this.delta = isDelta;
        for (TBSCertList.CRLEntry entry : tbs.getRevokedCertificates()) {
            int reason = -1;
            Extensions entryExts = entry.getExtensions();
            if (entryExts != null) {
                for (org.bouncycastle.asn1.ASN1ObjectIdentifier oid : entryExts.getExtensionOIDs()) {
                    if (entryExts.getExtension(oid).isCritical() && !oid.equals(Extension.certificateIssuer)) {
                        critical = true;
                    }
                }
                try {
                    ASN1Encodable r = entryExts.getExtensionParsedValue(Extension.reasonCode);
                    if (r != null) {
                        reason = CRLReason.getInstance(r).getValue().intValue();
                    }
                } catch (RuntimeException e) {
                    reason = -1;
                }
            }
            revoked.put(entry.getUserCertificate().getValue(), reason);
        }
    }

    /** The reason code of {@code serial}'s entry (-1 when it has none), or null when the CRL does not list it. */
    Integer revocation(BigInteger serial) {
        return revoked.get(serial);
    }

    static final int REASON_REMOVE_FROM_CRL = 8;

    private static Instant time(Time t) {
        ASN1Primitive p = t.toASN1Primitive();
        String s;
        try {
            byte[] enc = p.getEncoded(ASN1Encoding.DER);
            s = new String(enc, 2, enc.length - 2, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        return CertInfo.parseTime(s, p instanceof ASN1UTCTime);
    }
}
