package dev.weft.cli;

import dev.weft.cert.Certs;
import dev.weft.cert.Crls;
import dev.weft.cert.Pem;
import dev.weft.tls.ErrorCode;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TrustedRoots;
import dev.weft.tls.VerifyOptions;
import dev.weft.tls.VerifyResult;
import dev.weft.tls.internal.trust.Verifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft cert verify}: {@code openssl verify}, with openssl's own single-dash flags so that a command line
 * copied from openssl runs as written, and the verdict of {@link Tls#verify}: the verification a weft handshake
 * runs (Node 24's, OpenSSL 3.5's checks), with the code the handshake would record. The command only maps flags to
 * {@link VerifyOptions}; it has no verification logic of its own.
 *
 * <p>Each certificate file is verified on its own (its first certificate, followed by the {@code -untrusted}
 * certificates as the rest of the chain a peer would send) and gets one line: {@code FILE: OK} on standard output,
 * or {@code FILE: verification failed: CODE (message)} on standard error, where CODE is Node's
 * {@code authorizationError} ({@code UNABLE_TO_GET_ISSUER_CERT_LOCALLY}, {@code CERT_HAS_EXPIRED},
 * {@code ERR_TLS_CERT_ALTNAME_INVALID}, ...) and the message is openssl's text for it. Exit code 0 when every
 * certificate verified, 2 when one did not (as openssl verify), 1 when a file could not be read, 2 for a usage error.
 *
 * <p>Flags: {@code -CAfile} (trusted certificates, replacing the default roots; CRLs in it are used with
 * {@code -crl_check}, as openssl does), {@code -untrusted} (repeatable), {@code -purpose sslserver|sslclient},
 * {@code -verify_hostname}, {@code -verify_ip}, {@code -attime}, {@code -CRLfile} (repeatable), {@code -crl_check},
 * {@code -crl_check_all}, {@code -partial_chain}. Without {@code -CAfile} the operating system's CA bundle is
 * trusted ({@link TrustedRoots#SYSTEM_PLUS_CA}), the file openssl's default verify paths hold.
 *
 * <p>Differences from openssl:
 * <ul>
 *   <li>Without {@code -purpose}, openssl checks no purpose; weft checks {@code sslserver}, as every handshake
 *       checks one (a weft client checks the server's chain for it). Give {@code -purpose sslclient} for a client's
 *       certificate. Purposes other than these two are refused: a TLS handshake checks no other.</li>
 *   <li>The security level of a handshake applies (Node 24's {@code SECLEVEL=2}: keys under 112 bits of strength
 *       and SHA-1 signatures are refused, {@code CA_MD_TOO_WEAK}, {@code EE_KEY_TOO_SMALL}, ...); openssl verify
 *       checks it only when given {@code -auth_level}.</li>
 *   <li>{@code -crl_check} checks the whole chain, as {@code -crl_check_all}: weft's CRL checking is Node's
 *       {@code crl} option, which sets both of OpenSSL's flags. A chain whose intermediate has no CRL fails with
 *       {@code UNABLE_TO_GET_CRL} where openssl's {@code -crl_check} (leaf only) passes, and a revoked intermediate
 *       fails. {@code -CRLfile} without {@code -crl_check} or {@code -crl_check_all} is read and not used, as in
 *       openssl; {@code -crl_check} with no CRL at all fails every certificate that needs one with
 *       {@code UNABLE_TO_GET_CRL}, as in openssl.</li>
 *   <li>{@code -verify_hostname} and {@code -verify_ip} are checked with Node's {@code checkServerIdentity}, after
 *       the chain verified (openssl checks them before the signatures and dates): a chain that is refused for
 *       another reason reports that reason. The code is {@code ERR_TLS_CERT_ALTNAME_INVALID} (openssl's errors 62
 *       "hostname mismatch" and 64 "IP address mismatch"), and an IP address given to {@code -verify_hostname} is
 *       matched against the IP addresses of the certificate, where openssl compares it to its DNS names.</li>
 *   <li>One line per refused certificate, with the code Node reports (the last error found); openssl prints each
 *       error it meets and stops at the first it cannot continue past.</li>
 *   <li>Unreadable files end as in openssl (a {@code -CAfile}, {@code -untrusted} or {@code -CRLfile} stops the
 *       command, a certificate file is skipped; exit 1), with weft's one-line error ({@code weft: ENOENT: no such
 *       file: FILE}). Usage errors exit 2, where openssl exits 1.</li>
 *   <li>Certificate files are PEM or DER; {@code -CAfile}, {@code -untrusted} and {@code -CRLfile} are PEM, and a
 *       {@code -CAfile} must hold a certificate (openssl takes one holding only CRLs). Other openssl verify flags
 *       ({@code -CApath}, {@code -trusted}, {@code -show_chain}, {@code -x509_strict}, {@code -policy},
 *       {@code -auth_level}, ...) are usage errors.</li>
 * </ul>
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify certificates as openssl verify does, with openssl's own flags (single dash), and the"
                + " verdict and code a weft handshake (Node's) would record: 'FILE: OK', or"
                + " 'FILE: verification failed: CODE (message)' on stderr.",
                "Each FILE's first certificate is verified, with the -untrusted certificates as the rest of its"
                + " chain. Without -CAfile the operating system's CA bundle is trusted, as openssl's default."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every certificate verified",
                "1:a file could not be read: one line 'weft: CODE: message' on stderr",
                "2:a certificate failed verification (as openssl verify), or a usage error"},
        footer = {"", "Examples:",
                "  ./weft cert verify -CAfile ca/ca-cert.pem -untrusted issuing/ca-cert.pem -purpose sslserver"
                        + " -verify_hostname www.example.test www-cert.pem",
                "  ./weft cert verify -CAfile ca/ca-cert.pem -crl_check -CRLfile ca/crl.pem server-cert.pem",
                "  ./weft cert verify -CAfile issuing/ca-cert.pem -partial_chain www-cert.pem",
                "  ./weft cert verify -attime 1767225600 -purpose sslclient client1-cert.pem",
                "",
                "Differences from openssl:",
                "  - Without -purpose openssl checks no purpose; weft checks sslserver, as a handshake always checks"
                        + " one. Only sslserver and sslclient exist.",
                "  - The handshake's security level applies (Node 24's SECLEVEL=2: keys under 112 bits, SHA-1"
                        + " signatures); openssl verify checks it only with -auth_level.",
                "  - -crl_check checks the whole chain, as -crl_check_all (Node's crl option): intermediates need"
                        + " their CRL too. -CRLfile without -crl_check is not used, as in openssl.",
                "  - -verify_hostname/-verify_ip use Node's checkServerIdentity once the chain verified"
                        + " (ERR_TLS_CERT_ALTNAME_INVALID); an IP given to -verify_hostname is matched as an IP.",
                "  - One line per certificate with Node's code (the last error found); openssl prints every error.",
                "  - Usage errors exit 2 (openssl: 1).",
                "See docs/certificates.md."})
final class CertVerifyCommand implements Callable<Integer> {
    /** openssl's other purposes: known, but not checked by any TLS handshake. */
    private static final Set<String> OTHER_PURPOSES = Set.of("nssslserver", "smimesign", "smimeencrypt", "crlsign",
            "any", "ocsphelper", "timestampsign", "codesign");

    @Spec
    CommandSpec spec;

    @Option(names = "-CAfile", paramLabel = "FILE",
            description = "Trusted certificates, PEM (replacing the default roots); CRLs in it count with -crl_check.")
    Path caFile;

    @Option(names = "-untrusted", paramLabel = "FILE",
            description = "Certificates that may complete the chain (intermediates), PEM. Repeatable.")
    List<Path> untrusted = new ArrayList<>();

    @Option(names = "-purpose", paramLabel = "PURPOSE",
            description = "sslserver (the default in weft) or sslclient.")
    String purpose;

    @Option(names = "-verify_hostname", paramLabel = "NAME",
            description = "The host name the certificate must be valid for (Node's checkServerIdentity).")
    String hostname;

    @Option(names = "-verify_ip", paramLabel = "IP", description = "The IP address the certificate must be valid for.")
    String ip;

    @Option(names = "-attime", paramLabel = "SECONDS",
            description = "Verify at this time, in seconds since 1970-01-01 UTC, instead of now.")
    Long attime;

    @Option(names = "-CRLfile", paramLabel = "FILE", description = "CRLs, PEM. Repeatable. Used with -crl_check.")
    List<Path> crlFiles = new ArrayList<>();

    @Option(names = "-crl_check", description = "Check revocation (weft: the whole chain, as -crl_check_all).")
    boolean crlCheck;

    @Option(names = "-crl_check_all", description = "Check revocation of every certificate of the chain.")
    boolean crlCheckAll;

    @Option(names = "-partial_chain", description = "Accept a chain that ends at a trusted certificate that is not"
            + " self-signed (an intermediate in -CAfile).")
    boolean partialChain;

    @Parameters(paramLabel = "CERT", arity = "0..*",
            description = "Certificate files, PEM or DER; each verified on its own. None: standard input.")
    List<Path> certificates = new ArrayList<>();

    @Override
    public Integer call() throws TlsException {
        VerifyOptions.Purpose role = purpose();
        if (ip != null) {
            checkIp(ip);
        }
        VerifyOptions.Builder options = VerifyOptions.builder().purpose(role).allowPartialTrustChain(partialChain);
        if (attime != null) {
            try {
                options.at(Instant.ofEpochSecond(attime));
            } catch (java.time.DateTimeException e) {
                throw new ParameterException(spec.commandLine(), "-attime " + attime + " is out of range");
            }
        }
        String caText = null;
        if (caFile != null) {
            byte[] ca = CertFiles.read(caFile);
            options.ca(Pem.certificates(CertFiles.certificates(ca, caFile).toArray(X509Certificate[]::new)));
            caText = new String(ca, StandardCharsets.ISO_8859_1);
        } else {
            options.trustedRoots(TrustedRoots.SYSTEM_PLUS_CA);
        }
        List<X509Certificate> rest = new ArrayList<>();
        for (Path f : untrusted) {
            rest.addAll(CertFiles.certificates(CertFiles.read(f), f));
        }
        List<X509CRL> crls = new ArrayList<>();
        for (Path f : crlFiles) {
            // read even when unused: a missing file is an error, as in openssl
            crls.addAll(CertFiles.crls(CertFiles.read(f), f));
        }
        if (crlCheck || crlCheckAll) {
            if (caText != null && caText.contains("-----BEGIN X509 CRL-----")) {
                // openssl reads CRLs there
                crls.addAll(CertFiles.crls(caText.getBytes(StandardCharsets.ISO_8859_1), caFile));
            }
            if (crls.isEmpty()) {
                crls.add(noCrl());
            }
            for (X509CRL c : crls) {
                options.crl(Pem.crl(c));
            }
        }
        // openssl checks the host name first, then the IP address; VerifyOptions has one of them: one verification each
        List<VerifyOptions> checks = new ArrayList<>();
        if (hostname != null) {
            checks.add(options.host(hostname).build());
        }
        if (ip != null) {
            checks.add(options.host(ip).build());
        }
        if (checks.isEmpty()) {
            checks.add(options.build());
        }

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean refused = false;
        boolean unreadable = false;
        List<String> names = certificates.isEmpty() ? List.of("stdin")
                : certificates.stream().map(Path::toString).toList();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            List<X509Certificate> chain = new ArrayList<>();
            try {
                chain.add(certificates.isEmpty() ? certificate(stdin(), name) : certificate(certificates.get(i)));
            } catch (TlsException e) {
                err.println("weft: " + e.code() + ": " + Main.oneLine(e.getMessage()));
                err.flush();
                unreadable = true;
                continue;
            }
            chain.addAll(rest);
            VerifyResult result = null;
            for (VerifyOptions check : checks) {
                result = Tls.verify(chain, check);
                if (!result.authorized()) {
                    break;
                }
            }
            if (result.authorized()) {
                out.println(name + ": OK");
                out.flush();
            } else {
                err.println(name + ": verification failed: " + result.authorizationError() + " ("
                        + message(result) + ")");
                err.flush();
                refused = true;
            }
        }
        return refused ? 2 : unreadable ? 1 : 0;
    }

    private VerifyOptions.Purpose purpose() {
        if (purpose == null || purpose.equals("sslserver")) {
            return VerifyOptions.Purpose.SERVER;
        }
        if (purpose.equals("sslclient")) {
            return VerifyOptions.Purpose.CLIENT;
        }
        if (OTHER_PURPOSES.contains(purpose)) {
            throw new ParameterException(spec.commandLine(), "-purpose " + purpose + " is not a purpose a TLS"
                    + " handshake checks; weft verifies sslserver or sslclient");
        }
        throw new ParameterException(spec.commandLine(), "invalid -purpose '" + purpose
                + "'; expected sslserver or sslclient");
    }

    private void checkIp(String address) {
        try {
            InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "-verify_ip '" + address + "' is not an IP address");
        }
    }

    /** The first certificate of a certificate file: PEM, or DER as openssl also reads. */
    private static X509Certificate certificate(Path file) throws TlsException {
        return certificate(CertFiles.read(file), file.toString());
    }

    private static X509Certificate certificate(byte[] bytes, String name) throws TlsException {
        if (bytes.length > 0 && bytes[0] == 0x30) {
            try {
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(bytes));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not DER after all: PemReader says what is wrong with it
            }
        }
        return CertFiles.certificates(bytes, name).getFirst();
    }

    private static byte[] stdin() throws TlsException {
        try {
            return System.in.readAllBytes();
        } catch (IOException e) {
            throw new TlsException(ErrorCode.EIO, "cannot read standard input: " + e.getMessage(), e);
        }
    }

    /**
     * A CRL that no certificate's issuer matches (its own throwaway issuer): {@code -crl_check} without any CRL
     * turns revocation checking on with nothing to check against, so a certificate that needs a CRL is refused
     * {@code UNABLE_TO_GET_CRL}, as openssl refuses it. weft checks revocation only when it is given a CRL.
     */
    private static X509CRL noCrl() {
        return Crls.create(Certs.ca("weft cert verify: no CRL was given").build(), List.of());
    }

    /** The refusal's text: openssl's, without the hint weft's API adds for its own callers. */
    private static String message(VerifyResult r) {
        String m = r.message() == null ? "" : r.message();
        if (m.endsWith(Verifier.SYSTEM_ROOTS_HINT)) {
            m = m.substring(0, m.length() - Verifier.SYSTEM_ROOTS_HINT.length());
        }
        return Main.oneLine(m);
    }
}
