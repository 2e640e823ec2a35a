package dev.weft.cli;

import dev.weft.tls.TlsException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --days N}: how long a certificate {@code weft cert ca} makes is valid; each command has its default. */
final class Validity {
    @Option(names = "--days", paramLabel = "N", description = "Validity in days. Default: ${DEFAULT-VALUE}.")
    int days;

    Validity(int defaultDays) {
        this.days = defaultDays;
    }

    /** The validity period; {@code ERR_INVALID_ARG_VALUE} unless {@code --days} is positive. */
    Duration period() throws TlsException {
        return CertCommands.days(days);
    }
}
