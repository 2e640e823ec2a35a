package dev.weft.tls;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;

/**
 * {@link TlsServer#watchCredentials}: a daemon thread that looks at a certificate and key file every interval
 * and, when their contents change, gives the server a context made from them.
 */
final class CredentialWatch {
    private static final System.Logger LOG = System.getLogger("dev.weft.tls.server");

    private CredentialWatch() {
    }

    /** Watches {@code cert} and {@code key} for {@code server} until {@code stopped} says so. */
    static void start(TlsServer server, ServerOptions options, Path cert, Path key, Duration interval,
            BooleanSupplier stopped) {
        Thread.ofPlatform().daemon().name("weft-watch-" + cert.getFileName()).start(() -> {
            String last = fingerprint(cert, key);
            while (!stopped.getAsBoolean()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                String now = fingerprint(cert, key);
                if (now == null || now.equals(last)) {
                    continue;
                }
                last = now;
                try {
                    server.setSecureContext(SecureContext.create(options.contextOptions().toBuilder().cert(cert)
                            .key(key).buildContextOptions()));
                    LOG.log(Level.INFO, "reloaded {0} and {1}", cert, key);
                } catch (TlsException e) {
                    LOG.log(Level.WARNING, "reload of {0} and {1} refused, keeping the current certificate: {2} {3}",
                            cert, key, e.code(), e.getMessage());
                }
            }
        });
    }

    /** A digest of both files' contents (through links); null while either cannot be read. */
    private static String fingerprint(Path cert, Path key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(cert));
            md.update((byte) 0);
            md.update(Files.readAllBytes(key));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
