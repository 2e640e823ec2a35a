package dev.weft.cli;

import static dev.weft.cli.Run.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Tool;
import dev.weft.tls.internal.pem.PemReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code weft cert ...} run in process (through {@link Main#run}), its output checked by the real openssl CLI:
 * the three openssl steps of Node's v0.6 documentation, a CA that issues and revokes, and the refusals (existing files, wrong
 * passphrase, bad options) with their codes.
 */
class CertCommandIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;


    static Run ok(String... args) {
        Run r = weft(args);
        assertEquals(0, r.code(), () -> "weft " + String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        assertEquals("", r.err());
        return r;
    }

    /** Exit 1 and exactly one line {@code weft: CODE: message} on stderr, nothing on stdout. */
    static Run fails(String code, String... args) {
        Run r = weft(args);
        assertEquals(1, r.code(), () -> "weft " + String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        assertTrue(r.err().startsWith("weft: " + code + ": "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out());
        return r;
    }

    String p(String name) {
        return dir.resolve(name).toString();
    }

    String openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        return Tool.check(dir, cmd.toArray(String[]::new));
    }

    /** Runs openssl expecting it to fail; returns stdout + stderr. */
    String opensslFails(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Tool t = Tool.run(WAIT, dir, cmd.toArray(String[]::new));
        assertNotEquals(0, t.exitCode(), () -> "openssl " + String.join(" ", args) + " succeeded: " + t.stdout());
        return t.stdout() + t.stderr();
    }

    static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    // ---- the three steps of Node's v0.6 documentation ----

    @Test
    void documentedWalkthroughGenkeyReqX509IsAcceptedByOpenssl() throws Exception {
        Run genkey = ok("cert", "genkey", "--out", p("key.pem"));
        assertEquals("wrote " + p("key.pem") + " (EC P-256 private key, mode 600)\n", genkey.out());
        assertEquals("rw-------", mode(dir.resolve("key.pem")));

        Run req = ok("cert", "req", "--key", p("key.pem"), "--subject", "/C=UK/O=node.js/CN=localhost",
                "--san", "DNS:localhost,IP:127.0.0.1", "--out", p("csr.pem"));
        assertTrue(req.out().startsWith("wrote " + p("csr.pem") + " (certificate request C=UK,O=node.js,CN=localhost"),
                req.out());
        Tool verify = Tool.run(WAIT, dir, "openssl", "req", "-verify", "-noout", "-in", p("csr.pem"));
        assertEquals(0, verify.exitCode(), verify.stderr());
        assertTrue((verify.stdout() + verify.stderr()).contains("verify OK"), verify.stderr());
        String csrText = openssl("req", "-noout", "-text", "-in", p("csr.pem"));
        assertTrue(csrText.contains("Subject: C = UK, O = node.js, CN = localhost"), csrText);
        assertTrue(csrText.contains("DNS:localhost, IP Address:127.0.0.1"), csrText);

        Run x509 = ok("cert", "x509", "--csr", p("csr.pem"), "--signkey", p("key.pem"), "--days", "10",
                "--out", p("cert.pem"));
        assertTrue(x509.out().startsWith("wrote " + p("cert.pem") + " (self-signed certificate"), x509.out());
        String text = openssl("x509", "-noout", "-text", "-in", p("cert.pem"));
        assertTrue(text.contains("Subject: C = UK, O = node.js, CN = localhost"), text);
        assertTrue(text.contains("Issuer: C = UK, O = node.js, CN = localhost"), text);
        assertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1"), text);
        assertTrue(text.contains("ecdsa-with-SHA256"), text);
        // the certificate certifies the key genkey wrote
        assertEquals(openssl("pkey", "-pubout", "-in", p("key.pem")),
                openssl("x509", "-noout", "-pubkey", "-in", p("cert.pem")));
        X509Certificate cert = PemReader.certificates(Files.readAllBytes(dir.resolve("cert.pem")), "cert").getFirst();
        assertEquals(Duration.ofDays(10), Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
        assertTrue(openssl("verify", "-CAfile", p("cert.pem"), p("cert.pem")).contains(": OK"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--type rsa                      | RSA 2048 | Private-Key: (2048 bit, 2 primes) | sha256WithRSAEncryption",
            "--type rsa --bits 3072          | RSA 3072 | Private-Key: (3072 bit, 2 primes) | sha256WithRSAEncryption",
            "--type rsa --bits 4096          | RSA 4096 | Private-Key: (4096 bit, 2 primes) | sha256WithRSAEncryption",
            "--type ec --curve prime256v1    | EC P-256 | NIST CURVE: P-256                 | ecdsa-with-SHA256",
            "--curve secp256r1               | EC P-256 | NIST CURVE: P-256                 | ecdsa-with-SHA256",
            "--type ec --curve P-384         | EC P-384 | NIST CURVE: P-384                 | ecdsa-with-SHA256",
            "--curve secp384r1               | EC P-384 | NIST CURVE: P-384                 | ecdsa-with-SHA256",
            "--type ed25519                  | Ed25519  | ED25519 Private-Key:              | ED25519",
    })
    void everyKeyTypeGoesThroughTheDocumentedStepsAndOpensslAgrees(String options, String described, String keyText,
            String signature) throws Exception {
        List<String> args = new ArrayList<>(List.of("cert", "genkey"));
        args.addAll(List.of(options.split(" ")));
        args.addAll(List.of("--out", p("key.pem")));
        Run genkey = ok(args.toArray(String[]::new));
        assertEquals("wrote " + p("key.pem") + " (" + described + " private key, mode 600)\n", genkey.out());
        assertTrue(Files.readString(dir.resolve("key.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        String text = openssl("pkey", "-noout", "-text", "-in", p("key.pem"));
        assertTrue(text.contains(keyText), text);

        ok("cert", "req", "--key", p("key.pem"), "--subject", "/CN=" + described.replace(' ', '-'), "--out", p("csr.pem"));
        Tool verify = Tool.run(WAIT, dir, "openssl", "req", "-verify", "-noout", "-in", p("csr.pem"));
        assertEquals(0, verify.exitCode(), verify.stderr());
        ok("cert", "x509", "--csr", p("csr.pem"), "--signkey", p("key.pem"), "--out", p("cert.pem"));
        String cert = openssl("x509", "-noout", "-text", "-in", p("cert.pem"));
        assertTrue(cert.contains("Signature Algorithm: " + signature), cert);
        assertTrue(cert.contains("Subject: CN = " + described.replace(' ', '-')), cert);
        assertTrue(openssl("verify", "-CAfile", p("cert.pem"), p("cert.pem")).contains(": OK"));
    }

    @Test
    void encryptedKeyNeedsItsPassphraseHereAndInOpenssl() throws Exception {
        Run genkey = ok("cert", "genkey", "--type", "rsa", "--passphrase", "s3cret", "--out", p("key.pem"));
        assertEquals("wrote " + p("key.pem") + " (RSA 2048 private key, encrypted, mode 600)\n", genkey.out());
        assertTrue(Files.readString(dir.resolve("key.pem")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assertTrue(openssl("pkey", "-noout", "-text", "-passin", "pass:s3cret", "-in", p("key.pem"))
                .contains("Private-Key: (2048 bit"));
        assertTrue(opensslFails("pkey", "-noout", "-passin", "pass:wrong", "-in", p("key.pem")).contains("bad decrypt"));

        Run wrong = fails("ERR_OSSL_BAD_DECRYPT", "cert", "req", "--key", p("key.pem"), "--passphrase", "wrong",
                "--subject", "/CN=x", "--out", p("csr.pem"));
        assertTrue(wrong.err().contains("wrong passphrase"), wrong.err());
        Run missing = fails("ERR_OSSL_BAD_DECRYPT", "cert", "req", "--key", p("key.pem"), "--subject", "/CN=x",
                "--out", p("csr.pem"));
        assertTrue(missing.err().contains("--passphrase"), missing.err());
        assertFalse(Files.exists(dir.resolve("csr.pem")));

        ok("cert", "req", "--key", p("key.pem"), "--passphrase", "s3cret", "--subject", "/CN=x", "--out", p("csr.pem"));
        ok("cert", "x509", "--csr", p("csr.pem"), "--signkey", p("key.pem"), "--passphrase", "s3cret",
                "--out", p("cert.pem"));
        assertEquals(openssl("pkey", "-pubout", "-passin", "pass:s3cret", "-in", p("key.pem")),
                openssl("x509", "-noout", "-pubkey", "-in", p("cert.pem")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--type dsa", "--type rsa --bits 1024", "--curve P-521", "--type ed25519 --bits 256",
            "--type rsa --curve P-256", "--passphrase="})
    void rejectsKeyOptionsItCannotHonour(String options) {
        List<String> args = new ArrayList<>(List.of("cert", "genkey"));
        args.addAll(List.of(options.split(" ")));
        args.addAll(List.of("--out", p("key.pem")));
        fails("ERR_INVALID_ARG_VALUE", args.toArray(String[]::new));
        assertFalse(Files.exists(dir.resolve("key.pem")));
    }

    @Test
    void rejectsBadSubjectSanAndDays() {
        ok("cert", "genkey", "--out", p("key.pem"));
        fails("ERR_INVALID_ARG_VALUE", "cert", "req", "--key", p("key.pem"), "--subject", "localhost", "--out", p("a.pem"));
        fails("ERR_INVALID_ARG_VALUE", "cert", "req", "--key", p("key.pem"), "--subject", "/XX=1", "--out", p("a.pem"));
        fails("ERR_INVALID_ARG_VALUE", "cert", "req", "--key", p("key.pem"), "--subject", "/CN=a", "--san", "IP:nope",
                "--out", p("a.pem"));
        ok("cert", "req", "--key", p("key.pem"), "--subject", "/CN=a", "--out", p("csr.pem"));
        fails("ERR_INVALID_ARG_VALUE", "cert", "x509", "--csr", p("csr.pem"), "--signkey", p("key.pem"), "--days", "0",
                "--out", p("cert.pem"));
        assertFalse(Files.exists(dir.resolve("a.pem")));
        assertFalse(Files.exists(dir.resolve("cert.pem")));
    }

    // ---- refusals ----

    @Test
    void neverOverwritesWithoutForce() throws Exception {
        ok("cert", "genkey", "--out", p("key.pem"));
        String first = Files.readString(dir.resolve("key.pem"));
        Run again = fails("ERR_WEFT_FILE_EXISTS", "cert", "genkey", "--out", p("key.pem"));
        assertTrue(again.err().contains(p("key.pem")) && again.err().contains("--force"), again.err());
        assertEquals(first, Files.readString(dir.resolve("key.pem")));

        ok("cert", "req", "--key", p("key.pem"), "--subject", "/CN=a", "--out", p("csr.pem"));
        Files.writeString(dir.resolve("cert.pem"), "keep me\n");
        Run x509 = fails("ERR_WEFT_FILE_EXISTS", "cert", "x509", "--csr", p("csr.pem"), "--signkey", p("key.pem"),
                "--out", p("cert.pem"));
        assertTrue(x509.err().contains(p("cert.pem")), x509.err());
        assertEquals("keep me\n", Files.readString(dir.resolve("cert.pem")));
        String csr = Files.readString(dir.resolve("csr.pem"));
        fails("ERR_WEFT_FILE_EXISTS", "cert", "req", "--key", p("key.pem"), "--subject", "/CN=b", "--out", p("csr.pem"));
        assertEquals(csr, Files.readString(dir.resolve("csr.pem")));

        ok("cert", "x509", "--csr", p("csr.pem"), "--signkey", p("key.pem"), "--out", p("cert.pem"), "--force");
        assertTrue(Files.readString(dir.resolve("cert.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void forceReplacesAKeyOwnerOnlyEvenOverAReadableFile() throws Exception {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "old\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = ok("cert", "genkey", "--type", "ed25519", "--out", p("key.pem"), "--force");
        assertTrue(r.out().endsWith("mode 600)\n"), r.out());
        assertEquals("rw-------", mode(key));
        assertTrue(openssl("pkey", "-noout", "-text", "-in", p("key.pem")).contains("ED25519"));
    }

    @Test
    void missingInputIsEnoentAndMismatchedKeyIsRefused() throws Exception {
        Run missing = fails("ENOENT", "cert", "req", "--key", p("nope.pem"), "--subject", "/CN=a", "--out", p("csr.pem"));
        assertTrue(missing.err().contains(p("nope.pem")), missing.err());

        ok("cert", "genkey", "--out", p("a.pem"));
        ok("cert", "genkey", "--out", p("b.pem"));
        ok("cert", "req", "--key", p("a.pem"), "--subject", "/CN=a", "--out", p("csr.pem"));
        fails("ERR_OSSL_X509_KEY_VALUES_MISMATCH", "cert", "x509", "--csr", p("csr.pem"), "--signkey", p("b.pem"),
                "--out", p("cert.pem"));
        fails("ERR_WEFT_BAD_CSR", "cert", "x509", "--csr", p("a.pem"), "--signkey", p("a.pem"), "--out", p("cert.pem"));
        fails("ERR_OSSL_PEM_NO_START_LINE", "cert", "req", "--key", p("csr.pem"), "--subject", "/CN=a",
                "--out", p("csr2.pem"));
        assertFalse(Files.exists(dir.resolve("cert.pem")));
    }

    @Test
    void errorsAreOneLineWithoutAStackTraceFromTheRealCommand() {
        List<String> cmd = Tool.weftCli("cert", "x509", "--csr", p("missing.pem"), "--signkey", p("key.pem"),
                "--out", p("cert.pem"));
        Tool t = Tool.run(WAIT, dir, cmd.toArray(String[]::new));
        assertEquals(1, t.exitCode(), t.stderr());
        assertEquals("weft: ENOENT: no such file: " + p("missing.pem"), t.stderr().strip());
        assertEquals("", t.stdout());
    }

    // ---- the CA ----

    @Test
    void caIssuesAServerCertificateOpensslVerifiesThenRevokesIt() throws Exception {
        Path ca = dir.resolve("ca");
        Run init = ok("cert", "ca", "init", "--dir", ca.toString(), "--subject", "/O=weft/CN=Weft Dev CA");
        assertEquals(6, init.out().lines().count(), init.out());
        for (String f : List.of("ca-key.pem", "ca-cert.pem", "ca-chain.pem", "index.txt", "crlnumber", "crl.pem")) {
            assertTrue(init.out().contains("wrote " + ca.resolve(f) + " ("), init.out());
        }
        assertEquals("rw-------", mode(ca.resolve("ca-key.pem")));
        assertEquals("", Files.readString(ca.resolve("index.txt")));
        String caText = openssl("x509", "-noout", "-text", "-in", ca.resolve("ca-cert.pem").toString());
        assertTrue(caText.contains("Subject: O = weft, CN = Weft Dev CA"), caText);
        assertTrue(caText.contains("CA:TRUE"), caText);
        assertTrue(openssl("crl", "-noout", "-text", "-in", ca.resolve("crl.pem").toString())
                .contains("No Revoked Certificates."));

        Run issue = ok("cert", "ca", "issue", "--dir", ca.toString(), "--cn", "localhost",
                "--san", "DNS:localhost,IP:127.0.0.1", "--server", "--out", p("server"));
        assertTrue(issue.out().contains("wrote " + p("server-key.pem") + " (EC P-256 private key, mode 600)"), issue.out());
        assertEquals("rw-------", mode(dir.resolve("server-key.pem")));
        String caFile = ca.resolve("ca-cert.pem").toString();
        assertEquals(p("server-cert.pem") + ": OK\n", openssl("verify", "-CAfile", caFile, "-purpose", "sslserver",
                "-verify_hostname", "localhost", p("server-cert.pem")));
        assertEquals(p("server-cert.pem") + ": OK\n", openssl("verify", "-CAfile", caFile, "-verify_ip", "127.0.0.1",
                p("server-cert.pem")));
        String chain = Files.readString(dir.resolve("server-chain.pem"));
        assertEquals(2, count(chain, "-----BEGIN CERTIFICATE-----"));
        assertTrue(chain.startsWith(Files.readString(dir.resolve("server-cert.pem"))));
        assertTrue(chain.endsWith(Files.readString(ca.resolve("ca-cert.pem"))));
        String crlFile = ca.resolve("crl.pem").toString();
        assertEquals(p("server-cert.pem") + ": OK\n",
                openssl("verify", "-crl_check", "-CRLfile", crlFile, "-CAfile", caFile, p("server-cert.pem")));

        String serial = openssl("x509", "-noout", "-serial", "-in", p("server-cert.pem")).strip(); // serial=4A...
        String hex = serial.substring("serial=".length());
        assertTrue(Files.readString(ca.resolve("index.txt")).matches("V\t\\d{12}Z\t\t" + hex + "\tunknown\t/CN=localhost\n"),
                Files.readString(ca.resolve("index.txt")));

        Run revoke = ok("cert", "ca", "revoke", "--dir", ca.toString(), "--serial", serial);
        assertTrue(revoke.out().contains("revoked serial " + hex), revoke.out());
        assertTrue(Files.readString(ca.resolve("index.txt")).matches("R\t\\d{12}Z\t\\d{12}Z\t" + hex + "\tunknown\t/CN=localhost\n"));
        assertEquals("03\n", Files.readString(ca.resolve("crlnumber")));
        String crlText = openssl("crl", "-noout", "-text", "-in", crlFile);
        assertTrue(crlText.contains("Serial Number: " + hex), crlText);
        assertTrue(opensslFails("verify", "-crl_check", "-CRLfile", crlFile, "-CAfile", caFile, p("server-cert.pem"))
                .contains("certificate revoked"));

        fails("ERR_WEFT_ALREADY_REVOKED", "cert", "ca", "revoke", "--dir", ca.toString(), "--serial", hex.toLowerCase());
        fails("ERR_WEFT_UNKNOWN_SERIAL", "cert", "ca", "revoke", "--dir", ca.toString(), "--serial", "0x1234");
        fails("ERR_INVALID_ARG_VALUE", "cert", "ca", "revoke", "--dir", ca.toString(), "--serial", "xyz");
        fails("ERR_WEFT_NOT_A_CA", "cert", "ca", "revoke", "--dir", dir.toString(), "--serial", hex);
    }

    @Test
    void caIssuesClientAndDualUseCertificatesWithTheRightPurposes() throws Exception {
        Path ca = dir.resolve("ca");
        ok("cert", "ca", "init", "--dir", ca.toString(), "--subject", "/CN=Test CA", "--type", "rsa");
        String caFile = ca.resolve("ca-cert.pem").toString();

        ok("cert", "ca", "issue", "--dir", ca.toString(), "--cn", "client1", "--client", "--type", "ed25519",
                "--out", p("client1"));
        assertEquals(p("client1-cert.pem") + ": OK\n",
                openssl("verify", "-CAfile", caFile, "-purpose", "sslclient", p("client1-cert.pem")));
        assertTrue(opensslFails("verify", "-CAfile", caFile, "-purpose", "sslserver", p("client1-cert.pem"))
                .contains("unsuitable certificate purpose"));
        String clientText = openssl("x509", "-noout", "-text", "-in", p("client1-cert.pem"));
        assertFalse(clientText.contains("Subject Alternative Name"), clientText);
        assertTrue(clientText.contains("sha256WithRSAEncryption"), clientText); // signed by the RSA CA

        ok("cert", "ca", "issue", "--dir", ca.toString(), "--cn", "localhost", "--both", "--out", p("both"));
        String bothText = openssl("x509", "-noout", "-text", "-in", p("both-cert.pem"));
        assertTrue(bothText.contains("TLS Web Server Authentication, TLS Web Client Authentication"), bothText);
        assertTrue(bothText.contains("DNS:localhost"), bothText); // the CN becomes the SAN when none is given
        openssl("verify", "-CAfile", caFile, "-purpose", "sslclient", p("both-cert.pem"));
        openssl("verify", "-CAfile", caFile, "-purpose", "sslserver", p("both-cert.pem"));

        fails("ERR_INVALID_ARG_VALUE", "cert", "ca", "issue", "--dir", ca.toString(), "--cn", "x", "--client",
                "--server", "--out", p("x"));
        assertEquals(2, Files.readString(ca.resolve("index.txt")).lines().count());
    }

    @Test
    void caIssueWritesNothingWhenAnyOutputExists() throws Exception {
        Path ca = dir.resolve("ca");
        ok("cert", "ca", "init", "--dir", ca.toString(), "--subject", "/CN=Test CA");
        Files.writeString(dir.resolve("server-chain.pem"), "keep\n");
        Run r = fails("ERR_WEFT_FILE_EXISTS", "cert", "ca", "issue", "--dir", ca.toString(), "--cn", "localhost",
                "--out", p("server"));
        assertTrue(r.err().contains(p("server-chain.pem")), r.err());
        assertFalse(Files.exists(dir.resolve("server-key.pem")));
        assertFalse(Files.exists(dir.resolve("server-cert.pem")));
        assertEquals("", Files.readString(ca.resolve("index.txt")));
        fails("ERR_WEFT_FILE_EXISTS", "cert", "ca", "init", "--dir", ca.toString(), "--subject", "/CN=Again");
        fails("ERR_WEFT_NOT_A_CA", "cert", "ca", "issue", "--dir", p("nowhere"), "--cn", "x", "--out", p("x"));
    }

    @Test
    void intermediateCaIssuesLeavesThatVerifyThroughTheChainAndCanBeRevoked() throws Exception {
        Path root = dir.resolve("root");
        Path inter = dir.resolve("inter");
        ok("cert", "ca", "init", "--dir", root.toString(), "--subject", "/O=weft/CN=Root", "--type", "ec",
                "--curve", "P-384");
        Run init = ok("cert", "ca", "init", "--dir", inter.toString(), "--parent", root.toString(),
                "--subject", "/O=weft/CN=Issuing CA", "--pathlen", "0");
        assertTrue(init.out().contains("intermediate CA certificate"), init.out());
        String interText = openssl("x509", "-noout", "-text", "-in", inter.resolve("ca-cert.pem").toString());
        assertTrue(interText.contains("CA:TRUE, pathlen:0"), interText);
        assertTrue(interText.contains("Issuer: O = weft, CN = Root"), interText);
        String interSerial = openssl("x509", "-noout", "-serial", "-in", inter.resolve("ca-cert.pem").toString())
                .strip().substring("serial=".length());
        assertTrue(Files.readString(root.resolve("index.txt")).contains("\t" + interSerial + "\tunknown\t/O=weft/CN=Issuing CA"));

        ok("cert", "ca", "issue", "--dir", inter.toString(), "--cn", "localhost", "--out", p("leaf"));
        assertEquals(3, count(Files.readString(dir.resolve("leaf-chain.pem")), "-----BEGIN CERTIFICATE-----"));
        String rootFile = root.resolve("ca-cert.pem").toString();
        String interFile = inter.resolve("ca-cert.pem").toString();
        assertEquals(p("leaf-cert.pem") + ": OK\n",
                openssl("verify", "-CAfile", rootFile, "-untrusted", interFile, p("leaf-cert.pem")));
        assertTrue(opensslFails("verify", "-CAfile", rootFile, p("leaf-cert.pem"))
                .contains("unable to get local issuer certificate"));

        // pathlen 0: the intermediate may not make another CA that openssl accepts
        ok("cert", "ca", "init", "--dir", dir.resolve("sub").toString(), "--parent", inter.toString(), "--subject", "/CN=Sub");
        ok("cert", "ca", "issue", "--dir", dir.resolve("sub").toString(), "--cn", "deep", "--out", p("deep"));
        assertTrue(opensslFails("verify", "-CAfile", rootFile, "-untrusted", dir.resolve("sub/ca-chain.pem").toString(),
                p("deep-cert.pem")).contains("path length constraint exceeded"));

        ok("cert", "ca", "revoke", "--dir", root.toString(), "--serial", interSerial);
        assertTrue(opensslFails("verify", "-crl_check_all", "-CRLfile", root.resolve("crl.pem").toString(),
                "-CRLfile", inter.resolve("crl.pem").toString(), "-CAfile", rootFile, "-untrusted", interFile,
                p("leaf-cert.pem")).contains("certificate revoked"));
    }

    @Test
    void caCrlSignsAFreshCrlWithTheNextNumber() throws Exception {
        Path ca = dir.resolve("ca");
        ok("cert", "ca", "init", "--dir", ca.toString(), "--subject", "/CN=Test CA");
        Run crl = ok("cert", "ca", "crl", "--dir", ca.toString(), "--days", "7");
        assertTrue(crl.out().contains("CRL number 2, 0 revoked"), crl.out());
        String text = openssl("crl", "-noout", "-text", "-in", ca.resolve("crl.pem").toString());
        assertTrue(Pattern.compile("CRL Number:\\s*\\n\\s*2\\n").matcher(text).find(), text);
        assertEquals("03\n", Files.readString(ca.resolve("crlnumber")));
        openssl("crl", "-noout", "-CAfile", ca.resolve("ca-cert.pem").toString(), "-in", ca.resolve("crl.pem").toString());
    }

    // ---- pkcs12 ----

    @Test
    void pkcs12BundlesKeyAndChainForOpenssl() throws Exception {
        Path root = dir.resolve("root");
        Path inter = dir.resolve("inter");
        ok("cert", "ca", "init", "--dir", root.toString(), "--subject", "/CN=Root");
        ok("cert", "ca", "init", "--dir", inter.toString(), "--parent", root.toString(), "--subject", "/CN=Inter");
        ok("cert", "ca", "issue", "--dir", inter.toString(), "--cn", "localhost", "--passphrase", "keypass",
                "--out", p("server"));
        fails("ERR_OSSL_BAD_DECRYPT", "cert", "pkcs12", "--key", p("server-key.pem"), "--cert", p("server-chain.pem"),
                "--passphrase", "pfxpass", "--out", p("server.pfx"));
        Run r = ok("cert", "pkcs12", "--key", p("server-key.pem"), "--key-passphrase", "keypass",
                "--cert", p("server-cert.pem"), "--chain", inter.resolve("ca-chain.pem").toString(),
                "--passphrase", "pfxpass", "--out", p("server.pfx"));
        assertEquals("wrote " + p("server.pfx") + " (PKCS#12, EC P-256 key and 2 certificates, mode 600)\n", r.out());
        assertEquals("rw-------", mode(dir.resolve("server.pfx")));

        Tool info = Tool.run(WAIT, dir, "openssl", "pkcs12", "-info", "-noout", "-passin", "pass:pfxpass",
                "-in", p("server.pfx"));
        assertEquals(0, info.exitCode(), info.stderr());
        String certs = openssl("pkcs12", "-nokeys", "-passin", "pass:pfxpass", "-in", p("server.pfx"));
        assertTrue(certs.contains("subject=CN = localhost") && certs.contains("subject=CN = Inter"), certs);
        assertFalse(certs.contains("subject=CN = Root"), certs);
        assertTrue(opensslFails("pkcs12", "-info", "-noout", "-passin", "pass:wrong", "-in", p("server.pfx"))
                .contains("Mac verify error: invalid password?"));
        var read = PemReader.pkcs12(Files.readAllBytes(dir.resolve("server.pfx")), "pfxpass".toCharArray());
        assertEquals(2, read.chain().size());

        ok("cert", "genkey", "--out", p("other.pem"));
        fails("ERR_OSSL_X509_KEY_VALUES_MISMATCH", "cert", "pkcs12", "--key", p("other.pem"),
                "--cert", p("server-cert.pem"), "--passphrase", "x", "--out", p("other.pfx"));
    }

    // ---- docs/certificates.md ----

    private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    /**
     * Runs every line of the {@code ```sh} blocks of docs/certificates.md, in order, in one directory, with
     * {@code ./weft} being this build's CLI: each must exit 0, unless the line after it is a comment
     * {@code # fails: TEXT}, in which case it must fail and print TEXT.
     */
    @Test
    @org.junit.jupiter.api.Timeout(300) // some twenty CLI JVMs one after another: 90 s is not enough on a loaded 2-core box
    void docsWalkthroughRunsAsWritten() throws Exception {
        Path doc = Path.of(System.getProperty("weft.project.dir", "."), "docs", "certificates.md");
        String md = Files.readString(doc, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(md);
        while (m.find()) {
            lines.addAll(m.group(1).lines().toList());
        }
        String weft = String.join(" ", Tool.weftCli().stream().map(CertCommandIT::shellQuote).toList());
        int commands = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String next = i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
            String script = "weft() { " + weft + " \"$@\"; }\n" + line.replace("./weft ", "weft ");
            Tool t = Tool.run(WAIT, dir, "bash", "-c", script);
            String output = t.stdout() + t.stderr();
            if (next.startsWith("# fails: ")) {
                assertNotEquals(0, t.exitCode(), line + " should fail\n" + output);
                assertTrue(output.contains(next.substring("# fails: ".length())), line + "\n" + output);
            } else {
                assertEquals(0, t.exitCode(), line + "\n" + output);
            }
            commands++;
        }
        assertTrue(commands >= 12, "only " + commands + " commands in " + doc);
        for (String sub : List.of("genkey", "req", "x509", "ca init", "ca issue", "ca revoke", "ca crl", "pkcs12")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("./weft cert " + sub + " ")), sub + " not in " + doc);
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
