package dev.weft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of weft's layout (CONTRIBUTING.md, "Where a change goes"). A rule that fails names the class and the
 * dependency that broke it; move the code, do not loosen the rule.
 *
 * <pre>
 *   dev.weft.cli ──▶ dev.weft.bench ──▶ dev.weft.tls (public API and the server's path) ──▶ dev.weft.tls.internal.*
 *   internal:  streams ──▶ errors ──▶ handshake ──▶ engine      provider ──▶ engine, negotiation
 *              handshake, errors ──▶ trust ──▶ pem              x509 ──▶ json      limits, events: alone
 *   internal code may use the API's value types (TlsException, ErrorCode, JsseProvider), never its entry points
 *   dev.weft.cert (certificates made in code) depends on no other weft package
 * </pre>
 */
class ArchitectureTest {
    private static JavaClasses weft;

    @BeforeAll
    static void importWeft() {
        weft = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.weft");
    }

    /** The public API's types the internals may use: values and the exception, never the entry points. */
    private static final Set<String> API_VALUES = Set.of("TlsException", "ErrorCode", "ErrorCode$Origin",
            "JsseProvider", "EphemeralKeyInfo");

    @Test
    void internalsUseOnlyTheApisValueTypes() {
        noClasses().that().resideInAPackage("dev.weft.tls.internal..")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>(
                        "are dev.weft.tls classes other than " + API_VALUES) {
                    @Override
                    public boolean test(JavaClass c) {
                        return c.getPackageName().equals("dev.weft.tls")
                                && !API_VALUES.contains(c.getName().substring("dev.weft.tls.".length()));
                    }
                })
                .because("the internals sit below the public API: an arrow from them back up to TlsSocket, "
                        + "TlsServer or the options makes the connection's path climb back")
                .check(weft);
    }

    @Test
    void theLibraryDoesNotDependOnTheCommandLineOrTheBenchmark() {
        noClasses().that().resideInAnyPackage("dev.weft.tls..", "dev.weft.cert..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.weft.cli..", "dev.weft.bench..")
                .check(weft);
        noClasses().that().resideInAPackage("dev.weft.bench..")
                .should().dependOnClassesThat().resideInAPackage("dev.weft.cli..")
                .because("the load generator is a library the command line drives, not part of the command line")
                .check(weft);
    }

    @Test
    void certificatesAreMadeWithoutTheTlsCode() {
        noClasses().that().resideInAPackage("dev.weft.cert..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.weft.tls..", "dev.weft.cli..",
                        "dev.weft.bench..")
                .check(weft);
    }

    @Test
    void aProvidersClassesAreTouchedOnlyInThatProvidersClass() {
        noClasses().that().haveNameNotMatching("dev\\.weft\\.tls\\.internal\\.provider\\.Conscrypt.*")
                .should().dependOnClassesThat().resideInAnyPackage("org.conscrypt..")
                .check(weft);
        noClasses().that().haveNameNotMatching("dev\\.weft\\.tls\\.internal\\.provider\\.Bc.*")
                .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle.jsse..",
                        "org.bouncycastle.tls..")
                .because("Bouncy Castle's PKIX, ASN.1 and PEM code is a library anyone may use; its TLS stack is a "
                        + "provider, and a provider's quirks live in its class")
                .check(weft);
        noClasses().should().dependOnClassesThat().resideInAnyPackage("sun.security..", "com.sun.net.ssl..")
                .check(weft);
    }

    @Test
    void theEngineKnowsNoProviderAndTheValidatorNoConnection() {
        noClasses().that().resideInAPackage("dev.weft.tls.internal.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.weft.tls.internal.provider..")
                .because("the engine drives any SSLEngine; what differs between providers is decided in "
                        + "internal.provider, which makes the engine socket")
                .check(weft);
        noClasses().that().resideInAPackage("dev.weft.tls.internal.trust..")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>(
                        "are weft's engine or providers, or JSSE's connections (SSLSocket, SSLEngine, SSLSession...)") {
                    @Override
                    public boolean test(JavaClass c) {
                        String p = c.getPackageName();
                        return p.startsWith("dev.weft.tls.internal.engine")
                                || p.startsWith("dev.weft.tls.internal.provider") || p.equals("javax.net.ssl") && c.getSimpleName().startsWith("SSL");
                    }
                })
                .because("the validator judges certificate chains; it knows nothing of connections")
                .check(weft);
    }

    @Test
    void theInternalPackagesHaveNoCycles() {
        slices().matching("dev.weft.tls.internal.(*)..").should().beFreeOfCycles().check(weft);
    }

    @Test
    void everyPackageSaysWhatItOwns() {
        Path sources = Path.of(System.getProperty("weft.project.dir", ".")).resolve("src/main/java");
        Set<String> missing = new TreeSet<>();
        for (JavaClass c : weft) {
            if (!Files.exists(sources.resolve(c.getPackageName().replace('.', '/')).resolve("package-info.java"))) {
                missing.add(c.getPackageName());
            }
        }
        assertEquals(Set.of(), missing, "packages without a package-info.java saying what they own and may use");
    }
}
