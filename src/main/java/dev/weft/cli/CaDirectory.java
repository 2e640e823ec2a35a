package dev.weft.cli;

import dev.weft.tls.TlsException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --dir DIR}: the existing CA that {@code weft cert ca issue}, {@code revoke} and {@code crl} work on. */
final class CaDirectory {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The CA directory.")
    Path dir;

    /** The CA in {@code --dir}; {@code ERR_WEFT_NOT_A_CA} when there is none. */
    CertCaCommand.Ca load() throws TlsException {
        return CertCaCommand.Ca.load(dir);
    }
}
