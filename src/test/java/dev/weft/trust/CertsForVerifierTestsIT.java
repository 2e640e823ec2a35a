package dev.weft.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate builder's controls for odd certificates, as the trust corpus uses them, read back by openssl. */
class CertsForVerifierTestsIT {
    private static final HeldCertificate ROOT = Certs.ca("builder test root").build();

    @TempDir
    Path dir;

    private String text(HeldCertificate h) throws Exception {
        Path f = Files.writeString(dir.resolve("c.pem"), h.certificatePem());
        return Tool.check(null, "openssl", "x509", "-noout", "-text", "-in", f.toString());
    }

    private static X509CertificateHolder holder(HeldCertificate h) throws Exception {
        return new X509CertificateHolder(h.certificate().getEncoded());
    }

    @Test
    void nameConstraintsAreCriticalAndReadAsOpensslWritesThem() throws Exception {
        HeldCertificate ca = Certs.intermediate("nc").nameConstraints(
                List.of("DNS:example.com", "DNS:.example.org", "IP:10.0.0.0/8", "IP:192.0.2.0/255.255.255.0",
                        "IP:2001:db8::/32", "email:.example.com", "email:user@example.com", "URI:.example.com",
                        "dirName:/O=Good/CN=x", "DNS:"),
                List.of("DNS:bad.example.com", "RID:1.2.3.4")).signedBy(ROOT).build();
        String t = text(ca);
        assertTrue(t.contains("X509v3 Name Constraints: critical"), t);
        for (String s : List.of("DNS:example.com", "DNS:.example.org", "IP:10.0.0.0/255.0.0.0",
                "IP:192.0.2.0/255.255.255.0", "IP:2001:DB8:0:0:0:0:0:0/FFFF:FFFF:0:0:0:0:0:0", "email:.example.com",
                "email:user@example.com", "URI:.example.com", "DirName:O = Good, CN = x", "DNS:bad.example.com",
                "Registered ID:1.2.3.4")) {
            assertTrue(t.contains(s), s + " in\n" + t);
        }
        assertThrows(IllegalArgumentException.class, () -> Certs.leaf("x").nameConstraints(List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Certs.leaf("x").nameConstraints(List.of("IP:10.0.0.0"),
                List.of()));
        assertThrows(IllegalArgumentException.class, () -> Certs.leaf("x").nameConstraints(List.of("X400:x"),
                List.of()));
    }

    @Test
    void keyUsageAndExtendedKeyUsageAreExactlyWhatIsAsked() throws Exception {
        HeldCertificate leaf = Certs.server("a.example.com").keyUsage("keyAgreement", "cRLSign")
                .extendedKeyUsage("clientAuth", "anyExtendedKeyUsage", "1.2.3.4").critical("extendedKeyUsage", true)
                .signedBy(ROOT).build();
        String t = text(leaf);
        assertTrue(t.contains("X509v3 Key Usage: critical\n                Key Agreement, CRL Sign"), t);
        assertTrue(t.contains("X509v3 Extended Key Usage: critical\n                TLS Web Client Authentication,"
                + " Any Extended Key Usage, 1.2.3.4"), t);
        assertFalse(t.contains("Server Authentication"), t);
        assertTrue(holder(Certs.server("x").withoutExtension("keyUsage").withoutExtension("extendedKeyUsage").build())
                .getExtensions().getExtension(Extension.keyUsage) == null);
        assertThrows(IllegalArgumentException.class, () -> Certs.leaf("x").keyUsage("everything"));
        assertThrows(IllegalArgumentException.class, () -> Certs.leaf("x").keyUsage());
        assertThrows(IllegalArgumentException.class, () -> Certs.leaf("x").extendedKeyUsage());
    }

    @Test
    void basicConstraintsCanBeSetOnAnyRoleOrLeftOut() throws Exception {
        HeldCertificate leafCa = Certs.leaf("x").basicConstraints(true).pathLength(2).signedBy(ROOT).build();
        assertEquals(2, leafCa.certificate().getBasicConstraints());
        assertTrue(text(leafCa).contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:2"));
        HeldCertificate notCa = Certs.intermediate("i").basicConstraints(false).signedBy(ROOT).build();
        assertEquals(-1, notCa.certificate().getBasicConstraints());
        assertTrue(text(notCa).contains("Certificate Sign"), "the intermediate's default key usage stays");
        HeldCertificate nonCritical = Certs.intermediate("i").critical("basicConstraints", false).signedBy(ROOT).build();
        assertTrue(text(nonCritical).contains("X509v3 Basic Constraints: \n                CA:TRUE"));
        assertNull(holder(Certs.intermediate("i").withoutExtension("basicConstraints").signedBy(ROOT).build())
                .getExtensions().getExtension(Extension.basicConstraints));
        assertThrows(IllegalStateException.class, () -> Certs.leaf("x").pathLength(0));
    }

    @Test
    void aRawExtensionReplacesTheDefaultInPlaceAndNewOnesComeLast() throws Exception {
        byte[] nul = {5, 0};
        HeldCertificate h = Certs.leaf("x").extension("1.3.6.1.4.1.55555.1", true, nul)
                .extension("subjectKeyIdentifier", false, new byte[] {4, 2, 1, 2}).signedBy(ROOT).build();
        List<?> oids = List.of(holder(h).getExtensions().getExtensionOIDs());
        assertEquals(List.of(Extension.basicConstraints, Extension.keyUsage, Extension.subjectKeyIdentifier,
                Extension.authorityKeyIdentifier, new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1")),
                oids);
        assertTrue(h.certificate().getCriticalExtensionOIDs().contains("1.3.6.1.4.1.55555.1"));
        assertArrayEquals(new byte[] {1, 2}, org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(
                holder(h).getExtension(Extension.subjectKeyIdentifier).getParsedValue()).getKeyIdentifier());
        assertThrows(IllegalStateException.class, () -> Certs.leaf("x").critical("nameConstraints", true).build());
        assertThrows(IllegalArgumentException.class, () -> Certs.leaf("x").withoutExtension("noSuchExtension"));
    }

    @Test
    void keyIdentifiersIssuerSignatureAndVersionCanBeChosen() throws Exception {
        HeldCertificate h = Certs.leaf("x").subjectKeyIdentifier(new byte[] {9, 9})
                .authorityKeyIdentifier(new byte[] {7, 7}).issuerName("/O=Elsewhere/CN=Nobody")
                .signatureAlgorithm("SHA1withECDSA").signedBy(ROOT).build();
        String t = text(h);
        assertTrue(t.contains("Issuer: O = Elsewhere, CN = Nobody"), t);
        assertTrue(t.contains("Signature Algorithm: ecdsa-with-SHA1"), t);
        assertTrue(t.contains("X509v3 Subject Key Identifier: \n                09:09"), t);
        assertTrue(t.contains("X509v3 Authority Key Identifier: \n                07:07"), t);
        h.certificate().verify(ROOT.certificate().getPublicKey()); // still signed by the signedBy issuer's key

        HeldCertificate v1 = Certs.ca("v1").version1().san("x.example.com").build();
        X509Certificate c = v1.certificate();
        assertEquals(1, c.getVersion());
        assertNull(c.getCriticalExtensionOIDs());
        assertNull(c.getNonCriticalExtensionOIDs());

        HeldCertificate md5 = Certs.leaf("m").keyPair(KeyType.RSA_2048.generate()).signatureAlgorithm("MD5withRSA")
                .build();
        assertTrue(text(md5).contains("Signature Algorithm: md5WithRSAEncryption"));
    }

    @Test
    void weakRsaKeysOfAnySizeFrom512Bits() {
        assertEquals(512, ((RSAKey) KeyType.rsaKeyPair(512).getPublic()).getModulus().bitLength());
        assertEquals(1024, ((RSAKey) Certs.leaf("w").keyPair(KeyType.rsaKeyPair(1024)).build().certificate()
                .getPublicKey()).getModulus().bitLength());
        assertThrows(IllegalArgumentException.class, () -> KeyType.rsaKeyPair(256));
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(KeyType.rsaKeyPair(768).getPublic()));
    }
}
