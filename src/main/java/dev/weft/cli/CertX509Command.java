package dev.weft.cli;

import dev.weft.cert.CertificateRequest;
import dev.weft.cert.CertificateRequests;
import dev.weft.cert.HeldCertificate;
import dev.weft.tls.TlsException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft cert x509}: {@code openssl x509 -req -signkey}. */
@Command(name = "x509", mixinStandardHelpOptions = true,
        description = "Make a self-signed certificate from a CSR and its own key: subject and issuer are the CSR's"
                + " subject, the CSR's subject alternative names are kept.",
        footer = {"", "Example:",
                "  ./weft cert x509 --csr csr.pem --signkey key.pem --days 30 --out cert.pem",
                "  # openssl x509 -req -in csr.pem -signkey key.pem -days 30 -copy_extensions copy -out cert.pem"})
final class CertX509Command implements Callable<Integer> {
    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "The certificate request, PEM.")
    Path csrFile;

    @Option(names = "--signkey", required = true, paramLabel = "FILE",
            description = "The request's own private key, PEM.")
    Path signkey;

    @Option(names = "--passphrase", paramLabel = "P", description = "Passphrase of an encrypted key.")
    String passphrase;

    @Option(names = "--days", defaultValue = "30", paramLabel = "N",
            description = "Validity in days from now. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The certificate file to write.")
    Path out;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() throws TlsException {
        Duration validity = CertCommands.days(days);
        output.refuseExisting(out);
        CertificateRequest csr = CertFiles.csr(csrFile);
        PrivateKey key = CertFiles.privateKey(signkey, passphrase);
        csr.publicKey(); // a CSR whose key cannot be read fails here, not as a mismatch
        HeldCertificate cert;
        try {
            cert = CertificateRequests.selfSign(csr, key, validity);
        } catch (IllegalArgumentException e) {
            throw CertFiles.mismatch(signkey, csrFile, e);
        }
        output.write(out, cert.certificatePem(), "self-signed certificate " + CertCaCommand.describe(cert.certificate()));
        return 0;
    }
}
