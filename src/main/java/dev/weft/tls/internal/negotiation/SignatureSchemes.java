package dev.weft.tls.internal.negotiation;

import dev.weft.tls.ErrorCode;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/**
 * Whether a client offers a handshake signature the server's key can make and OpenSSL 3.5 at Node's security level
 * accepts: a check OpenSSL makes and the providers do not all make. Bouncy Castle and Conscrypt sign a TLS 1.2
 * handshake with SHA-1 for a client that offers nothing better (or sends no signature_algorithms, which in TLS 1.2
 * means SHA-1), and SunJSSE serves a client whose schemes do not fit the key; OpenSSL refuses both with
 * handshake_failure. Only the choice of refusing is weft's; which scheme signs stays the provider's.
 */
public final class SignatureSchemes {
    private SignatureSchemes() {
    }

    /** Why a ClientHello is refused: Node's code, the alert OpenSSL sends, and what to tell. */
    public record Refusal(ErrorCode code, int alert, String reason) {
    }

    /**
     * Why OpenSSL would refuse a client offering {@code schemes} (null: no signature_algorithms) to a server signing
     * with {@code key} in {@code version} (0x0303 or 0x0304); null when it would not.
     */
    public static Refusal refusal(int[] schemes, int version, PublicKey key) {
        boolean tls13 = version >= 0x0304;
        if (schemes == null) {
            return tls13
                    ? new Refusal(ErrorCode.MISSING_SIGALGS_EXTENSION, 109, "a TLS 1.3 ClientHello without "
                            + "signature_algorithms") // missing_extension
                    : new Refusal(ErrorCode.NO_SHARED_SIGNATURE_ALGORITHMS, 40, "no signature_algorithms, which in "
                            + "TLS 1.2 means SHA-1 signatures only (refused, as OpenSSL refuses them)");
        }
        if (schemes.length == 0) {
            return new Refusal(ErrorCode.BAD_EXTENSION, 50, "an empty or malformed signature_algorithms list");
        }
        boolean anyAcceptable = false;
        for (int scheme : schemes) {
            if (!acceptable(scheme)) {
                continue;
            }
            anyAcceptable = true;
            if (fits(scheme, key, tls13)) {
                return null;
            }
        }
        if (!anyAcceptable) {
            return new Refusal(ErrorCode.NO_SHARED_SIGNATURE_ALGORITHMS, 40, "no signature algorithm weft accepts "
                    + "among the client's (SHA-1 and MD5 are refused, as OpenSSL refuses them)");
        }
        if (tls13) {
            return new Refusal(ErrorCode.NO_SUITABLE_SIGNATURE_ALGORITHM, 40, "no signature algorithm the server's "
                    + key.getAlgorithm() + " key can make among the client's");
        }
        // TLS 1.2: OpenSSL finds no suite whose authentication the client's schemes allow
        return new Refusal(ErrorCode.NO_SHARED_CIPHER, 40, "the client's signature algorithms allow no suite for the "
                + "server's " + key.getAlgorithm() + " key");
    }

    /** Not MD5 (0x01xx) or SHA-1 (0x02xx), nor a DSA or anonymous scheme, nor an unknown one. */
    private static boolean acceptable(int scheme) {
        int hash = scheme >> 8;
        int signature = scheme & 0xff;
        if (hash >= 0x03 && hash <= 0x06) { // SHA-224 to SHA-512, with RSA (1) or ECDSA (3)
            return signature == 1 || signature == 3;
        }
        return scheme >= 0x0804 && scheme <= 0x080b // RSA-PSS (rsae, pss), Ed25519, Ed448
                || scheme >= 0x081a && scheme <= 0x081c; // ECDSA on the brainpool curves, TLS 1.3
    }

    /** Whether {@code key} can sign with {@code scheme}; in TLS 1.3 ECDSA schemes name the curve. */
    private static boolean fits(int scheme, PublicKey key, boolean tls13) {
        String alg = key.getAlgorithm();
        return switch (alg) {
            case "EC" -> curveScheme(key) < 0 || (scheme & 0xff) == 3 && (scheme >> 8) >= 0x03
                    && (!tls13 || scheme == curveScheme(key)); // another curve (brainpool): the provider decides
            case "RSA" -> (!tls13 && (scheme & 0xff) == 1) || (scheme >= 0x0804 && scheme <= 0x0806);
            case "RSASSA-PSS" -> scheme >= 0x0809 && scheme <= 0x080b;
            case "Ed25519" -> scheme == 0x0807;
            case "Ed448" -> scheme == 0x0808;
            case "EdDSA" -> scheme == 0x0807 || scheme == 0x0808;
            default -> true; // a key weft does not know: the provider decides
        };
    }

    /**
     * Whether {@code schemes} hold the ECDSA scheme TLS 1.3 binds to {@code key}'s curve (ecdsa_secp256r1_sha256 for
     * P-256, ...), or ecdsa_sha224 (which names no curve in any version); false for a key of another kind or curve.
     */
    public static boolean offersCurveScheme(int[] schemes, PublicKey key) {
        int bound = curveScheme(key);
        if (schemes == null || bound < 0) {
            return false;
        }
        for (int scheme : schemes) {
            if (scheme == bound || scheme == 0x0303) {
                return true;
            }
        }
        return false;
    }

    /** The TLS 1.3 ECDSA scheme of an EC key's curve: P-256, P-384, P-521; -1 for another curve. */
    private static int curveScheme(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            return -1;
        }
        return switch (ec.getParams().getCurve().getField().getFieldSize()) {
            case 256 -> 0x0403;
            case 384 -> 0x0503;
            case 521 -> 0x0603;
            default -> -1;
        };
    }
}
