package dev.weft.cli;

import dev.weft.tls.OcspResponder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;

/**
 * {@code weft serve --ocsp-response FILE}: staples the DER response in a file, read again whenever the file's
 * modification time changes (a job refreshes it before the response's nextUpdate, as with nginx's
 * {@code ssl_stapling_file}). A file that cannot be read staples nothing; the handshake goes on.
 */
final class OcspResponseFile implements OcspResponder {
    private final Path file;
    private volatile Read last = new Read(null, new byte[0]);

    private record Read(FileTime modified, byte[] bytes) {
    }

    OcspResponseFile(Path file) {
        this.file = file;
    }

    @Override
    public byte[] respond(X509Certificate certificate, X509Certificate issuer) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Read r = last;
            if (!modified.equals(r.modified())) {
                r = new Read(modified, Files.readAllBytes(file));
                last = r;
            }
            return r.bytes().length == 0 ? null : r.bytes();
        } catch (IOException e) {
            return null;
        }
    }
}
