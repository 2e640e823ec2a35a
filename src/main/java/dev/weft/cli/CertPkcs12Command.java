package dev.weft.cli;

import dev.weft.cert.HeldCertificate;
import dev.weft.tls.TlsException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft cert pkcs12}: {@code openssl pkcs12 -export}. */
@Command(name = "pkcs12", mixinStandardHelpOptions = true,
        description = {"Bundle a private key and its certificate chain into a PKCS#12 file (Node's pfx), written"
                + " owner-only (mode 600). Keys and certificates are encrypted with AES-256-CBC (PBES2), the MAC is"
                + " HMAC-SHA256: OpenSSL 3's defaults.",
                "The chain is the certificates of --cert then --chain, leaf first; a self-signed root at the end"
                        + " is left out, as servers present chains."},
        footer = {"", "Example:",
                "  ./weft cert pkcs12 --key server-key.pem --cert server-chain.pem --passphrase secret"
                        + " --out server.pfx",
                "  # openssl pkcs12 -export -inkey server-key.pem -in server-chain.pem -passout pass:secret"
                        + " -out server.pfx"})
final class CertPkcs12Command implements Callable<Integer> {
    @Mixin
    KeyFile key;

    @Option(names = "--key-passphrase", paramLabel = "P", description = "Passphrase of an encrypted --key.")
    String keyPassphrase;

    @Option(names = "--cert", required = true, paramLabel = "FILE",
            description = "The key's certificate (first), optionally followed by its CA certificates, PEM.")
    Path cert;

    @Option(names = "--chain", paramLabel = "FILE", description = "More CA certificates, PEM.")
    Path chain;

    @Option(names = "--passphrase", required = true, paramLabel = "P", description = "Passphrase of the PKCS#12 file.")
    String passphrase;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .pfx/.p12 file to write.")
    Path out;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() throws TlsException {
        CertCommands.checkPassphrase(passphrase);
        output.refuseExisting(out);
        PrivateKey privateKey = key.read(keyPassphrase);
        List<X509Certificate> certificates = new ArrayList<>(CertFiles.certificates(cert));
        if (chain != null) {
            certificates.addAll(CertFiles.certificates(chain));
        }
        HeldCertificate held = CertFiles.held(privateKey, certificates, key.file, "the first certificate in " + cert);
        output.write(out, held.pkcs12(passphrase.toCharArray()), true,
                "PKCS#12, " + CertFiles.describe(privateKey) + " key and " + held.chain().size() + " certificate"
                        + (held.chain().size() == 1 ? "" : "s"));
        return 0;
    }
}
