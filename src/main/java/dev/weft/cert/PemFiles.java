package dev.weft.cert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes PEM (or any) files the careful way: an existing file is never replaced unless {@code force} says
 * so, and private keys are created owner-only ({@code rw-------}) from the start, never chmod-ed afterwards.
 * The methods block on file I/O; they are thread-safe, but two writers of one file race as files do.
 *
 * <p>Differences from Node: Node's {@code fs.writeFileSync(file, data, {flag: 'wx', mode: 0o600})} does the
 * same in two options; here a refused overwrite is a {@link java.nio.file.FileAlreadyExistsException}.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /**
     * Writes a public file (certificate, CSR, CRL).
     *
     * @param file the file to write
     * @param content what to write
     * @param force replace an existing file
     * @throws FileAlreadyExistsException if {@code file} exists and {@code force} is false
     */
    public static void write(Path file, String content, boolean force) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8), force, false);
    }

    /**
     * Writes a private key: the file is created with permissions {@code rw-------} (on POSIX file systems).
     * With {@code force} an existing file is deleted first, so the new one gets those permissions too.
     *
     * @param file the file to write
     * @param content what to write
     * @param force replace an existing file
     * @throws FileAlreadyExistsException if {@code file} exists and {@code force} is false
     */
    public static void writePrivate(Path file, String content, boolean force) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8), force, true);
    }

    /**
     * Writes bytes; {@code secret} makes the file owner-only as {@link #writePrivate} does.
     *
     * @param file the file to write
     * @param content what to write
     * @param force replace an existing file
     * @param secret create the file readable and writable by its owner only
     * @throws IOException the file cannot be written
     */
    public static void write(Path file, byte[] content, boolean force, boolean secret) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!force) {
                throw new FileAlreadyExistsException(file.toString(), null, "exists; not overwritten without force");
            }
            if (secret || !Files.isWritable(file)) {
                Files.delete(file);
            }
        }
        if (secret && file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            Files.createFile(file, ownerOnly);
            Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            return;
        }
        try (OutputStream out = Files.newOutputStream(file,
                force ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(content);
        }
    }
}
