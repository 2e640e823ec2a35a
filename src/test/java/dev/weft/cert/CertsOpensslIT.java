package dev.weft.cert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Tool;
import dev.weft.tls.internal.pem.PemReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code dev.weft.cert} against the real openssl CLI, both ways: what weft makes, openssl parses and verifies;
 * what openssl makes, weft reads and signs with.
 */
class CertsOpensslIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    static HeldCertificate root;
    static HeldCertificate intermediate;

    @BeforeAll
    static void makeCa() {
        root = Certs.ca("Weft Test Root").build();
        intermediate = Certs.intermediate("Weft Test Intermediate").pathLength(0).signedBy(root).build();
    }

    Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    String openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return Tool.check(dir, cmd.toArray(String[]::new));
    }

    String opensslFails(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Tool t = Tool.run(WAIT, dir, cmd.toArray(String[]::new));
        assertNotEquals(0, t.exitCode(), () -> "openssl " + String.join(" ", args) + " succeeded: " + t.stdout());
        return t.stdout() + t.stderr();
    }

    String text(Path cert) {
        return openssl("x509", "-noout", "-text", "-in", cert.toString());
    }

    /** The public key openssl derives from a private key file, DER (SubjectPublicKeyInfo). */
    byte[] opensslPublicKey(Path key, String... passin) throws Exception {
        Path out = dir.resolve(key.getFileName() + ".pub.der");
        List<String> args = new ArrayList<>(List.of("pkey", "-pubout", "-outform", "DER", "-in", key.toString(),
                "-out", out.toString()));
        args.addAll(List.of(passin));
        openssl(args.toArray(String[]::new));
        return Files.readAllBytes(out);
    }

    // ---- weft makes, openssl reads ----

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = "RSA_4096", mode = EnumSource.Mode.EXCLUDE)
    void everyKeyTypeMakesACaOpensslVerifies(KeyType type) throws Exception {
        HeldCertificate ca = Certs.ca("CA " + type).keyType(type).build();
        assertEquals(type, KeyType.of(ca.privateKey()));
        assertEquals(type, KeyType.of(ca.certificate().getPublicKey()));
        Path key = write("key.pem", ca.privateKeyPem());
        Path cert = write("cert.pem", ca.certificatePem());
        String keyText = openssl("pkey", "-noout", "-text", "-in", key.toString());
        String certText = text(cert);
        switch (type) {
            case RSA_2048, RSA_3072, RSA_4096 -> {
                assertTrue(keyText.contains("Private-Key: (" + type.bits() + " bit, 2 primes)"), keyText);
                assertTrue(certText.contains("Signature Algorithm: sha256WithRSAEncryption"), certText);
            }
            case EC_P256, EC_P384 -> {
                assertTrue(keyText.contains("NIST CURVE: P-" + type.bits()), keyText);
                assertTrue(certText.contains("Signature Algorithm: ecdsa-with-SHA256"), certText);
            }
            case ED25519 -> {
                assertTrue(keyText.contains("ED25519 Private-Key:"), keyText);
                assertTrue(certText.contains("Signature Algorithm: ED25519"), certText);
            }
        }
        assertTrue(certText.contains("CA:TRUE") && certText.contains("Certificate Sign, CRL Sign"), certText);
        assertEquals(cert + ": OK\n", openssl("verify", "-CAfile", cert.toString(), cert.toString()));
        assertArrayEquals(ca.certificate().getPublicKey().getEncoded(), opensslPublicKey(key));
    }

    @Test
    void rootIntermediateLeafChainVerifies() throws Exception {
        HeldCertificate leaf = Certs.server("localhost").signedBy(intermediate).build();
        assertEquals(List.of(leaf.certificate(), intermediate.certificate()), leaf.chain());
        Path rootFile = write("root.pem", root.certificatePem());
        Path interFile = write("inter.pem", intermediate.certificatePem());
        Path leafFile = write("leaf.pem", leaf.certificatePem());
        assertTrue(text(interFile).contains("CA:TRUE, pathlen:0"));
        assertEquals(leafFile + ": OK\n", openssl("verify", "-CAfile", rootFile.toString(), "-untrusted",
                interFile.toString(), "-purpose", "sslserver", "-verify_hostname", "localhost", leafFile.toString()));
        Path chainFile = write("chain.pem", leaf.chainPem());
        assertEquals(chainFile + ": OK\n", openssl("verify", "-CAfile", rootFile.toString(), "-untrusted",
                chainFile.toString(), chainFile.toString()));
        assertTrue(opensslFails("verify", "-CAfile", rootFile.toString(), leafFile.toString())
                .contains("unable to get local issuer certificate"));
    }

    @Test
    void pathLengthZeroForbidsACaBelowTheIntermediate() throws Exception {
        HeldCertificate sub = Certs.intermediate("Sub CA").signedBy(intermediate).build();
        HeldCertificate leaf = Certs.server("localhost").signedBy(sub).build();
        Path rootFile = write("root.pem", root.certificatePem());
        Path untrusted = write("untrusted.pem", Pem.certificates(sub.certificate(), intermediate.certificate()));
        Path leafFile = write("leaf.pem", leaf.certificatePem());
        assertTrue(opensslFails("verify", "-CAfile", rootFile.toString(), "-untrusted", untrusted.toString(),
                leafFile.toString()).contains("path length constraint exceeded"));
    }

    @ParameterizedTest
    @CsvSource({"expired, certificate has expired", "notYetValid, certificate is not yet valid"})
    void outOfDateLeafFailsOpensslVerify(String when, String message) throws Exception {
        Certs.Builder b = Certs.server("localhost").signedBy(root);
        HeldCertificate leaf = (when.equals("expired") ? b.expired() : b.notYetValid()).build();
        Path rootFile = write("root.pem", root.certificatePem());
        Path leafFile = write("leaf.pem", leaf.certificatePem());
        assertTrue(opensslFails("verify", "-CAfile", rootFile.toString(), leafFile.toString()).contains(message));
    }

    @Test
    void everySanKindAppearsInOpensslText() throws Exception {
        HeldCertificate leaf = Certs.leaf("sans").dns("a.example.com").ip("192.0.2.7", "2001:db8::1")
                .email("ops@example.com").uri("spiffe://example.com/svc").san("DNS:b.example.com", "IP:::1")
                .signedBy(root).build();
        String t = text(write("leaf.pem", leaf.certificatePem()));
        for (String s : List.of("DNS:a.example.com", "IP Address:192.0.2.7", "IP Address:2001:DB8:0:0:0:0:0:1",
                "email:ops@example.com", "URI:spiffe://example.com/svc", "DNS:b.example.com",
                "IP Address:0:0:0:0:0:0:0:1")) {
            assertTrue(t.contains(s), s + " not in\n" + t);
        }
    }

    @Test
    void authorityInformationAccessOnlyWhenAsked() throws Exception {
        HeldCertificate with = Certs.server("localhost").ocsp("http://ocsp.example.com/")
                .caIssuers("http://ca.example.com/root.cer").signedBy(root).build();
        String t = text(write("with.pem", with.certificatePem()));
        assertTrue(t.contains("Authority Information Access"), t);
        assertTrue(t.contains("OCSP - URI:http://ocsp.example.com/"), t);
        assertTrue(t.contains("CA Issuers - URI:http://ca.example.com/root.cer"), t);
        HeldCertificate without = Certs.server("localhost").signedBy(root).build();
        assertFalse(text(write("without.pem", without.certificatePem())).contains("Authority Information Access"));
    }

    @Test
    void encryptedPkcs8DecryptsWithOpensslAndBackInWeft() throws Exception {
        HeldCertificate c = Certs.server("localhost").keyType(KeyType.RSA_2048).build();
        Path key = write("enc.pem", c.privateKeyPem("pa55 word".toCharArray()));
        assertTrue(Files.readString(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assertArrayEquals(c.certificate().getPublicKey().getEncoded(),
                opensslPublicKey(key, "-passin", "pass:pa55 word"));
        String asn1 = openssl("asn1parse", "-in", key.toString());
        assertTrue(asn1.contains("PBES2") && asn1.contains("aes-256-cbc") && asn1.contains("hmacWithSHA256"), asn1);
        assertTrue(opensslFails("pkey", "-noout", "-in", key.toString(), "-passin", "pass:wrong")
                .contains("bad decrypt"));
        PrivateKey back = PemReader.privateKey(Files.readAllBytes(key), "pa55 word".toCharArray());
        assertArrayEquals(c.privateKey().getEncoded(), back.getEncoded());
    }

    @Test
    void pkcs12PassesOpensslInfoWithItsChain() throws Exception {
        HeldCertificate leaf = Certs.server("localhost").signedBy(intermediate).build();
        Path pfx = dir.resolve("leaf.p12");
        Files.write(pfx, leaf.pkcs12("secret".toCharArray()));
        openssl("pkcs12", "-info", "-noout", "-passin", "pass:secret", "-in", pfx.toString());
        String certs = openssl("pkcs12", "-nokeys", "-passin", "pass:secret", "-in", pfx.toString());
        assertTrue(certs.contains("subject=CN = localhost"), certs);
        assertTrue(certs.contains("subject=CN = Weft Test Intermediate"), certs);
        assertFalse(certs.contains("subject=CN = Weft Test Root"), certs);
        opensslFails("pkcs12", "-info", "-noout", "-passin", "pass:wrong", "-in", pfx.toString());
    }

    @Test
    void crlRevokesForOpensslVerify() throws Exception {
        HeldCertificate revoked = Certs.server("revoked.example").signedBy(root).build();
        HeldCertificate good = Certs.server("good.example").signedBy(root).build();
        Path rootFile = write("root.pem", root.certificatePem());
        Path crl = write("crl.pem", Pem.crl(Crls.create(root, List.of(revoked.serial()))));
        Path goodFile = write("good.pem", good.certificatePem());
        Path revokedFile = write("revoked.pem", revoked.certificatePem());
        assertEquals(goodFile + ": OK\n", openssl("verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile",
                rootFile.toString(), goodFile.toString()));
        assertTrue(opensslFails("verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile", rootFile.toString(),
                revokedFile.toString()).contains("certificate revoked"));
    }

    @Test
    void csrWithSansIsVerifiedByOpenssl() throws Exception {
        KeyPair keys = KeyType.EC_P384.generate();
        Path csr = write("csr.pem", CertificateRequests.create(keys, "/C=UK/O=node.js/CN=localhost",
                List.of("DNS:localhost", "IP:127.0.0.1", "email:a@example.com")));
        Tool t = Tool.run(WAIT, dir, "openssl", "req", "-verify", "-noout", "-text", "-in", csr.toString());
        assertEquals(0, t.exitCode(), t.stderr());
        assertTrue((t.stdout() + t.stderr()).contains("verify OK"), t.stderr());
        assertTrue(t.stdout().contains("Subject: C = UK, O = node.js, CN = localhost"), t.stdout());
        assertTrue(t.stdout().contains("DNS:localhost, IP Address:127.0.0.1, email:a@example.com"), t.stdout());
    }

    // ---- openssl makes, weft reads ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "genrsa -out {out} 2048                                                   | RSA_2048 |",
            "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out {out}          | RSA_3072 |",
            "ecparam -genkey -name prime256v1 -out {out}                              | EC_P256  |",
            "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out {out}        | EC_P384  |",
            "genpkey -algorithm ED25519 -out {out}                                    | ED25519  |",
            "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:s3cret -out {out} | EC_P256 | s3cret",
            "genrsa -aes128 -passout pass:s3cret -traditional -out {out} 2048         | RSA_2048 | s3cret",
    })
    void opensslKeysAreReadAndSignCertificatesOpensslVerifies(String command, KeyType type, String passphrase)
            throws Exception {
        Path key = dir.resolve("key.pem");
        List<String> args = new ArrayList<>();
        for (String a : command.split(" ")) {
            args.add(a.replace("{out}", key.toString()));
        }
        openssl(args.toArray(String[]::new));
        PrivateKey read = PemReader.privateKey(Files.readAllBytes(key), passphrase == null ? null : passphrase.toCharArray());
        assertEquals(type, KeyType.of(read));
        KeyPair pair = KeyType.keyPairOf(read);
        String[] passin = passphrase == null ? new String[0] : new String[] {"-passin", "pass:" + passphrase};
        assertArrayEquals(opensslPublicKey(key, passin), pair.getPublic().getEncoded());

        // weft signs with the openssl key: as a CSR, and as a CA
        CertificateRequest csr = CertificateRequests.parse(CertificateRequests.create(pair, "/CN=from openssl", List.of()));
        assertTrue(csr.signatureValid());
        HeldCertificate ca = Certs.ca("openssl-keyed CA").keyPair(pair).build();
        HeldCertificate leaf = Certs.server("localhost").signedBy(ca).build();
        Path caFile = write("ca.pem", ca.certificatePem());
        Path leafFile = write("leaf.pem", leaf.certificatePem());
        assertEquals(leafFile + ": OK\n", openssl("verify", "-CAfile", caFile.toString(), leafFile.toString()));
    }

    @Test
    void opensslCsrIsParsedAndSelfSignedKeepingItsSans() throws Exception {
        Path key = dir.resolve("key.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        Path csrFile = dir.resolve("csr.pem");
        openssl("req", "-new", "-key", key.toString(), "-subj", "/C=UK/O=node.js/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", "-out", csrFile.toString());
        CertificateRequest csr = CertificateRequests.parse(Files.readString(csrFile));
        assertEquals("C=UK,O=node.js,CN=localhost", csr.subject());
        assertEquals(List.of("DNS:localhost", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1"), csr.subjectAlternativeNames());
        PrivateKey k = PemReader.privateKey(Files.readAllBytes(key), null);
        HeldCertificate self = CertificateRequests.selfSign(csr, k, Duration.ofDays(30));
        Path cert = write("cert.pem", self.certificatePem());
        String t = text(cert);
        assertTrue(t.contains("Subject: C = UK, O = node.js, CN = localhost"), t);
        assertTrue(t.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), t);
        assertEquals(cert + ": OK\n", openssl("verify", "-CAfile", cert.toString(), cert.toString()));

        PrivateKey other = KeyType.EC_P256.generate().getPrivate();
        assertThrows(IllegalArgumentException.class, () -> CertificateRequests.selfSign(csr, other, Duration.ofDays(1)));
        assertThrows(IllegalArgumentException.class, () -> CertificateRequests.parse(Files.readString(key)));
    }

    @Test
    void opensslCaBecomesAHeldCertificateThatSigns() throws Exception {
        Path key = dir.resolve("ca-key.pem");
        Path cert = dir.resolve("ca-cert.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "30", "-subj", "/O=openssl/CN=OpenSSL CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        PrivateKey k = PemReader.privateKey(Files.readAllBytes(key), null);
        List<X509Certificate> chain = PemReader.certificates(Files.readAllBytes(cert), "ca");
        HeldCertificate ca = HeldCertificate.of(k, chain);
        assertTrue(ca.selfSigned());
        assertEquals(List.of(chain.getFirst()), ca.chain());

        HeldCertificate leaf = Certs.server("localhost", "127.0.0.1").signedBy(ca).build();
        assertEquals(List.of(leaf.certificate()), leaf.chain()); // the root is not sent
        Path leafFile = write("leaf.pem", leaf.certificatePem());
        assertEquals(leafFile + ": OK\n", openssl("verify", "-CAfile", cert.toString(), "-purpose", "sslserver",
                leafFile.toString()));
        Path crl = write("crl.pem", Pem.crl(Crls.create(ca, List.of(leaf.serial(), BigInteger.TEN))));
        assertTrue(opensslFails("verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile", cert.toString(),
                leafFile.toString()).contains("certificate revoked"));

        PrivateKey other = KeyType.RSA_2048.generate().getPrivate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeldCertificate.of(other, chain));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeldCertificate.of(k, List.of()));
    }

    @Test
    void loadedIntermediateKeepsItsChainAndDropsTheRoot() {
        HeldCertificate loaded = HeldCertificate.of(intermediate.privateKey(),
                List.of(intermediate.certificate(), root.certificate()));
        assertFalse(loaded.selfSigned());
        assertEquals(List.of(intermediate.certificate()), loaded.chain());
        HeldCertificate leaf = Certs.client("client1").signedBy(loaded).build();
        assertEquals(List.of(leaf.certificate(), intermediate.certificate()), leaf.chain());
    }

    @Test
    void keyTypeOfRejectsKeysWeftDoesNotMake() throws Exception {
        Path key = dir.resolve("p521.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521", "-out", key.toString());
        PrivateKey k = PemReader.privateKey(Files.readAllBytes(key), null);
        assertThrows(IllegalArgumentException.class, () -> KeyType.of(k));
        assertArrayEquals(opensslPublicKey(key), KeyType.keyPairOf(k).getPublic().getEncoded());
    }
}
