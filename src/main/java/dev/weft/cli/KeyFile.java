package dev.weft.cli;

import dev.weft.tls.TlsException;
import java.nio.file.Path;
import java.security.PrivateKey;
import picocli.CommandLine.Option;

/** {@code --key FILE}: the private key a {@code weft cert} command reads (req, pkcs12). */
final class KeyFile {
    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The private key, PEM.")
    Path file;

    /** The key, decrypted with {@code passphrase} when it is encrypted; errors name the file. */
    PrivateKey read(String passphrase) throws TlsException {
        return CertFiles.privateKey(file, passphrase);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
