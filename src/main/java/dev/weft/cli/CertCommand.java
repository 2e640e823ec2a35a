package dev.weft.cli;

import picocli.CommandLine.Command;

/**
 * {@code weft cert ...}: keys, requests, certificates and a small CA, each subcommand the counterpart of the
 * openssl step it replaces. Add a subcommand by adding its class to {@code subcommands}.
 */
@Command(name = "cert", mixinStandardHelpOptions = true,
        description = "Make keys, requests, certificates and a CA (the openssl steps of Node's tls documentation, and more).",
        subcommands = {
                CertGenkeyCommand.class,
                CertReqCommand.class,
                CertX509Command.class,
                CertCaCommand.class,
                CertPkcs12Command.class,
                CertShowCommand.class,
                CertVerifyCommand.class,
        },
        footer = {"", "Example (the three openssl steps of Node's tls documentation):",
                "  ./weft cert genkey --out key.pem",
                "  ./weft cert req --key key.pem --subject /C=UK/O=node.js/CN=localhost --san DNS:localhost"
                        + " --out csr.pem",
                "  ./weft cert x509 --csr csr.pem --signkey key.pem --out cert.pem",
                "  ./weft cert verify -CAfile cert.pem -verify_hostname localhost cert.pem"
                        + "   # then check it, as openssl verify",
                "See docs/certificates.md."})
final class CertCommand {
}
