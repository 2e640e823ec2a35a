package dev.weft.trust;

import dev.weft.cert.Pem;
import dev.weft.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code openssl verify} (the openssl on the PATH: 3.0 on Debian 12) run with the flags that mirror what Node's TLS
 * stack asks of OpenSSL when it verifies a peer's chain:
 * <ul>
 * <li>{@code -purpose sslserver} or {@code sslclient}: OpenSSL's TLS client verifies a server's chain with the
 *     {@code ssl_server} parameters and a server a client's with {@code ssl_client};</li>
 * <li>{@code -auth_level N}: the TLS stack passes its security level to verification as the auth level. Node 24
 *     (OpenSSL 3.5, default level 2) refuses an RSA-1024 leaf as "EE certificate key too weak", Node 20 on Debian's
 *     OpenSSL 3.0 (default level 1) accepts it; both refuse a SHA-1-signed leaf ("CA signature digest algorithm too
 *     weak": OpenSSL 3 rates SHA-1 below 80 bits). {@link #NODE24_AUTH_LEVEL} and {@link #NODE20_AUTH_LEVEL};</li>
 * <li>{@code -CAfile} the case's {@code trusted} (Node's {@code ca}) and nothing else ({@code -no-CApath
 *     -no-CAstore}; with no trusted certificate also {@code -no-CAfile}: Node's default roots hold none of the
 *     corpus's CAs either);</li>
 * <li>{@code -untrusted} everything sent after the leaf, as the TLS stack hands the whole received chain to
 *     verification;</li>
 * <li>{@code -crl_check_all -CRLfile} when the case has CRLs (Node sets CRL_CHECK | CRL_CHECK_ALL with {@code crl});
 *     {@code -partial_chain} for {@code allowPartialTrustChain}.</li>
 * </ul>
 * Node's verify callback accepts every error so that verification runs to the end and reports the last error;
 * {@code openssl verify}'s callback stops at most errors, so on a chain with several faults its code may differ
 * from Node's, but its verdict does not. Stateless and thread-safe.
 */
public final class OpensslVerify {
    /** The security level Node 24's TLS verification runs at (OpenSSL 3.5's default). */
    public static final int NODE24_AUTH_LEVEL = 2;
    /** The security level Debian's Node 20 runs at (OpenSSL 3.0's default; Node does not read Debian's openssl.cnf). */
    public static final int NODE20_AUTH_LEVEL = 1;

    private static final Pattern ERROR = Pattern.compile("(?m)^error (\\d+) at (\\d+) depth lookup: ?(.*)$");

    /** OpenSSL's X509_V_ERR_* names by number (x509_vfy.h, OpenSSL 3.0), without the prefix. */
    private static final String[] NAMES = ("OK UNSPECIFIED UNABLE_TO_GET_ISSUER_CERT UNABLE_TO_GET_CRL "
            + "UNABLE_TO_DECRYPT_CERT_SIGNATURE UNABLE_TO_DECRYPT_CRL_SIGNATURE UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY "
            + "CERT_SIGNATURE_FAILURE CRL_SIGNATURE_FAILURE CERT_NOT_YET_VALID CERT_HAS_EXPIRED CRL_NOT_YET_VALID "
            + "CRL_HAS_EXPIRED ERROR_IN_CERT_NOT_BEFORE_FIELD ERROR_IN_CERT_NOT_AFTER_FIELD "
            + "ERROR_IN_CRL_LAST_UPDATE_FIELD ERROR_IN_CRL_NEXT_UPDATE_FIELD OUT_OF_MEM DEPTH_ZERO_SELF_SIGNED_CERT "
            + "SELF_SIGNED_CERT_IN_CHAIN UNABLE_TO_GET_ISSUER_CERT_LOCALLY UNABLE_TO_VERIFY_LEAF_SIGNATURE "
            + "CERT_CHAIN_TOO_LONG CERT_REVOKED NO_ISSUER_PUBLIC_KEY PATH_LENGTH_EXCEEDED INVALID_PURPOSE "
            + "CERT_UNTRUSTED CERT_REJECTED SUBJECT_ISSUER_MISMATCH AKID_SKID_MISMATCH AKID_ISSUER_SERIAL_MISMATCH "
            + "KEYUSAGE_NO_CERTSIGN UNABLE_TO_GET_CRL_ISSUER UNHANDLED_CRITICAL_EXTENSION KEYUSAGE_NO_CRL_SIGN "
            + "UNHANDLED_CRITICAL_CRL_EXTENSION INVALID_NON_CA PROXY_PATH_LENGTH_EXCEEDED "
            + "KEYUSAGE_NO_DIGITAL_SIGNATURE PROXY_CERTIFICATES_NOT_ALLOWED INVALID_EXTENSION "
            + "INVALID_POLICY_EXTENSION NO_EXPLICIT_POLICY DIFFERENT_CRL_SCOPE UNSUPPORTED_EXTENSION_FEATURE "
            + "UNNESTED_RESOURCE PERMITTED_VIOLATION EXCLUDED_VIOLATION SUBTREE_MINMAX APPLICATION_VERIFICATION "
            + "UNSUPPORTED_CONSTRAINT_TYPE UNSUPPORTED_CONSTRAINT_SYNTAX UNSUPPORTED_NAME_SYNTAX "
            + "CRL_PATH_VALIDATION_ERROR PATH_LOOP SUITE_B_INVALID_VERSION SUITE_B_INVALID_ALGORITHM "
            + "SUITE_B_INVALID_CURVE SUITE_B_INVALID_SIGNATURE_ALGORITHM SUITE_B_LOS_NOT_ALLOWED "
            + "SUITE_B_CANNOT_SIGN_P_384_WITH_P_256 HOSTNAME_MISMATCH EMAIL_MISMATCH IP_ADDRESS_MISMATCH "
            + "DANE_NO_MATCH EE_KEY_TOO_SMALL CA_KEY_TOO_SMALL CA_MD_TOO_WEAK INVALID_CALL STORE_LOOKUP "
            + "NO_VALID_SCTS PROXY_SUBJECT_NAME_VIOLATION OCSP_VERIFY_NEEDED OCSP_VERIFY_FAILED OCSP_CERT_UNKNOWN "
            + "UNSUPPORTED_SIGNATURE_ALGORITHM SIGNATURE_ALGORITHM_MISMATCH SIGNATURE_ALGORITHM_INCONSISTENCY "
            + "INVALID_CA PATHLEN_INVALID_FOR_NON_CA PATHLEN_WITHOUT_KU_KEY_CERT_SIGN "
            + "KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA ISSUER_NAME_EMPTY SUBJECT_NAME_EMPTY "
            + "MISSING_AUTHORITY_KEY_IDENTIFIER MISSING_SUBJECT_KEY_IDENTIFIER EMPTY_SUBJECT_ALT_NAME "
            + "EMPTY_SUBJECT_SAN_NOT_CRITICAL CA_BCONS_NOT_CRITICAL AUTHORITY_KEY_IDENTIFIER_CRITICAL "
            + "SUBJECT_KEY_IDENTIFIER_CRITICAL CA_CERT_MISSING_KEY_USAGE EXTENSIONS_REQUIRE_VERSION_3 "
            + "EC_KEY_EXPLICIT_PARAMS").split(" ");

    private final int authLevel;

    /**
     * An {@code openssl verify} at this security level.
     *
     * @param authLevel {@link #NODE24_AUTH_LEVEL} or {@link #NODE20_AUTH_LEVEL}
     */
    public OpensslVerify(int authLevel) {
        this.authLevel = authLevel;
    }

    /** What one run printed: the verdict, the last error's number and depth (-1 when none), and the output. */
    public record Result(Verdict verdict, int error, int depth, List<String> command, String output) {
    }

    /**
     * {@return how {@code openssl verify} judges {@code c} for the purpose of direction {@code d}}
     *
     * @param c the case
     * @param d which side presents the chain (sslserver or sslclient)
     */
    public Verdict verify(ChainCase c, Direction d) {
        return run(c, d).verdict();
    }

    /**
     * {@return the whole run of {@link #verify}: command, output, error number and depth}
     *
     * @param c the case
     * @param d which side presents the chain
     */
    public Result run(ChainCase c, Direction d) {
        Path dir;
        try {
            dir = Files.createTempDirectory("weft-openssl-verify-");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try {
            List<String> cmd = new ArrayList<>(List.of("openssl", "verify", "-purpose", d.opensslPurpose(),
                    "-auth_level", Integer.toString(authLevel), "-no-CApath", "-no-CAstore"));
            if (c.trusted().isEmpty()) {
                cmd.add("-no-CAfile");
            } else {
                cmd.addAll(List.of("-CAfile", write(dir, "ca.pem", Pem.certificates(
                        c.trusted().toArray(X509Certificate[]::new)))));
            }
            if (c.sent().size() > 1) {
                cmd.addAll(List.of("-untrusted", write(dir, "untrusted.pem", Pem.certificates(
                        c.sent().subList(1, c.sent().size()).toArray(X509Certificate[]::new)))));
            }
            if (!c.crls().isEmpty()) {
                StringBuilder crls = new StringBuilder();
                for (X509CRL x : c.crls()) {
                    crls.append(Pem.crl(x));
                }
                cmd.addAll(List.of("-crl_check_all", "-CRLfile", write(dir, "crl.pem", crls.toString())));
            }
            if (c.allowPartialTrustChain()) {
                cmd.add("-partial_chain");
            }
            cmd.add(write(dir, "leaf.pem", Pem.certificates(c.leaf())));
            Tool t = Tool.run(Duration.ofSeconds(30), null, cmd.toArray(String[]::new));
            String output = t.stdout() + t.stderr();
            String[] last = null; // number, depth, message of the last "error N at D depth lookup" line
            for (Matcher m = ERROR.matcher(output); m.find(); ) {
                last = new String[] {m.group(1), m.group(2), m.group(3).strip()};
            }
            boolean ok = t.exitCode() == 0 && t.stdout().contains(": OK");
            if (ok) {
                return new Result(new Verdict(true, null, null, null), 0, -1, cmd, output);
            }
            if (last == null) {
                return new Result(new Verdict(false, "NO_ERROR_LINE", output.strip(), null), -1, -1, cmd, output);
            }
            int error = Integer.parseInt(last[0]);
            return new Result(new Verdict(false, errorName(error), last[2], null), error, Integer.parseInt(last[1]),
                    cmd, output);
        } finally {
            delete(dir);
        }
    }

    /** {@return OpenSSL's name (without {@code X509_V_ERR_}) of verification error {@code number}} */
    static String errorName(int number) {
        return number >= 0 && number < NAMES.length ? NAMES[number] : "ERROR_" + number;
    }

    /** {@return the openssl on the PATH's version line} */
    public static String version() {
        return Tool.check(null, "openssl", "version").strip();
    }

    private static String write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content).toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
