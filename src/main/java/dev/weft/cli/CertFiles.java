package dev.weft.cli;

import dev.weft.cert.CertificateRequest;
import dev.weft.cert.CertificateRequests;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.cert.Pem;
import dev.weft.cert.PemFiles;
import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import dev.weft.tls.internal.pem.PemReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Key;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * The files of {@code weft cert}: every input is read by {@link PemReader} (CSRs by {@link CertificateRequests}),
 * every output written by {@link PemFiles}, and every failure becomes a {@link TlsException} with a stable code
 * that names the file, so the command line prints {@code weft: CODE: message} and exits 1.
 */
final class CertFiles {
    /** An output file exists and {@code --force} was not given. */
    static final String FILE_EXISTS = ErrorCode.FILE_EXISTS.code();
    /** An option value weft cannot use (key type, size, curve, subject, SAN, days). Node's code. */
    static final String INVALID_ARG = ErrorCode.INVALID_ARG_VALUE.code();
    /** A CSR file without a valid request. */
    static final String BAD_CSR = ErrorCode.BAD_CSR.code();
    /** A key that does not belong to the CSR or certificate it is used with. The code PemReader uses. */
    static final String KEY_MISMATCH = ErrorCode.KEY_VALUES_MISMATCH.code();

    private final PrintWriter out;

    CertFiles(PrintWriter out) {
        this.out = out;
    }

    // ---- reading ----

    static byte[] read(Path file) throws TlsException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException(ErrorCode.ENOENT, "no such file: " + file, e);
        } catch (AccessDeniedException e) {
            throw new TlsException(ErrorCode.EACCES, "permission denied: " + file, e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new TlsException(ErrorCode.EISDIR, file + " is a directory; expected a file", e);
            }
            throw new TlsException(ErrorCode.EIO, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first private key in {@code file}; {@code passphrase} (may be null) decrypts an encrypted one. */
    static PrivateKey privateKey(Path file, String passphrase) throws TlsException {
        byte[] pem = read(file);
        try {
            return PemReader.privateKey(pem, passphrase == null ? null : passphrase.toCharArray());
        } catch (TlsException e) {
            if (e.code().equals(ErrorCode.BAD_DECRYPT.code())) {
                throw new TlsException(e.code(), passphrase == null
                        ? file + " holds an encrypted key; give its --passphrase"
                        : "cannot decrypt the key in " + file + ": wrong passphrase?", e);
            }
            throw relabel(file, e);
        }
    }

    /** Every certificate in {@code file}, in order. */
    static List<X509Certificate> certificates(Path file) throws TlsException {
        return certificates(read(file), file);
    }

    /** Every certificate in {@code pem}, read from {@code file}, in order. */
    static List<X509Certificate> certificates(byte[] pem, Object file) throws TlsException {
        try {
            return PemReader.certificates(pem, "cert");
        } catch (TlsException e) {
            throw relabel(file, e);
        }
    }

    /** Every CRL in {@code pem}, read from {@code file}, in order. */
    static List<X509CRL> crls(byte[] pem, Path file) throws TlsException {
        try {
            return PemReader.crls(pem);
        } catch (TlsException e) {
            throw relabel(file, e);
        }
    }

    static CertificateRequest csr(Path file) throws TlsException {
        byte[] pem = read(file);
        try {
            return CertificateRequests.parse(new String(pem, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new TlsException(BAD_CSR, file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The key with its certificate chain; {@link #KEY_MISMATCH} when the key is not the first certificate's:
     * "{@code keyFile} does not match {@code certificates}: why".
     */
    static HeldCertificate held(PrivateKey key, List<X509Certificate> chain, Path keyFile, String certificates)
            throws TlsException {
        try {
            return HeldCertificate.of(key, chain);
        } catch (IllegalArgumentException e) {
            throw mismatch(keyFile, certificates, e);
        }
    }

    /** {@link #KEY_MISMATCH}: "{@code keyFile} does not match {@code what}: why". */
    static TlsException mismatch(Path keyFile, Object what, IllegalArgumentException e) {
        return new TlsException(KEY_MISMATCH, keyFile + " does not match " + what + ": " + e.getMessage(), e);
    }

    private static TlsException relabel(Object file, TlsException e) {
        return new TlsException(e.code(), file + ": " + e.getMessage(), e);
    }

    // ---- writing ----

    /** Fails with {@link #FILE_EXISTS} naming the first of {@code files} that exists, unless {@code force}. */
    static void refuseExisting(boolean force, Path... files) throws TlsException {
        if (force) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                throw exists(f);
            }
        }
    }

    private static TlsException exists(Path f) {
        return new TlsException(FILE_EXISTS, f + " exists; not overwritten without --force");
    }

    /** Writes a public file (certificate, CSR, CRL, chain) and prints {@code wrote FILE (what, mode 644)}. */
    void write(Path file, String content, boolean force, String what) throws TlsException {
        write(file, content.getBytes(StandardCharsets.UTF_8), force, false, what);
    }

    /** Writes a private key (owner-only from its creation) and prints {@code wrote FILE (what, mode 600)}. */
    void writePrivate(Path file, String content, boolean force, String what) throws TlsException {
        write(file, content.getBytes(StandardCharsets.UTF_8), force, true, what);
    }

    /**
     * Writes a private key, encrypted when {@code passphrase} is given, and prints
     * {@code wrote FILE (EC P-256 what[, encrypted], mode 600)}.
     */
    void writeKey(Path file, PrivateKey key, String passphrase, boolean force, String what) throws TlsException {
        writePrivate(file, passphrase == null ? Pem.privateKey(key)
                : Pem.encryptedPrivateKey(key, passphrase.toCharArray()), force,
                describe(key) + " " + what + (passphrase == null ? "" : ", encrypted"));
    }

    void write(Path file, byte[] content, boolean force, boolean secret, String what) throws TlsException {
        try {
            PemFiles.write(file, content, force, secret);
        } catch (FileAlreadyExistsException e) {
            throw exists(file);
        } catch (IOException e) {
            throw writeFailure(file, e);
        }
        wrote(file, what);
    }

    /**
     * Replaces a CA state file ({@code index.txt}, {@code crlnumber}, {@code crl.pem}) as a whole: written next to
     * it, then moved over it, so a reader never sees half a file.
     */
    void replace(Path file, String content, String what) throws TlsException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.deleteIfExists(tmp);
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw writeFailure(file, e);
        }
        wrote(file, what);
    }

    private void wrote(Path file, String what) {
        String mode = mode(file);
        out.println("wrote " + file + " (" + what + (mode.isEmpty() ? "" : ", mode " + mode) + ")");
        out.flush();
    }

    private static TlsException writeFailure(Path file, IOException e) {
        Path parent = file.toAbsolutePath().getParent();
        if (e instanceof NoSuchFileException && parent != null && !Files.isDirectory(parent)) {
            return new TlsException(ErrorCode.ENOENT, "cannot write " + file + ": no such directory " + parent, e);
        }
        if (e instanceof AccessDeniedException) {
            return new TlsException(ErrorCode.EACCES, "cannot write " + file + ": permission denied", e);
        }
        return new TlsException(ErrorCode.EIO, "cannot write " + file + ": " + e.getMessage(), e);
    }

    /** The file's permissions in octal ({@code 600}), or "" where the file system has none. */
    static String mode(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            int m = 0;
            for (PosixFilePermission x : p) {
                m |= 1 << (8 - x.ordinal()); // OWNER_READ is ordinal 0 = bit 8, ... OTHERS_EXECUTE = bit 0
            }
            return Integer.toOctalString(m);
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    // ---- descriptions ----

    /** "EC P-256", "RSA 2048", "Ed25519"; the JCA algorithm name for keys weft does not make. */
    static String describe(Key key) {
        try {
            return describe(KeyType.of(key));
        } catch (IllegalArgumentException e) {
            return key.getAlgorithm();
        }
    }

    static String describe(KeyType type) {
        return switch (type) {
            case RSA_2048, RSA_3072, RSA_4096 -> "RSA " + type.bits();
            case EC_P256 -> "EC P-256";
            case EC_P384 -> "EC P-384";
            case ED25519 -> "Ed25519";
        };
    }

    /** A serial number as OpenSSL prints it: upper-case hex, an even number of digits. */
    static String serial(java.math.BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(java.util.Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }
}
