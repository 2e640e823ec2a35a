package dev.weft.cli;

import dev.weft.tls.ContextOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code serve} and {@code connect} share for what a handshake negotiates. */
final class NegotiationOptions {
    @Option(names = "--alpn", split = ",", description = "ALPN protocols, most preferred first (h2,http/1.1).")
    List<String> alpn = List.of();

    @Option(names = "--min-version", description = "Lowest TLS version: TLSv1.2 (default) or TLSv1.3.")
    String minVersion;

    @Option(names = "--max-version", description = "Highest TLS version: TLSv1.3 (default) or TLSv1.2.")
    String maxVersion;

    @Option(names = "--ciphers", description = "Cipher suites in OpenSSL's syntax (ECDHE-ECDSA-AES128-GCM-SHA256:...).")
    String ciphers;

    /** Applies the versions and ciphers given to {@code b}. */
    <B extends ContextOptions.Settings<B>> B applyTo(B b) {
        if (minVersion != null) {
            b.minVersion(minVersion);
        }
        if (maxVersion != null) {
            b.maxVersion(maxVersion);
        }
        if (ciphers != null) {
            b.ciphers(ciphers);
        }
        return b;
    }

    String[] alpn() {
        return alpn.toArray(String[]::new);
    }
}
