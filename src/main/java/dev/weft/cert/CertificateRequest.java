package dev.weft.cert;

import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A parsed PKCS#10 certificate signing request (see {@link CertificateRequests}). Immutable and thread-safe;
 * byte arrays are copied on the way out.
 *
 * <p>Differences from Node: Node has no CSR type; its users run {@code openssl req}.
 */
public final class CertificateRequest {
    private final JcaPKCS10CertificationRequest csr;

    CertificateRequest(PKCS10CertificationRequest csr) {
        this.csr = new JcaPKCS10CertificationRequest(Objects.requireNonNull(csr, "csr"));
    }

    /** {@return the requested subject, RFC 4514 style as Bouncy Castle prints it (first RDN first)} */
    public String subject() {
        return csr.getSubject().toString();
    }

    X500Name subjectName() {
        return csr.getSubject();
    }

    /** {@return the public key to be certified} */
    public PublicKey publicKey() {
        try {
            return csr.getPublicKey();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("CSR public key unreadable: " + e.getMessage(), e);
        }
    }

    /** The subjectAltName extension from the request's extensionRequest attribute, or null. */
    Extension subjectAltNameExtension() {
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable v : a.getAttrValues()) {
                Extension e = Extensions.getInstance(v).getExtension(Extension.subjectAlternativeName);
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    /**
     * {@return the requested subject alternative names, as {@code DNS:x}, {@code IP:1.2.3.4}, {@code email:x}, {@code
     * URI:x}}
     */
    public List<String> subjectAlternativeNames() {
        Extension e = subjectAltNameExtension();
        List<String> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        for (GeneralName n : GeneralNames.getInstance(e.getParsedValue()).getNames()) {
            out.add(switch (n.getTagNo()) {
                case GeneralName.dNSName -> "DNS:" + ASN1IA5String.getInstance(n.getName()).getString();
                case GeneralName.rfc822Name -> "email:" + ASN1IA5String.getInstance(n.getName()).getString();
                case GeneralName.uniformResourceIdentifier -> "URI:" + ASN1IA5String.getInstance(n.getName()).getString();
                case GeneralName.iPAddress -> "IP:" + ipText(DEROctetString.getInstance(n.getName()).getOctets());
                default -> n.toString();
            });
        }
        return List.copyOf(out);
    }

    private static String ipText(byte[] a) {
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "<invalid length=" + a.length + ">";
        }
    }

    /** {@return true if the request's self-signature verifies with its own public key} */
    public boolean signatureValid() {
        try {
            return csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()));
        } catch (Exception e) {
            return false;
        }
    }

    /** {@return the DER encoding} */
    public byte[] encoded() {
        try {
            return csr.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return the request as a PEM {@code CERTIFICATE REQUEST} block} */
    public String pem() {
        return Pem.block("CERTIFICATE REQUEST", encoded());
    }

    @Override
    public String toString() {
        return "CertificateRequest[" + subject() + "]";
    }
}
