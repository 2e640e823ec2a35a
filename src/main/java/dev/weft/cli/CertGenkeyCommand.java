package dev.weft.cli;

import dev.weft.cert.KeyType;
import dev.weft.tls.TlsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weft cert genkey}: {@code openssl genpkey} / {@code openssl genrsa}. */
@Command(name = "genkey", mixinStandardHelpOptions = true,
        description = {"Make a private key and write it as PKCS#8 PEM, owner-only (mode 600); encrypted"
                + " (PBES2, AES-256-CBC) when --passphrase is given."},
        footer = {"", "Examples:",
                "  ./weft cert genkey --out key.pem                  # openssl genpkey -algorithm EC"
                        + " -pkeyopt ec_paramgen_curve:P-256 -out key.pem",
                "  ./weft cert genkey --type rsa --bits 3072 --out key.pem   # openssl genrsa -out key.pem 3072"})
final class CertGenkeyCommand implements Callable<Integer> {
    @Mixin
    KeyTypeOption keyType;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The key file to write.")
    Path out;

    @Option(names = "--passphrase", paramLabel = "P", description = "Encrypt the key with this passphrase.")
    String passphrase;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() throws TlsException {
        KeyType type = keyType.keyType();
        CertCommands.checkPassphrase(passphrase);
        output.refuseExisting(out);
        output.writeKey(out, type.generate().getPrivate(), passphrase, "private key");
        return 0;
    }
}
