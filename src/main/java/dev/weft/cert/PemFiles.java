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
 */
public final class PemFiles {
    private PemFiles() {
    }

    /**
     * Writes a public file (certificate, CSR, CRL).
     *
     * @throws FileAlreadyExistsException if {@code file} exists and {@code force} is false
     */
    public static void write(Path file, String content, boolean force) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8), force, false);
    }

    /**
     * Writes a private key: the file is created with permissions {@code rw-------} (on POSIX file systems).
     * With {@code force} an existing file is deleted first, so the new one gets those permissions too.
     *
     * @throws FileAlreadyExistsException if {@code file} exists and {@code force} is false
     */
    public static void writePrivate(Path file, String content, boolean force) throws IOException {
        write(file, content.getBytes(StandardCharsets.UTF_8), force, true);
    }

    /** Writes bytes; {@code secret} makes the file owner-only as {@link #writePrivate} does. */
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
