package dev.weft.cert;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certificate signing requests: the {@code openssl req -new} and {@code openssl x509 -req -signkey}
 * steps in code. Stateless and thread-safe; nothing blocks on I/O.
 *
 * <p>Differences from Node: Node cannot make or sign a CSR; its users run {@code openssl}.
 */
public final class CertificateRequests {
    private CertificateRequests() {
    }

    /**
     * {@return a signed CSR as a PEM {@code CERTIFICATE REQUEST} block, like {@code openssl req -new -key K -subj S}}
     *
     * @param keyPair the key pair: the request carries its public key and is signed with its private key
     * @param subject OpenSSL {@code /C=UK/O=node.js/CN=localhost} or RFC 4514 {@code CN=localhost,O=node.js}
     * @param sans subject alternative names, typed as {@link Certs.Builder#san} does ({@code DNS:x},
     *     {@code IP:1.2.3.4}, or detected); put in an extensionRequest attribute; may be empty
     */
    public static String create(KeyPair keyPair, String subject, List<String> sans) {
        X500Name name = Names.parseDn(subject);
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(name, keyPair.getPublic());
            if (!sans.isEmpty()) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.stream().map(Names::san).toArray(GeneralName[]::new)));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            PrivateKey key = keyPair.getPrivate();
            PKCS10CertificationRequest csr = b.build(new JcaContentSignerBuilder(Certs.signatureAlgorithm(key)).build(key));
            return Pem.block("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make CSR for " + subject + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the first {@code CERTIFICATE REQUEST} (or {@code NEW CERTIFICATE REQUEST}) block of a PEM text.
     *
     * @param pem PEM text holding the request
     * @return the request, its signature verified
     * @throws IllegalArgumentException if there is none, or its signature does not verify
     */
    public static CertificateRequest parse(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PKCS10CertificationRequest csr) {
                    CertificateRequest r = new CertificateRequest(csr);
                    if (!r.signatureValid()) {
                        throw new IllegalArgumentException("CSR signature does not verify (subject " + r.subject() + ")");
                    }
                    return r;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed CSR PEM: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no CERTIFICATE REQUEST block in PEM input");
    }

    /**
     * {@return a certificate self-signed from a CSR, as {@code openssl x509 -req -in csr -signkey key -days N} makes:
     * issuer = subject = the CSR's subject, the CSR's public key, valid from now for {@code validity}, a
     * random serial, the CSR's subjectAltName copied from its extensionRequest, plus key identifiers}
     *
     * @param csr the certificate request
     * @param key the private key of the request's public key, which signs the certificate
     * @param validity how long the certificate is valid, from now
     * @throws IllegalArgumentException if {@code key} is not the private half of the CSR's public key
     */
    public static HeldCertificate selfSign(CertificateRequest csr, PrivateKey key, Duration validity) {
        PublicKey pub = csr.publicKey();
        if (!matches(key, pub)) {
            throw new IllegalArgumentException("private key does not match the CSR's public key (subject "
                    + csr.subject() + "); was the CSR made with another key?");
        }
        Instant now = Certs.now();
        BigInteger serial = Certs.randomSerial();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(csr.subjectName(), serial,
                    Date.from(now), Date.from(now.plus(validity)), csr.subjectName(), pub);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pub));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(pub));
            Extension san = csr.subjectAltNameExtension();
            if (san != null) {
                b.addExtension(san);
            }
            var cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(Certs.signatureAlgorithm(key)).build(key)));
            return new HeldCertificate(cert, new KeyPair(pub, key), null);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign certificate for " + csr.subject() + ": " + e.getMessage(), e);
        }
    }

    /** True if {@code key} signs what {@code pub} verifies. */
    static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())
                && !(isEd(key.getAlgorithm()) && isEd(pub.getAlgorithm()))) {
            return false;
        }
        try {
            String alg = Certs.signatureAlgorithm(key);
            byte[] data = "weft key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isEd(String alg) {
        return alg.equals("Ed25519") || alg.equals("EdDSA");
    }
}
