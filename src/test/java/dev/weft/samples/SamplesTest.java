package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samples compile and run as documented: the seed's echo server and client talk to each other. */
class SamplesTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    static String[] sample(String name, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path source = Path.of(System.getProperty("weft.project.dir", "."), "samples", name + ".java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), source.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    @Test
    void echoClientTalksToEchoServer(@TempDir Path dir) {
        try (Tool server = Tool.start(dir, sample("EchoServer", "--port", "0"))) {
            server.awaitStdout("server bound", WAIT).awaitStdout("listening on port", WAIT);
            Matcher m = Pattern.compile("listening on port (\\d+)").matcher(server.stdout());
            assertTrue(m.find());
            try (Tool client = Tool.start(dir, sample("EchoClient", "--port", m.group(1)))) {
                client.write("hello from the sample\n");
                client.awaitStdout("hello from the sample", WAIT);
                client.closeStdin();
                assertEquals(0, client.await(WAIT), client.stderr());
                assertTrue(client.stdout().startsWith("client connected authorized\nwelcome!\n"), client.stdout());
            }
            server.awaitStdout("server connected unauthorized", WAIT);
        }
    }
}
