package dev.weft.cli;

import dev.weft.tls.TlsException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code weft} command line: {@code serve}, {@code connect}, {@code bench}, {@code providers}, {@code cert}. */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Node's tls module for Java: TLS servers and clients on virtual threads.",
        subcommands = {ServeCommand.class, ConnectCommand.class, BenchCommand.class, ProvidersCommand.class,
                CertCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:runtime error: one line 'weft: CODE: message' on stderr (e.g. ECONNREFUSED)",
                "2:usage error: one line 'weft: usage: ...' on stderr"},
        footer = {"", "Examples:", "  ./weft serve --port 8000", "  ./weft connect 127.0.0.1:8000 --ca cert.pem",
                "  ./weft bench --mode handshake --port 8000 --insecure", "  ./weft providers",
                "  ./weft cert genkey --out key.pem", "Every command takes --help."})
public final class Main {

    /** Bouncy Castle reports its reading of the JDK's security properties at INFO and WARNING: keep it quiet. */
    private static final java.util.logging.Logger BC_LOG = java.util.logging.Logger.getLogger("org.bouncycastle");

    /** One line per log record, with the time: what a server's operator reads ({@code weft serve}). */
    static final String LOG_FORMAT = "%1$tF %1$tT %4$s %5$s%6$s%n";

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        BC_LOG.setLevel(java.util.logging.Level.SEVERE);
        if (System.getProperty("java.util.logging.config.file") == null) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 runtime error, 2 usage. */
    public static int run(String... args) {
        return run(new CommandLine(new Main()), args);
    }

    /** Runs the command line with its output and errors going to {@code out} and {@code err} (for tests). */
    static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        return run(cli, args);
    }

    private static int run(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof TlsException te) {
                commandLine.getErr().println("weft: " + te.code() + ": " + oneLine(te.getMessage()));
            } else {
                commandLine.getErr().println("weft: " + oneLine(e.toString()));
            }
            commandLine.getErr().flush();
            return 1;
        });
        cli.setParameterExceptionHandler((e, ignoredArgs) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("weft: usage: " + oneLine(e.getMessage()) + " (see '"
                    + c.getCommandSpec().qualifiedName() + " --help')");
            c.getErr().flush();
            return 2;
        });
        return cli.execute(args);
    }

    /** A message on one line: errors are one line on stderr, for scripts and logs. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"weft " + (v == null ? "(development)" : v)};
        }
    }
}
