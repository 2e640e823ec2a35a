package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.NodeCertificates;
import dev.weft.testing.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft cert show}: the same JSON as Node's {@code JSON.stringify(getPeerCertificate(), null, 2)}. */
class CertShowCommandIT {

    /** Runs the CLI in this JVM; returns exit code, stdout and stderr. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[] {String.valueOf(code), o.toString(StandardCharsets.UTF_8),
                    e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void showsACertificateAsNodesGetPeerCertificate(@TempDir Path dir) throws Exception {
        HeldCertificate leaf = Certs.server("localhost", "127.0.0.1", "::1")
                .subject("/C=US/O=Ünïcödé Org/OU=Dev/OU=Ops/CN=localhost").keyType(KeyType.RSA_2048)
                .ocsp("http://ocsp.example.com/").signedBy(TestCerts.INTERMEDIATE).build();
        Path file = dir.resolve("leaf.pem");
        Files.writeString(file, leaf.certificatePem());
        try (NodeCertificates.Server node = NodeCertificates.server(dir, leaf.privateKeyPem(), leaf.chainPem(),
                TestCerts.ROOT.certificatePem(), 2)) {
            String[] plain = run("cert", "show", file.toString());
            assertEquals("0", plain[0], plain[2]);
            assertEquals(node.view().plain(), plain[1].strip());
            assertTrue(plain[1].startsWith("{\n  \"subject\": {\n    \"C\": \"US\",\n    \"O\": \"Ünïcödé Org\","),
                    plain[1]);

            // The file holds the chain up to the root: Node completes the sent chain with its trusted root.
            Path chain = dir.resolve("chain.pem");
            Files.writeString(chain, leaf.chainPem() + TestCerts.ROOT.certificatePem());
            String[] detailed = run("cert", "show", chain.toString(), "--detailed");
            assertEquals("0", detailed[0], detailed[2]);
            assertEquals(node.view().detailed(), detailed[1].strip());
            assertTrue(detailed[1].contains("\"issuerCertificate\": \"[Circular]\""), detailed[1]);
        }
    }

    @Test
    void fileWithoutCertificateFailsWithTheReadersCode(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, TestCerts.SERVER.privateKeyPem());
        String[] r = run("cert", "show", key.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("ERR_OSSL_PEM_NO_START_LINE") && r[2].contains("were key and cert swapped?"), r[2]);
        String[] missing = run("cert", "show", dir.resolve("nope.pem").toString());
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("no such file"), missing[2]);
    }
}
