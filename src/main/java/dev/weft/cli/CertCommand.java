package dev.weft.cli;

import picocli.CommandLine.Command;

/** {@code weft cert ...}: placeholder until the certificates work lands. */
@Command(name = "cert", description = "Make keys, requests, certificates and a CA.",
        subcommands = {CertShowCommand.class})
final class CertCommand {
}
