package dev.weft.tls.internal;

import dev.weft.tls.TlsException;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** TEMPORARY minimal reader, replaced by the full credentials reader. */
public final class PemReader {
    private PemReader() {
    }

    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
    }

    public static PrivateKey privateKey(byte[] pem, char[] passphrase) throws TlsException {
        try (PEMParser p = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.UTF_8))) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) {
                    return new JcaPEMKeyConverter().getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo pki) {
                    return new JcaPEMKeyConverter().getPrivateKey(pki);
                }
            }
        } catch (Exception e) {
            throw new TlsException("ERR_OSSL_UNSUPPORTED", "bad key: " + e, e);
        }
        throw new TlsException(ErrorCodes.NO_START_LINE, "no key");
    }

    public static List<X509Certificate> certificates(byte[] pem, String option) throws TlsException {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new TlsException(ErrorCodes.NO_START_LINE, "no certificate in " + option);
            }
            return out;
        } catch (java.security.cert.CertificateException e) {
            throw new TlsException(ErrorCodes.NO_START_LINE, "bad certificate in " + option, e);
        }
    }

    public static List<X509CRL> crls(byte[] pem) throws TlsException {
        try {
            List<X509CRL> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(pem))) {
                out.add((X509CRL) c);
            }
            return out;
        } catch (Exception e) {
            throw new TlsException(ErrorCodes.NO_START_LINE, "bad crl", e);
        }
    }

    public static KeyAndChain pkcs12(byte[] der, char[] passphrase) throws TlsException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(der), passphrase);
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (var c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return new KeyAndChain((PrivateKey) ks.getKey(alias, passphrase), chain);
                }
            }
        } catch (Exception e) {
            throw new TlsException("ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE", "pfx: " + e, e);
        }
        throw new TlsException("ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE", "pfx has no key");
    }

    public static void checkKeyMatchesCertificate(PrivateKey key, X509Certificate cert) throws TlsException {
    }
}
