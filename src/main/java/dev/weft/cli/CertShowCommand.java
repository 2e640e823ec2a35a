package dev.weft.cli;

import dev.weft.tls.PeerCertificate;
import dev.weft.tls.internal.json.Json;
import dev.weft.tls.internal.pem.PemReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft cert show}: a certificate as Node's {@code getPeerCertificate()} object, in JSON. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print the first certificate in a PEM file as the JSON of Node's tlsSocket.getPeerCertificate():"
                + " the same keys in the same order and formats; raw and pubkey in base64.",
                "With --detailed, the other certificates in the file are its issuer chain (Node's"
                + " getPeerCertificate(true)); a self-issued root's issuerCertificate is \"[Circular]\"."},
        footer = {"", "Examples:", "  ./weft cert show server.pem", "  ./weft cert show chain.pem --detailed"})
final class CertShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "PEM file holding one or more certificates.")
    Path file;

    @Option(names = "--detailed", description = "Add issuerCertificate, linking the file's certificates as a chain.")
    boolean detailed;

    @Override
    public Integer call() throws Exception {
        byte[] pem;
        try {
            pem = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
        List<X509Certificate> certificates = PemReader.certificates(pem, file.toString());
        PeerCertificate cert = detailed ? PeerCertificate.detailed(certificates)
                : PeerCertificate.of(certificates.getFirst());
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.pretty(cert.toJson(detailed), 2));
        out.flush();
        return 0;
    }
}
