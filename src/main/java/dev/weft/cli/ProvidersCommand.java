package dev.weft.cli;

import dev.weft.tls.JsseProvider;
import dev.weft.tls.TlsException;
import dev.weft.tls.internal.provider.ProviderSupport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft providers}: what each JSSE provider offers on this machine. */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "Show, for each TLS provider: available or why not, version, enabled protocols and default"
                + " cipher suites.",
        footer = {"", "Example:", "  ./weft providers"})
final class ProvidersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (JsseProvider p : JsseProvider.values()) {
            out.println(p.cliName() + ":");
            try {
                ProviderSupport s = ProviderSupport.of(p);
                List<List<String>> d = s.defaults();
                out.println("  available: yes");
                out.println("  version:   " + s.version());
                out.println("  protocols: " + String.join(", ", d.get(0)));
                out.println("  resumes:   " + s.resumption());
                out.println("  half-close (end() keeps reading): " + (s.canHalfClose() ? "yes" : "no"));
                out.println("  Ed25519 keys: " + (s.signsWithEdDsaKeys() ? "yes" : "no"));
                out.println("  shared ticket keys (Node's ticketKeys): not exposed by this provider");
                out.println("  key logging (keylog, SSLKEYLOGFILE): " + s.keylogUnsupported().map(why -> "no (" + why
                        + ")").orElse("yes"));
                out.println("  key-exchange groups (server): " + String.join(", ", s.serverGroups()));
                out.println("  keying-material exporters (exportKeyingMaterial): " + s.exporterUnsupported()
                        .map(why -> "no (" + why + ")").orElse("yes"));
                out.println("  OCSP stapling (server, ocspResponder): " + s.ocspStaplingUnsupported()
                        .map(why -> "no (" + why + ")").orElse("yes"));
                String finished = "TLS 1.2's first Finished (tls-unique)";
                out.println("  Finished messages (finished, peerFinished): client " + s.finishedUnsupported(false)
                        .map(why -> "no (" + why + ")").orElse(finished) + "; server " + s.finishedUnsupported(true)
                        .map(why -> "no (" + why + ")").orElse(finished));
                out.println("  signature algorithms (sigalgs): " + sigalgs(s));
                out.println("  cipher suites (default order):");
                d.get(1).forEach(c -> out.println("    " + c));
            } catch (TlsException e) {
                out.println("  available: no (" + e.getMessage() + ")");
            }
        }
        out.flush();
        return 0;
    }

    /** Whether the provider takes a {@code sigalgs} list: "yes", or "no" and why. */
    private static String sigalgs(ProviderSupport s) {
        try {
            s.checkSigalgs(List.of("ecdsa_secp256r1_sha256"));
            return "yes";
        } catch (TlsException e) {
            return "no (" + e.getMessage() + ")";
        }
    }
}
