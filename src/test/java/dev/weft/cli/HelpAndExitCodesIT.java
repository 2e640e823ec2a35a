package dev.weft.cli;

import static dev.weft.cli.Run.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.tls.JsseProvider;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every command documents itself with examples, {@code weft --help} lists the exit codes, and the codes hold: 0
 * ok, 1 a runtime error on one stderr line with its code, 2 a usage error on one stderr line.
 */
class HelpAndExitCodesIT {

    /** Every command path under {@code weft}, found from picocli's model (so a new command is covered). */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && sub.getCommandName().equals(name)) { // picocli's help command; no aliases
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, paths);
            }
        });
    }

    @Test
    void everyCommandsHelpExitsZeroWithExamples() {
        List<List<String>> paths = commandPaths();
        assertTrue(paths.size() >= 14, paths.toString()); // weft, serve, connect, providers, cert and its commands
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = weft(args.toArray(String[]::new));
            assertEquals(0, r.code(), "weft " + args + ": " + r.err());
            assertTrue(r.out().contains("Example"), "weft " + args + " has no Example:\n" + r.out());
            assertEquals("", r.err(), "weft " + args);
        }
    }

    @Test
    void mainHelpListsTheExitCodes() {
        Run r = weft("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("0") && l.contains("ok")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("1") && l.contains("runtime error")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("2") && l.contains("usage error")), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"connect", "serve --no-such-option", "no-such-command", "cert genkey --type nonsense",
            "connect localhost:1 --provider nonsense"})
    void usageErrorsExitTwoWithOneLine(String command) {
        Run r = weft(command.split(" "));
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("weft: usage: ") && r.err().contains("--help"), r.err());
    }

    @ParameterizedTest
    @EnumSource(JsseProvider.class)
    void connectingToAClosedPortExitsOneWithTheCodeOnOneLine(JsseProvider p) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = weft("connect", "127.0.0.1:" + port, "--provider", p.cliName());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("weft: ECONNREFUSED: "), r.err());
    }

    @Test
    void providersSaysWhetherEachCanLogKeys() {
        Run r = weft("providers");
        assertEquals(0, r.code(), r.err());
        for (JsseProvider p : JsseProvider.values()) {
            int at = r.out().indexOf(p.cliName() + ":\n");
            assertTrue(at >= 0, r.out());
            int next = r.out().indexOf("\n" + (p.ordinal() + 1 < JsseProvider.values().length
                    ? JsseProvider.values()[p.ordinal() + 1].cliName() + ":\n" : "\u0000"), at);
            String section = r.out().substring(at, next < 0 ? r.out().length() : next);
            assertTrue(section.contains("  key logging (keylog, SSLKEYLOGFILE): no (") && section.contains(
                    p == JsseProvider.SUN ? "SunJSSE" : p == JsseProvider.BC ? "Bouncy Castle" : "Conscrypt"),
                    section);
        }
    }
}
