package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real peer or tool run as a process (openssl, node, the weft CLI). A test that needs a tool fails when it is
 * missing, never skips. Output is collected in the background so a chatty process never blocks.
 */
public final class Tool implements AutoCloseable {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final List<String> command;

    private final Thread outPump;
    private final Thread errPump;

    private Tool(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.outPump = pump(process.getInputStream(), out);
        this.errPump = pump(process.getErrorStream(), err);
    }

    /** Starts {@code command} (the first element is looked up on PATH) in {@code dir} (null: current). */
    public static Tool start(Path dir, String... command) {
        return start(dir, java.util.Map.of(), command);
    }

    /** As {@link #start(Path, String...)}, with {@code env} added to the process's environment. */
    public static Tool start(Path dir, java.util.Map<String, String> env, String... command) {
        requireOnPath(command[0]);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        try {
            return new Tool(List.of(command), pb.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", command) + ": " + e, e);
        }
    }

    /** Runs {@code command} to completion within {@code timeout} and returns it; fails the test on timeout. */
    public static Tool run(Duration timeout, Path dir, String... command) {
        Tool t = start(dir, command);
        t.closeStdin();
        t.await(timeout);
        return t;
    }

    /** Runs {@code command}, failing the test unless it exits 0; returns its standard output. */
    public static String check(Path dir, String... command) {
        Tool t = run(Duration.ofSeconds(60), dir, command);
        if (t.exitCode() != 0) {
            fail(String.join(" ", command) + " exited " + t.exitCode() + "\nstdout: " + t.stdout() + "\nstderr: "
                    + t.stderr());
        }
        return t.stdout();
    }

    /** Fails the test when {@code tool} is not on the PATH (absolute paths are taken as given). */
    /** A TCP port on the loopback address that was free a moment ago, for a tool that must be told its port. */
    public static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static void requireOnPath(String tool) {
        if (tool.contains("/")) {
            return;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Path.of(dir, tool).toFile().canExecute()) {
                return;
            }
        }
        fail(tool + " is required by this test but is not on the PATH (.ci/run installs it)");
    }

    /** The java command and class path of this test JVM, to run weft's CLI as a process. */
    public static List<String> weftCli(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.weft.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Thread pump(InputStream in, StringBuffer sink) {
        return Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    public OutputStream stdin() {
        return new OutputStream() {
            private final OutputStream o = process.getOutputStream();

            @Override
            public void write(int b) throws IOException {
                o.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                o.write(b, off, len);
                o.flush();
            }

            @Override
            public void close() {
                try {
                    o.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        };
    }

    /** Closes the process's standard input (its end of file). */
    public Tool closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        return this;
    }

    /** Writes {@code text} to the process's standard input. */
    public Tool write(String text) {
        try {
            OutputStream o = process.getOutputStream();
            o.write(text.getBytes(StandardCharsets.UTF_8));
            o.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to " + command.getFirst() + ": " + e + "\nstderr: " + err, e);
        }
        return this;
    }

    public String stdout() {
        return out.toString();
    }

    public String stderr() {
        return err.toString();
    }

    /** Waits until standard output contains {@code text}; fails with both outputs after {@code timeout}. */
    public Tool awaitStdout(String text, Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .until(() -> out.toString().contains(text) || !process.isAlive());
            if (!out.toString().contains(text)) {
                process.waitFor(2, TimeUnit.SECONDS); // let the pumps drain what it printed before exiting
                Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> out.toString().contains(text));
            }
        } catch (ConditionTimeoutException | InterruptedException e) {
            fail("'" + text + "' not seen from " + String.join(" ", command) + (process.isAlive() ? ""
                    : " (exited " + process.exitValue() + ")") + "\nstdout: " + out + "\nstderr: " + err);
        }
        return this;
    }

    /** Waits for the process to exit; fails the test after {@code timeout}. */
    public int await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(new TimeoutException(String.join(" ", command) + " did not exit within " + timeout
                        + "\nstdout: " + out + "\nstderr: " + err));
            }
            outPump.join(5_000); // everything it printed is read once both pipes reach end of stream
            errPump.join(5_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends the signal {@code name} (TERM, INT, ...) to the process, as {@code kill -NAME pid} does. */
    public Tool signal(String name) {
        check(null, "kill", "-" + name, Long.toString(process.pid()));
        return this;
    }

    public int exitCode() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process (and its children) if it is still running. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
