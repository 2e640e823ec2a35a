package dev.weft.cli;

import dev.weft.tls.TlsException;
import java.nio.file.Path;
import java.security.PrivateKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --force} and the writing of the one file a {@code weft cert} command makes (genkey, req, x509, pkcs12):
 * refused up front when it exists, unless {@code --force}, and reported as {@code wrote FILE (what, mode)} on the
 * command's output. The command keeps its own {@code --out}, whose help names what it writes.
 */
final class OutputFile {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    /** Fails with {@link CertFiles#FILE_EXISTS} when {@code file} exists and {@code --force} was not given. */
    void refuseExisting(Path file) throws TlsException {
        CertFiles.refuseExisting(force, file);
    }

    /** Writes a public file (certificate, CSR) and reports it. */
    void write(Path file, String content, String what) throws TlsException {
        files().write(file, content, force, what);
    }

    /** Writes a file, owner-only when {@code secret}, and reports it. */
    void write(Path file, byte[] content, boolean secret, String what) throws TlsException {
        files().write(file, content, force, secret, what);
    }

    /** Writes a private key, encrypted when {@code passphrase} is given, and reports it. */
    void writeKey(Path file, PrivateKey key, String passphrase, String what) throws TlsException {
        files().writeKey(file, key, passphrase, force, what);
    }

    private CertFiles files() {
        return new CertFiles(command.commandLine().getOut());
    }
}
