package dev.weft.cert;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate revocation lists (X.509 v2 CRLs) signed by a CA made with {@link Certs}. With one in place,
 * {@code openssl verify -crl_check -CRLfile crl.pem -CAfile root.pem leaf.pem} fails with
 * "certificate revoked" for a listed serial. Stateless and thread-safe.
 *
 * <p>Differences from Node: Node only reads CRLs (the {@code crl} option, which weft's
 * {@link dev.weft.tls.ContextOptions.Builder#crl(String)} mirrors); it cannot make one.
 */
public final class Crls {
    private Crls() {
    }

    /**
     * {@return a CRL listing {@code revoked} (revoked now), CRL number 1, valid from now for 30 days}
     *
     * @param ca the CA that signs the CRL, holding its private key
     * @param revoked the serial numbers of the revoked certificates
     */
    public static X509CRL create(HeldCertificate ca, Collection<BigInteger> revoked) {
        Instant now = Certs.now();
        Map<BigInteger, Instant> m = new LinkedHashMap<>();
        for (BigInteger s : revoked) {
            m.put(s, now);
        }
        return create(ca, m, BigInteger.ONE, now, now.plus(Duration.ofDays(30)));
    }

    /**
     * {@return a CRL signed by {@code ca} listing each serial with its revocation time, with the CRL number,
     * thisUpdate and nextUpdate given, and the CA's authority key identifier}
     *
     * @param ca the CA that signs the CRL, holding its private key
     * @param revoked the serial numbers of the revoked certificates
     * @param crlNumber the CRL number extension
     * @param thisUpdate when this CRL was issued
     * @param nextUpdate when the next CRL is due
     */
    public static X509CRL create(HeldCertificate ca, Map<BigInteger, Instant> revoked, BigInteger crlNumber,
            Instant thisUpdate, Instant nextUpdate) {
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        revoked.forEach((serial, when) -> b.addCRLEntry(serial, Date.from(when), CRLReason.unspecified));
        try {
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.keyPair().getPublic()));
            return new JcaX509CRLConverter().getCRL(
                    b.build(new JcaContentSignerBuilder(Certs.signatureAlgorithm(ca.privateKey())).build(ca.privateKey())));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make CRL for " + issuer + ": " + e.getMessage(), e);
        }
    }
}
