package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of {@code dev.weft.tls} and {@code dev.weft.cert}, compared with the checked-in listing
 * {@code src/test/resources/api/weft.api}: a public signature that changes without the listing changing fails the
 * build. After an intended change: {@code mvn test -Dtest=ApiListingTest -Dweft.api.update=true}, and review the
 * listing's diff.
 */
class ApiListingTest {
    private static final Path PROJECT = Path.of(System.getProperty("weft.project.dir", "."));
    private static final Path LISTING = PROJECT.resolve("src/test/resources/api/weft.api");

    @Test
    void publicApiMatchesTheListing() throws Exception {
        String now = String.join("\n", listing()) + "\n";
        if (Boolean.getBoolean("weft.api.update")) {
            Files.createDirectories(LISTING.getParent());
            Files.writeString(LISTING, now);
        }
        assertEquals(Files.readString(LISTING), now, "the public API changed: review it, then update the listing "
                + "with -Dweft.api.update=true");
    }

    static List<String> listing() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String pkg : List.of("dev.weft.tls", "dev.weft.cert")) {
            Path dir = PROJECT.resolve("target/classes").resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (!name.endsWith(".class")) {
                        continue;
                    }
                    Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - 6), false,
                            ApiListingTest.class.getClassLoader());
                    if (isPublic(c)) {
                        describe(c, lines);
                    }
                }
            }
        }
        return lines;
    }

    private static boolean isPublic(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isSynthetic();
    }

    private static void describe(Class<?> c, List<String> lines) {
        String kind = c.isRecord() ? "record" : c.isEnum() ? "enum" : c.isInterface() ? "interface" : "class";
        lines.add(kind + " " + c.getName() + (c.getSuperclass() != null && c.getSuperclass() != Object.class
                && !c.isEnum() && !c.isRecord() ? " extends " + c.getSuperclass().getName() : ""));
        List<String> members = new ArrayList<>();
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (Modifier.isPublic(k.getModifiers())) {
                members.add("  " + c.getSimpleName() + params(k.getGenericParameterTypes()));
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if ((Modifier.isPublic(m.getModifiers()) || (Modifier.isProtected(m.getModifiers())
                    && !Modifier.isFinal(c.getModifiers()))) && !m.isSynthetic() && !m.isBridge()) {
                members.add("  " + (Modifier.isStatic(m.getModifiers()) ? "static " : "")
                        + m.getGenericReturnType().getTypeName() + " " + m.getName()
                        + params(m.getGenericParameterTypes()));
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers())) {
                members.add("  field " + f.getGenericType().getTypeName() + " " + f.getName());
            }
        }
        members.stream().sorted().forEach(lines::add);
    }

    private static String params(java.lang.reflect.Type[] types) {
        List<String> names = new ArrayList<>();
        for (java.lang.reflect.Type t : types) {
            names.add(t.getTypeName());
        }
        return "(" + String.join(", ", names) + ")";
    }
}
