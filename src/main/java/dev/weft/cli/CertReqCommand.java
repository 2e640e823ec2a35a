package dev.weft.cli;

import dev.weft.cert.CertificateRequest;
import dev.weft.cert.CertificateRequests;
import dev.weft.tls.TlsException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft cert req}: {@code openssl req -new}. */
@Command(name = "req", mixinStandardHelpOptions = true,
        description = "Make a certificate signing request (PKCS#10) for a key, with the subject alternative names"
                + " in its extensionRequest attribute.",
        footer = {"", "Example:",
                "  ./weft cert req --key key.pem --subject /C=UK/O=node.js/CN=localhost"
                        + " --san DNS:localhost,IP:127.0.0.1 --out csr.pem",
                "  # openssl req -new -key key.pem -subj /C=UK/O=node.js/CN=localhost"
                        + " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -out csr.pem"})
final class CertReqCommand implements Callable<Integer> {
    @Mixin
    KeyFile key;

    @Option(names = "--passphrase", paramLabel = "P", description = "Passphrase of an encrypted key.")
    String passphrase;

    @Option(names = "--subject", required = true, paramLabel = "DN",
            description = "Subject, OpenSSL style /C=UK/O=node.js/CN=localhost (or RFC 4514 CN=localhost,O=node.js).")
    String subject;

    @Option(names = "--san", split = ",", paramLabel = "NAME",
            description = "Subject alternative names: DNS:x, IP:1.2.3.4, email:x, URI:x (comma-separated,"
                    + " repeatable); a name without a prefix is typed by its looks.")
    List<String> sans = List.of();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The CSR file to write.")
    Path out;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() throws TlsException {
        output.refuseExisting(out);
        PrivateKey privateKey = key.read(passphrase);
        KeyPair keys = CertCommands.keyPair(privateKey, key.file);
        String pem = CertCommands.argument(() -> CertificateRequests.create(keys, subject, sans));
        CertificateRequest csr = CertificateRequests.parse(pem);
        output.write(out, pem, "certificate request " + csr.subject()
                + ", " + CertFiles.describe(privateKey) + " key"
                + (sans.isEmpty() ? "" : ", " + String.join(", ", csr.subjectAlternativeNames())));
        return 0;
    }
}
