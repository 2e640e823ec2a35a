package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command line: {@code serve}, {@code connect}, {@code providers}, {@code cert}. */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Node's tls module for Java: TLS servers and clients on virtual threads.",
        subcommands = {CertCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 runtime error, 2 usage. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"weft " + (v == null ? "(development)" : v)};
        }
    }
}
