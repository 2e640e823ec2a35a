package dev.weft.cli;

import dev.weft.cert.KeyType;
import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.function.Supplier;

/** Checks shared by the {@code weft cert} subcommands. */
final class CertCommands {
    private CertCommands() {
    }

    static void checkPassphrase(String passphrase) throws TlsException {
        if (passphrase != null && passphrase.isEmpty()) {
            throw new TlsException(CertFiles.INVALID_ARG, "empty --passphrase; give a passphrase or leave the"
                    + " option out for an unencrypted key");
        }
    }

    /** {@code --days N} as a validity period; {@code ERR_INVALID_ARG_VALUE} unless positive. */
    static Duration days(int days) throws TlsException {
        if (days <= 0) {
            throw new TlsException(CertFiles.INVALID_ARG, "--days must be positive, got " + days);
        }
        return Duration.ofDays(days);
    }

    /**
     * What {@code step} makes from the user's values (a subject, subject alternative names); its
     * {@link IllegalArgumentException} becomes {@code ERR_INVALID_ARG_VALUE} with the same message.
     */
    static <T> T argument(Supplier<T> step) throws TlsException {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new TlsException(CertFiles.INVALID_ARG, e.getMessage(), e);
        }
    }

    /** The key pair of a private key read from {@code file}. */
    static KeyPair keyPair(PrivateKey key, Path file) throws TlsException {
        try {
            return KeyType.keyPairOf(key);
        } catch (IllegalArgumentException e) {
            throw new TlsException(ErrorCode.OSSL_UNSUPPORTED, file + ": " + e.getMessage(), e);
        }
    }
}
