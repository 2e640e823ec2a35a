package dev.weft.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.Tool;
import dev.weft.tls.JsseProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * weft as the module {@code dev.weft} on the module path: an application module that {@code requires dev.weft}
 * compiles against it, runs a weft echo server and client in a child JVM on every provider, records weft's JFR
 * events, and gets a clear error when a provider's module is missing. A module that names
 * {@code dev.weft.tls.internal}, {@code dev.weft.bench} or {@code dev.weft.cli} does not compile.
 *
 * <p>The module path is {@code target/classes} and the dependency jars this test JVM runs with (its tests run on
 * the class path, as most users run weft).
 */
class ModulePathIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path CLASSES = Path.of(System.getProperty("weft.project.dir", "."), "target", "classes");

    /** weft's required modules: Bouncy Castle's provider, utilities and PKIX. */
    private static List<Path> required;
    private static Path bctls;
    private static Path conscrypt;
    /** The compiled application module weft.sample. */
    private static Path app;

    private static final String MODULE_INFO = """
            module weft.sample {
                requires dev.weft;
                requires jdk.jfr;
            }
            """;

    /**
     * Echoes one message over the provider named by its argument through a weft server and client, and prints what
     * the test checks. A TlsException (a provider that cannot be used) exits 3 with its code and message.
     */
    private static final String MAIN = """
            package sample;

            import dev.weft.cert.Certs;
            import dev.weft.cert.HeldCertificate;
            import dev.weft.tls.ClientOptions;
            import dev.weft.tls.JsseProvider;
            import dev.weft.tls.ServerOptions;
            import dev.weft.tls.Tls;
            import dev.weft.tls.TlsException;
            import dev.weft.tls.TlsServer;
            import dev.weft.tls.TlsSocket;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import jdk.jfr.Recording;
            import jdk.jfr.consumer.RecordingFile;

            public class Main {
                public static void main(String[] args) throws Exception {
                    JsseProvider provider = JsseProvider.fromName(args[0]);
                    Module weft = Tls.class.getModule();
                    System.out.println("module " + weft.getName() + " of " + Main.class.getModule().getName()
                            + ", exports dev.weft.tls.internal " + weft.isExported("dev.weft.tls.internal"));
                    HeldCertificate cert = Certs.selfSigned("localhost").san("127.0.0.1").build();
                    Path jfr = Files.createTempFile("weft-module-path", ".jfr");
                    try (Recording recording = new Recording()) {
                        recording.enable("dev.weft.Handshake");
                        recording.start();
                        ServerOptions serverOptions = ServerOptions.builder().provider(provider)
                                .key(cert.privateKeyPem()).cert(cert.certificatePem()).build();
                        try (TlsServer server = Tls.createServer(serverOptions,
                                s -> s.getInputStream().transferTo(s.getOutputStream())).listen(0, "127.0.0.1")) {
                            ClientOptions clientOptions = ClientOptions.builder().provider(provider)
                                    .ca(cert.certificatePem()).build();
                            try (TlsSocket client = Tls.connect(server.address().getPort(), "localhost",
                                    clientOptions)) {
                                byte[] hello = ("hello over " + provider.cliName() + " on the module path")
                                        .getBytes(StandardCharsets.UTF_8);
                                client.getOutputStream().write(hello);
                                client.getOutputStream().flush();
                                byte[] back = client.getInputStream().readNBytes(hello.length);
                                System.out.println("echoed " + new String(back, StandardCharsets.UTF_8));
                                System.out.println("client " + client.provider().cliName() + " "
                                        + client.protocol() + " authorized " + client.authorized());
                            }
                        } catch (TlsException e) {
                            System.out.println("refused " + e.code() + ": " + e.getMessage());
                            System.exit(3);
                        }
                        recording.stop();
                        recording.dump(jfr);
                    }
                    long handshakes = RecordingFile.readAllEvents(jfr).stream()
                            .filter(e -> e.getEventType().getName().equals("dev.weft.Handshake")).count();
                    Files.delete(jfr);
                    System.out.println("jfr handshakes " + handshakes);
                }
            }
            """;

    @BeforeAll
    static void compileTheApplicationModule(@TempDir Path dir) throws IOException {
        assertTrue(Files.isRegularFile(CLASSES.resolve("module-info.class")), "no module descriptor in " + CLASSES);
        required = List.of(jar("bcprov-jdk18on-"), jar("bcutil-jdk18on-"), jar("bcpkix-jdk18on-"));
        bctls = jar("bctls-jdk18on-");
        conscrypt = jar("conscrypt-openjdk-uber-");
        Compiled c = compile(dir, MAIN);
        assertEquals(0, c.exit(), c.diagnostics());
        app = c.out();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(JsseProvider.class)
    void echoesOnTheModulePath(JsseProvider provider, @TempDir Path dir) {
        List<Path> path = new ArrayList<>(required);
        List<String> flags = new ArrayList<>();
        switch (provider) {
            case SUN -> { }
            // bctls provides java.security.Provider, so service binding resolves it once its jar is on the path
            case BC -> path.add(bctls);
            // an automatic module provides no service here: the application adds it; it loads a native library
            case CONSCRYPT -> {
                path.add(conscrypt);
                flags.addAll(List.of("--add-modules", "org.conscrypt", "--enable-native-access=org.conscrypt"));
            }
        }
        try (Tool run = run(dir, path, flags, provider)) {
            assertEquals(0, run.exitCode(), () -> run.stdout() + run.stderr());
            String out = run.stdout();
            assertTrue(out.contains("module dev.weft of weft.sample, exports dev.weft.tls.internal false\n"), out);
            assertTrue(out.contains("echoed hello over " + provider.cliName() + " on the module path\n"), out);
            assertTrue(out.contains("client " + provider.cliName() + " TLSv1.3 authorized true\n"), out);
            assertTrue(out.contains("jfr handshakes 2\n"), out);
            assertFalse(run.stderr().contains("restricted method"), run.stderr());
        }
    }

    @Test
    void bouncyCastleJsseMissingFromTheModulePathIsAClearError(@TempDir Path dir) {
        try (Tool run = run(dir, required, List.of(), JsseProvider.BC)) {
            assertEquals(3, run.exitCode(), () -> run.stdout() + run.stderr());
            assertTrue(run.stdout().contains("refused ERR_WEFT_PROVIDER_UNAVAILABLE: Bouncy Castle JSSE is not in the "
                    + "module graph; put the Maven dependency org.bouncycastle:bctls-jdk18on on the module path and "
                    + "add the module org.bouncycastle.tls"), run.stdout());
        }
    }

    @Test
    void conscryptOnThePathButNotInTheGraphIsAClearError(@TempDir Path dir) {
        List<Path> path = new ArrayList<>(required);
        path.add(conscrypt);
        try (Tool run = run(dir, path, List.of(), JsseProvider.CONSCRYPT)) {
            assertEquals(3, run.exitCode(), () -> run.stdout() + run.stderr());
            assertTrue(run.stdout().contains("refused ERR_WEFT_PROVIDER_UNAVAILABLE: Conscrypt is not in the module "
                    + "graph;"), run.stdout());
            assertTrue(run.stdout().contains("(--add-modules org.conscrypt, or requires org.conscrypt in your "
                    + "module-info)"), run.stdout());
        }
    }

    @Test
    void internalPackagesAreNotExported(@TempDir Path dir) throws IOException {
        for (String internal : List.of("dev.weft.tls.internal.provider.ProviderSupport", "dev.weft.bench.Bench",
                "dev.weft.cli.Main")) {
            String pkg = internal.substring(0, internal.lastIndexOf('.'));
            Compiled c = compile(dir.resolve(pkg), """
                    package sample;

                    public class Main {
                        public static void main(String[] args) {
                            System.out.println(%s.class);
                        }
                    }
                    """.formatted(internal));
            assertNotEquals(0, c.exit(), internal + " compiled from another module");
            assertTrue(c.diagnostics().contains("package " + pkg + " is declared in module dev.weft, which does not "
                    + "export it"), c.diagnostics());
        }
    }

    private record Compiled(int exit, String diagnostics, Path out) {
    }

    /** Compiles the module weft.sample with {@code main} as sample/Main.java against weft's module. */
    private static Compiled compile(Path dir, String main) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("sample"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("sample/Main.java"), main);
        Path out = dir.resolve("out");
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path javac = java.resolveSibling("javac");
        assertTrue(Files.isExecutable(javac), "no javac next to " + java + ": run the tests on a JDK");
        Tool t = Tool.run(WAIT, dir, javac.toString(), "-d", out.toString(), "--module-path", modulePath(required),
                src.resolve("module-info.java").toString(), src.resolve("sample/Main.java").toString());
        return new Compiled(t.exitCode(), t.stdout() + t.stderr(), out);
    }

    /** Runs weft.sample on {@code provider} with weft and {@code jars} on the module path; waits for it to exit. */
    private static Tool run(Path dir, List<Path> jars, List<String> flags, JsseProvider provider) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(flags);
        cmd.addAll(List.of("--module-path", app + java.io.File.pathSeparator + modulePath(jars),
                "-m", "weft.sample/sample.Main", provider.cliName()));
        Tool t = Tool.start(dir, cmd.toArray(String[]::new));
        t.closeStdin();
        t.await(WAIT);
        return t;
    }

    private static String modulePath(List<Path> jars) {
        return Stream.concat(Stream.of(CLASSES), jars.stream()).map(Path::toString)
                .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
    }

    /** The jar on this JVM's class path whose file name starts with {@code prefix}. */
    private static Path jar(String prefix) {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".jar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar on the test class path"));
    }
}
