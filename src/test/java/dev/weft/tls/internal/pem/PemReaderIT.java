package dev.weft.tls.internal.pem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.tls.TlsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every input is made by the real openssl CLI at test time; nothing is checked in. */
class PemReaderIT {

    private static final char[] PASS = "x".toCharArray();

    @TempDir
    static Path dir;

    // shared keys and self-signed certificates, made once
    static Path rsaKey;
    static Path rsaCert;
    static Path ecKey;
    static Path ecCert;

    @BeforeAll
    static void makeSharedCredentials() throws Exception {
        rsaKey = openssl("rsa.key", "genrsa", "-out", "{out}", "2048");
        rsaCert = selfSigned(rsaKey, "localhost");
        ecKey = openssl("ec.key", "ecparam", "-genkey", "-name", "prime256v1", "-out", "{out}");
        ecCert = selfSigned(ecKey, "localhost");
    }

    // ---- keys: every format openssl writes ----

    @Test
    void readsPkcs8RsaKeyFromGenrsa() throws Exception {
        assertTrue(text(rsaKey).contains("-----BEGIN PRIVATE KEY-----"));
        PrivateKey key = PemReader.privateKey(bytes(rsaKey), null);
        assertInstanceOf(RSAPrivateKey.class, key);
        assertMatches(key, rsaCert);
    }

    @Test
    void readsTraditionalPkcs1RsaKey() throws Exception {
        Path key = openssl("rsa1.key", "genrsa", "-traditional", "-out", "{out}", "2048");
        assertTrue(text(key).contains("-----BEGIN RSA PRIVATE KEY-----"));
        assertMatches(PemReader.privateKey(bytes(key), null), selfSigned(key, "localhost"));
    }

    @Test
    void readsSec1EcKeyAfterEcParametersBlock() throws Exception {
        assertTrue(text(ecKey).startsWith("-----BEGIN EC PARAMETERS-----"));
        assertTrue(text(ecKey).contains("-----BEGIN EC PRIVATE KEY-----"));
        PrivateKey key = PemReader.privateKey(bytes(ecKey), null);
        assertInstanceOf(ECPrivateKey.class, key);
        assertMatches(key, ecCert);
    }

    @Test
    void readsP384Key() throws Exception {
        Path key = openssl("p384.key", "ecparam", "-genkey", "-name", "secp384r1", "-noout", "-out", "{out}");
        PrivateKey read = PemReader.privateKey(bytes(key), null);
        assertEquals(384, ((ECPrivateKey) read).getParams().getCurve().getField().getFieldSize());
        assertMatches(read, selfSigned(key, "localhost"));
    }

    @Test
    void readsEd25519Key() throws Exception {
        Path key = openssl("ed.key", "genpkey", "-algorithm", "ed25519", "-out", "{out}");
        PrivateKey read = PemReader.privateKey(bytes(key), null);
        assertTrue(read.getAlgorithm().startsWith("Ed"), read.getAlgorithm());
        assertMatches(read, selfSigned(key, "localhost"));
    }

    @Test
    void readsEncryptedPkcs8Key() throws Exception {
        Path key = openssl("enc8.key", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", rsaKey.toString(),
                "-passout", "pass:x", "-out", "{out}");
        assertTrue(text(key).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertMatches(PemReader.privateKey(bytes(key), PASS), rsaCert);
    }

    @Test
    void readsGenrsaAes256Key() throws Exception {
        Path key = openssl("genrsa-aes.key", "genrsa", "-aes256", "-passout", "pass:x", "-out", "{out}", "2048");
        Path cert = openssl("genrsa-aes.crt", "req", "-x509", "-key", key.toString(), "-passin", "pass:x",
                "-subj", "/CN=localhost", "-days", "1", "-out", "{out}");
        assertMatches(PemReader.privateKey(bytes(key), PASS), cert);
    }

    @Test
    void readsLegacyEncryptedRsaKey() throws Exception {
        Path key = legacyEncryptedRsa();
        assertTrue(text(key).contains("Proc-Type: 4,ENCRYPTED"));
        assertMatches(PemReader.privateKey(bytes(key), PASS), rsaCert);
    }

    @Test
    void readsLegacyEncryptedEcKey() throws Exception {
        Path key = legacyEncryptedEc();
        assertTrue(text(key).contains("Proc-Type: 4,ENCRYPTED"));
        assertMatches(PemReader.privateKey(bytes(key), PASS), ecCert);
    }

    @Test
    void readsFirstKeyWhenCertificateComesFirst() throws Exception {
        byte[] both = (text(rsaCert) + text(rsaKey)).getBytes(StandardCharsets.US_ASCII);
        assertMatches(PemReader.privateKey(both, null), rsaCert);
    }

    // ---- certificates ----

    @Test
    void keepsChainOrderLeafFirst() throws Exception {
        Path caKey = openssl("chain-ca.key", "genrsa", "-out", "{out}", "2048");
        Path ca = selfSigned(caKey, "Root");
        Path interCsr = openssl("inter.csr", "req", "-new", "-key", ecKey.toString(), "-subj", "/CN=Intermediate",
                "-out", "{out}");
        Path ext = write("ca.ext", "basicConstraints=critical,CA:true\n");
        Path inter = openssl("inter.crt", "x509", "-req", "-in", interCsr.toString(), "-CA", ca.toString(),
                "-CAkey", caKey.toString(), "-days", "1", "-extfile", ext.toString(), "-out", "{out}");
        Path leafCsr = openssl("leaf.csr", "req", "-new", "-key", rsaKey.toString(), "-subj", "/CN=localhost",
                "-out", "{out}");
        Path leaf = openssl("leaf.crt", "x509", "-req", "-in", leafCsr.toString(), "-CA", inter.toString(),
                "-CAkey", ecKey.toString(), "-days", "1", "-out", "{out}");

        byte[] chainPem = (text(leaf) + text(inter) + text(ca)).getBytes(StandardCharsets.US_ASCII);
        List<X509Certificate> chain = PemReader.certificates(chainPem, "cert");
        assertEquals(List.of("CN=localhost", "CN=Intermediate", "CN=Root"), subjects(chain));
        chain.get(0).verify(chain.get(1).getPublicKey());
        chain.get(1).verify(chain.get(2).getPublicKey());
        PemReader.checkKeyMatchesCertificate(PemReader.privateKey(bytes(rsaKey), null), chain.get(0));
    }

    @Test
    void readsSeveralCasWithTextAroundBlocks() throws Exception {
        Path a = openssl("a.txt", "x509", "-in", selfSigned(rsaKey, "CA One").toString(), "-text", "-out", "{out}");
        Path b = openssl("b.txt", "x509", "-in", selfSigned(ecKey, "CA Two").toString(), "-text", "-out", "{out}");
        assertTrue(text(a).startsWith("Certificate:"));
        String pem = "# my bundle\n" + text(a) + "\nsome notes between\n" + text(b) + "trailing words\n";
        assertEquals(List.of("CN=CA One", "CN=CA Two"), subjects(PemReader.certificates(ascii(pem), "ca")));
    }

    @Test
    void readsX509CertificateBlockType() throws Exception {
        String pem = text(rsaCert).replace("BEGIN CERTIFICATE", "BEGIN X509 CERTIFICATE")
                .replace("END CERTIFICATE", "END X509 CERTIFICATE");
        assertEquals(List.of("CN=localhost"), subjects(PemReader.certificates(ascii(pem), "ca")));
    }

    @Test
    void readsTrustedCertificateDroppingTrustSettings() throws Exception {
        Path trusted = openssl("trusted.pem", "x509", "-in", rsaCert.toString(), "-trustout", "-addtrust",
                "serverAuth", "-out", "{out}");
        assertTrue(text(trusted).contains("-----BEGIN TRUSTED CERTIFICATE-----"));
        List<X509Certificate> certs = PemReader.certificates(bytes(trusted), "ca");
        X509Certificate plain = PemReader.certificates(bytes(rsaCert), "ca").getFirst();
        assertEquals(1, certs.size());
        assertArrayEquals(plain.getEncoded(), certs.getFirst().getEncoded());
    }

    // ---- CRLs ----

    @Test
    void readsSeveralCrls() throws Exception {
        Path one = crl("one", rsaKey, selfSigned(rsaKey, "CRL One"));
        Path two = crl("two", ecKey, selfSigned(ecKey, "CRL Two"));
        String pem = text(one) + "between\n" + text(two);
        List<X509CRL> crls = PemReader.crls(ascii(pem));
        crls.forEach(PemReaderIT::assertJdkObject);
        assertEquals(List.of("CN=CRL One", "CN=CRL Two"),
                crls.stream().map(c -> c.getIssuerX500Principal().getName(X500Principal.RFC2253)).toList());
    }

    // ---- PKCS#12 ----

    @Test
    void readsModernPkcs12WithChain() throws Exception {
        Path p12 = pkcs12("modern.p12", List.of());
        PemReader.KeyAndChain kc = PemReader.pkcs12(bytes(p12), PASS);
        assertEquals(List.of("CN=localhost"), subjects(kc.chain()));
        PemReader.checkKeyMatchesCertificate(kc.key(), kc.chain().getFirst());
    }

    @Test
    void readsLegacyPkcs12() throws Exception {
        Path p12 = pkcs12("legacy.p12", List.of("-legacy"));
        PemReader.KeyAndChain kc = PemReader.pkcs12(bytes(p12), PASS);
        assertJdkObject(kc.key());
        assertJdkObject(kc.chain().getFirst());
        PemReader.checkKeyMatchesCertificate(kc.key(), kc.chain().getFirst());
    }

    @Test
    void readsPkcs12WithEmptyPassphraseWhenNoneGiven() throws Exception {
        Path p12 = openssl("empty.p12", "pkcs12", "-export", "-inkey", rsaKey.toString(), "-in", rsaCert.toString(),
                "-passout", "pass:", "-out", "{out}");
        PemReader.KeyAndChain kc = PemReader.pkcs12(bytes(p12), null);
        PemReader.checkKeyMatchesCertificate(kc.key(), kc.chain().getFirst());
    }

    @Test
    void readsPkcs12ChainLeafFirst() throws Exception {
        Path caKey = openssl("p12ca.key", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "{out}");
        Path ca = selfSigned(caKey, "P12 Root");
        Path csr = openssl("p12leaf.csr", "req", "-new", "-key", rsaKey.toString(), "-subj", "/CN=localhost",
                "-out", "{out}");
        Path leaf = openssl("p12leaf.crt", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-days", "1", "-out", "{out}");
        Path p12 = openssl("chain.p12", "pkcs12", "-export", "-inkey", rsaKey.toString(), "-in", leaf.toString(),
                "-certfile", ca.toString(), "-passout", "pass:x", "-out", "{out}");
        PemReader.KeyAndChain kc = PemReader.pkcs12(bytes(p12), PASS);
        assertEquals(List.of("CN=localhost", "CN=P12 Root"), subjects(kc.chain()));
        PemReader.checkKeyMatchesCertificate(kc.key(), kc.chain().getFirst());
    }

    // ---- key/cert pairing ----

    @Test
    void rejectsRsaKeyWithAnotherRsaCertificate() throws Exception {
        Path other = openssl("other.key", "genrsa", "-out", "{out}", "2048");
        assertMismatch(PemReader.privateKey(bytes(other), null), rsaCert);
    }

    @Test
    void rejectsEcKeyWithAnotherEcCertificate() throws Exception {
        Path other = openssl("other-ec.key", "ecparam", "-genkey", "-name", "prime256v1", "-out", "{out}");
        assertMismatch(PemReader.privateKey(bytes(other), null), ecCert);
    }

    @Test
    void rejectsEcKeyWithCertificateOnAnotherCurve() throws Exception {
        Path p384 = openssl("other-384.key", "ecparam", "-genkey", "-name", "secp384r1", "-out", "{out}");
        assertMismatch(PemReader.privateKey(bytes(p384), null), ecCert);
    }

    @Test
    void rejectsEd25519KeyWithAnotherEd25519Certificate() throws Exception {
        Path a = openssl("ed-a.key", "genpkey", "-algorithm", "ed25519", "-out", "{out}");
        Path b = openssl("ed-b.key", "genpkey", "-algorithm", "ed25519", "-out", "{out}");
        assertMismatch(PemReader.privateKey(bytes(a), null), selfSigned(b, "localhost"));
    }

    @Test
    void rejectsKeyOfAnotherAlgorithm() throws Exception {
        assertMismatch(PemReader.privateKey(bytes(rsaKey), null), ecCert);
        assertMismatch(PemReader.privateKey(bytes(ecKey), null), rsaCert);
    }

    // ---- failures ----

    @Test
    void rejectsGarbageCertificateWithNoStartLine() {
        TlsException e = fails("ERR_OSSL_PEM_NO_START_LINE", () -> PemReader.certificates(ascii("garbage"), "cert"));
        assertTrue(e.getMessage().contains("no PEM block found in cert; expected -----BEGIN CERTIFICATE-----"),
                e.getMessage());
    }

    @Test
    void rejectsKeyGivenAsCertificate() {
        TlsException e = fails("ERR_OSSL_PEM_NO_START_LINE", () -> PemReader.certificates(bytes(rsaKey), "cert"));
        assertTrue(e.getMessage().contains("were key and cert swapped?"), e.getMessage());
    }

    @Test
    void rejectsCertificateGivenAsKey() {
        TlsException e = fails("ERR_OSSL_PEM_NO_START_LINE", () -> PemReader.privateKey(bytes(rsaCert), null));
        assertTrue(e.getMessage().contains("were key and cert swapped?"), e.getMessage());
    }

    @Test
    void rejectsKeyWithoutBeginLineWithNoStartLine() {
        fails("ERR_OSSL_PEM_NO_START_LINE", () -> PemReader.privateKey(ascii("garbage"), null));
        fails("ERR_OSSL_PEM_NO_START_LINE", () -> PemReader.privateKey(new byte[0], null));
    }

    @Test
    void rejectsGarbageInsideKeyBlockAsUnsupported() {
        String pem = "-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZSBnYXJiYWdlIGdhcmJhZ2U=\n-----END PRIVATE KEY-----\n";
        fails("ERR_OSSL_UNSUPPORTED", () -> PemReader.privateKey(ascii(pem), null));
        String rsa = pem.replace("PRIVATE KEY", "RSA PRIVATE KEY");
        fails("ERR_OSSL_UNSUPPORTED", () -> PemReader.privateKey(ascii(rsa), null));
    }

    @Test
    void rejectsCorruptDerInsideCertificateBlock() {
        String pem = "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZSBnYXJiYWdlIGdhcmJhZ2U=\n-----END CERTIFICATE-----\n";
        fails("ERR_OSSL_ASN1_WRONG_TAG", () -> PemReader.certificates(ascii(pem), "ca"));
    }

    @Test
    void rejectsCorruptBase64() throws Exception {
        String key = text(rsaKey);
        int middle = key.indexOf('\n', key.length() / 2) - 10;
        String corrupt = key.substring(0, middle) + "*!" + key.substring(middle + 2);
        TlsException e = fails("ERR_OSSL_PEM_BAD_BASE64_DECODE", () -> PemReader.privateKey(ascii(corrupt), null));
        assertNoKeyMaterial(e, key);
        String cert = text(rsaCert);
        int at = cert.indexOf('\n', cert.length() / 2) - 5;
        fails("ERR_OSSL_PEM_BAD_BASE64_DECODE",
                () -> PemReader.certificates(ascii(cert.substring(0, at) + "%" + cert.substring(at + 1)), "cert"));
    }

    @Test
    void rejectsBlockWithoutEndLine() throws Exception {
        String cert = text(rsaCert);
        String truncated = cert.substring(0, cert.indexOf("-----END"));
        fails("ERR_OSSL_PEM_BAD_END_LINE", () -> PemReader.certificates(ascii(truncated), "cert"));
    }

    @Test
    void rejectsEncryptedPkcs8KeyWithoutOrWithWrongPassphrase() throws Exception {
        Path key = openssl("enc8b.key", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", rsaKey.toString(),
                "-passout", "pass:x", "-out", "{out}");
        assertDecryptFailures(key);
    }

    @Test
    void rejectsLegacyEncryptedKeysWithoutOrWithWrongPassphrase() throws Exception {
        assertDecryptFailures(legacyEncryptedRsa());
        assertDecryptFailures(legacyEncryptedEc());
    }

    @Test
    void rejectsPkcs12WithWrongOrMissingPassphrase() throws Exception {
        for (Path p12 : List.of(pkcs12("mac.p12", List.of()), pkcs12("mac-legacy.p12", List.of("-legacy")))) {
            TlsException wrong = fails("ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE",
                    () -> PemReader.pkcs12(bytes(p12), "wrong".toCharArray()));
            assertTrue(wrong.getMessage().contains("mac verify failure: wrong passphrase for pfx?"), wrong.getMessage());
            TlsException missing = fails("ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE", () -> PemReader.pkcs12(bytes(p12), null));
            assertTrue(missing.getMessage().contains("mac verify failure"), missing.getMessage());
        }
    }

    @Test
    void rejectsPfxThatIsNotPkcs12() {
        TlsException pem = fails("ERR_OSSL_ASN1_WRONG_TAG", () -> PemReader.pkcs12(bytes(rsaCert), PASS));
        assertTrue(pem.getMessage().contains("looks like PEM"), pem.getMessage());
        fails("ERR_OSSL_ASN1_WRONG_TAG", () -> PemReader.pkcs12(ascii("garbage"), PASS));
        fails("ERR_OSSL_ASN1_WRONG_TAG", () -> PemReader.pkcs12(new byte[0], PASS));
    }

    @Test
    void rejectsPkcs12WithoutKey() throws Exception {
        Path p12 = openssl("nokey.p12", "pkcs12", "-export", "-nokeys", "-in", rsaCert.toString(), "-passout",
                "pass:x", "-out", "{out}");
        fails("ERR_WEFT_PFX_NO_KEY", () -> PemReader.pkcs12(bytes(p12), PASS));
    }

    @Test
    void rejectsCrlInputWithoutCrl() {
        fails("ERR_OSSL_PEM_NO_START_LINE", () -> PemReader.crls(bytes(rsaCert)));
    }

    // ---- helpers ----

    private static void assertDecryptFailures(Path key) throws IOException {
        TlsException missing = fails("ERR_OSSL_BAD_DECRYPT", () -> PemReader.privateKey(bytes(key), null));
        assertTrue(missing.getMessage().contains("is encrypted; pass passphrase"), missing.getMessage());
        TlsException wrong = fails("ERR_OSSL_BAD_DECRYPT",
                () -> PemReader.privateKey(bytes(key), "wrong".toCharArray()));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        assertNoKeyMaterial(wrong, text(key));
    }

    private static void assertNoKeyMaterial(TlsException e, String pem) {
        for (String line : pem.lines().filter(l -> l.length() >= 40 && !l.startsWith("-----")).toList()) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(line.substring(0, 20)), "key material in message");
            }
        }
    }

    private static void assertMatches(PrivateKey key, Path cert) throws Exception {
        assertJdkObject(key);
        PemReader.checkKeyMatchesCertificate(key, PemReader.certificates(bytes(cert), "cert").getFirst());
    }

    private static void assertMismatch(PrivateKey key, Path cert) throws Exception {
        X509Certificate certificate = PemReader.certificates(bytes(cert), "cert").getFirst();
        TlsException e = fails("ERR_OSSL_X509_KEY_VALUES_MISMATCH",
                () -> PemReader.checkKeyMatchesCertificate(key, certificate));
        assertTrue(e.getMessage().contains("private key does not match the certificate's public key (subject CN=localhost)"),
                e.getMessage());
    }

    /** Keys and certificates come from the JDK's own factories, never from Bouncy Castle's provider. */
    private static void assertJdkObject(Object o) {
        assertFalse(o.getClass().getName().startsWith("org.bouncycastle"), o.getClass().getName());
    }

    private static TlsException fails(String code, Executable call) {
        TlsException e = assertThrows(TlsException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static Path legacyEncryptedRsa() throws Exception {
        return openssl("legacy-rsa.key", "rsa", "-in", rsaKey.toString(), "-aes256", "-traditional", "-passout",
                "pass:x", "-out", "{out}");
    }

    private static Path legacyEncryptedEc() throws Exception {
        return openssl("legacy-ec.key", "ec", "-in", ecKey.toString(), "-aes256", "-passout", "pass:x", "-out",
                "{out}");
    }

    private static Path pkcs12(String name, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("pkcs12", "-export", "-inkey", rsaKey.toString(), "-in",
                rsaCert.toString(), "-passout", "pass:x", "-out", "{out}"));
        args.addAll(extra);
        return openssl(name, args.toArray(String[]::new));
    }

    private static Path crl(String name, Path key, Path cert) throws Exception {
        Path ca = Files.createDirectories(dir.resolve("ca-" + name));
        Files.writeString(ca.resolve("index.txt"), "");
        Files.writeString(ca.resolve("crlnumber"), "01\n");
        Path config = write("ca-" + name + "/ca.cnf", """
                [ca]
                default_ca = CA_default
                [CA_default]
                database = %s
                crlnumber = %s
                default_md = sha256
                default_crl_days = 1
                """.formatted(ca.resolve("index.txt"), ca.resolve("crlnumber")));
        return openssl(name + ".crl", "ca", "-config", config.toString(), "-gencrl", "-keyfile", key.toString(),
                "-cert", cert.toString(), "-out", "{out}");
    }

    private static Path selfSigned(Path key, String cn) throws Exception {
        return openssl(key.getFileName() + "-" + cn.replace(' ', '_') + ".crt", "req", "-x509", "-key",
                key.toString(), "-subj", "/CN=" + cn, "-days", "1", "-out", "{out}");
    }

    /** Runs openssl with {@code {out}} replaced by {@code dir/name}; fails the test if it is missing or fails. */
    private static Path openssl(String name, String... args) throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("openssl"));
        Arrays.stream(args).map(a -> a.equals("{out}") ? out.toString() : a).forEach(command::add);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile()).start();
        } catch (IOException e) {
            return fail("openssl CLI is required by these tests: " + e.getMessage());
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            fail(String.join(" ", command) + " failed:\n" + output);
        }
        return out;
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static List<String> subjects(List<X509Certificate> certs) {
        return certs.stream().map(c -> c.getSubjectX500Principal().getName(X500Principal.RFC2253)).toList();
    }

    private static byte[] bytes(Path path) throws IOException {
        return Files.readAllBytes(path);
    }

    private static String text(Path path) throws IOException {
        return Files.readString(path, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
