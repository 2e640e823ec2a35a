package dev.weft.cli;

import dev.weft.cert.KeyType;
import dev.weft.tls.TlsException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --type rsa|ec|ed25519 [--bits N | --curve NAME]}, shared by the commands that make a key. */
final class KeyTypeOption {
    @Option(names = "--type", paramLabel = "rsa|ec|ed25519", defaultValue = "ec",
            description = "Key type. Default: ${DEFAULT-VALUE} (with P-256).")
    String type;

    @Option(names = "--bits", paramLabel = "N", description = "RSA modulus size: 2048 (default), 3072 or 4096.")
    Integer bits;

    @Option(names = "--curve", paramLabel = "NAME",
            description = "EC curve: P-256 (default; also prime256v1, secp256r1) or P-384 (secp384r1).")
    String curve;

    /** The key type the options name; {@code ERR_INVALID_ARG_VALUE} for anything else. */
    KeyType keyType() throws TlsException {
        switch (type.toLowerCase(Locale.ROOT)) {
            case "rsa" -> {
                if (curve != null) {
                    throw invalid("--curve applies to --type ec, not rsa; use --bits for RSA");
                }
                return switch (bits == null ? 2048 : bits) {
                    case 2048 -> KeyType.RSA_2048;
                    case 3072 -> KeyType.RSA_3072;
                    case 4096 -> KeyType.RSA_4096;
                    default -> throw invalid("RSA --bits must be 2048, 3072 or 4096, got " + bits);
                };
            }
            case "ec", "ecdsa" -> {
                if (bits != null) {
                    throw invalid("--bits applies to --type rsa; for EC choose --curve P-256 or P-384");
                }
                return switch (curve == null ? "p-256" : curve.toLowerCase(Locale.ROOT)) {
                    case "p-256", "p256", "prime256v1", "secp256r1" -> KeyType.EC_P256;
                    case "p-384", "p384", "secp384r1" -> KeyType.EC_P384;
                    default -> throw invalid("unsupported --curve " + curve
                            + "; use P-256 (prime256v1, secp256r1) or P-384 (secp384r1)");
                };
            }
            case "ed25519" -> {
                if (bits != null || curve != null) {
                    throw invalid("--type ed25519 takes neither --bits nor --curve");
                }
                return KeyType.ED25519;
            }
            default -> throw invalid("unknown --type " + type + "; use rsa, ec or ed25519");
        }
    }

    private static TlsException invalid(String message) {
        return new TlsException(CertFiles.INVALID_ARG, message);
    }
}
