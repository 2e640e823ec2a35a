package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule {@code package-info.java} states: the load generator uses weft only through {@code dev.weft.tls}'s public
 * API and {@code dev.weft.tls.internal.Json}, read from the compiled classes' constant pools (every class they name,
 * and every class in their signatures), and only the types the command line needs are public.
 */
class BenchPackageTest {
    private static final Path CLASSES = Path.of(System.getProperty("weft.project.dir", "."), "target", "classes");
    /** A class named in a descriptor or signature: {@code Ldev/weft/tls/TlsSocket;} or {@code ...<}. */
    private static final Pattern IN_DESCRIPTOR = Pattern.compile("L(dev/weft/[\\w/$]+)[;<]");

    @Test
    void usesOnlyTheTlsPublicApiAndJson() throws Exception {
        Set<String> wrong = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (Path file : classFiles()) {
            ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
            for (PoolEntry e : model.constantPool()) {
                List<String> names = new ArrayList<>();
                if (e instanceof ClassEntry c) {
                    names.add(c.asInternalName().replaceAll("^\\[+L?|;$", ""));
                } else if (e instanceof Utf8Entry u) {
                    Matcher m = IN_DESCRIPTOR.matcher(u.stringValue());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
                for (String name : names) {
                    if (name.startsWith("dev/weft/") && !name.startsWith("dev/weft/bench/")) {
                        used.add(name);
                        if (!allowed(name)) {
                            wrong.add(model.thisClass().asInternalName() + " -> " + name);
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), wrong, "dev.weft.bench may use dev.weft.tls's public API and Json only");
        assertTrue(used.contains("dev/weft/tls/Tls") && used.contains("dev/weft/tls/internal/Json"), used::toString);
    }

    @Test
    void onlyWhatTheCommandLineNeedsIsPublic() throws Exception {
        Set<String> publicTypes = new TreeSet<>();
        for (Path file : classFiles()) {
            String name = "dev.weft.bench." + file.getFileName().toString().replaceAll("\\.class$", "");
            if (!name.endsWith("package-info") && isPublic(Class.forName(name, false, getClass().getClassLoader()))) {
                publicTypes.add(name.substring("dev.weft.bench.".length()));
            }
        }
        assertEquals(Set.of("Bench", "BenchMode", "BenchResult", "BenchSettings"), publicTypes);
    }

    private static boolean allowed(String internalName) throws ClassNotFoundException {
        if (internalName.equals("dev/weft/tls/internal/Json")) {
            return true;
        }
        if (!internalName.startsWith("dev/weft/tls/") || internalName.indexOf('/', "dev/weft/tls/".length()) >= 0) {
            return false;
        }
        return isPublic(Class.forName(internalName.replace('/', '.'), false, BenchPackageTest.class.getClassLoader()));
    }

    private static boolean isPublic(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> classFiles() throws IOException {
        try (Stream<Path> files = Files.list(CLASSES.resolve("dev/weft/bench"))) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
            assertTrue(all.size() > 5, "no classes of dev.weft.bench in " + CLASSES);
            return all;
        }
    }
}
