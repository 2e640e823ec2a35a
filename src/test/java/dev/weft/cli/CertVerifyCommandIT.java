package dev.weft.cli;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.cert.Certs;
import dev.weft.cert.Crls;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.cert.Pem;
import dev.weft.testing.Node24;
import dev.weft.testing.Tool;
import dev.weft.tls.Tls;
import dev.weft.tls.VerifyOptions;
import dev.weft.tls.VerifyResult;
import dev.weft.tls.internal.pem.PemReader;
import dev.weft.tls.internal.trust.X509Error;
import dev.weft.trust.ChainCase;
import dev.weft.trust.Direction;
import dev.weft.trust.NodeOracle;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code weft cert verify} against the real {@code openssl verify}: a corpus of chains made in code, each run through
 * both with the same command line on the same files. Each file's verdict and the exit status (0 or not) must agree,
 * and when both refuse, weft's code must be one openssl reported: openssl's text equals weft's message and, where
 * {@link X509Error} knows openssl's number, Node's name for it is weft's code (a host-name mismatch, openssl's errors
 * 62 and 64, is Node's {@code ERR_TLS_CERT_ALTNAME_INVALID}). Nothing expected is written down here: openssl is the
 * oracle.
 *
 * <p>weft reports what a Node 24 handshake reports, so where the two differ, Node 24 (OpenSSL 3.5, through
 * {@link NodeOracle}) is asked the same question (the file's chain with the {@code ca}, {@code crl} and
 * {@code allowPartialTrustChain} the flags mean) whenever Node can be asked it: a differing code is accepted when
 * it is Node 24's (openssl verify stops at its first error, Node's callback goes on and reports the last); a
 * differing verdict needs a reason written in the case ({@code known}) and, when Node can be asked, Node 24's
 * agreement. Cases where weft's validator differs from Node 24 as well are marked {@code gap} and reported. Every
 * difference is printed.
 */
class CertVerifyCommandIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern OPENSSL_ERROR =
            Pattern.compile("^(?:\\[CRL path\\] )?error (\\d+) at (\\d+) depth lookup: (.*)$");
    private static final Pattern OPENSSL_FAILED = Pattern.compile("^error (.+): verification failed$");
    private static final Pattern WEFT_FAILED = Pattern.compile("^(.+): verification failed: (\\S+) \\((.*)\\)$");
    /** openssl's host and IP mismatches (not in X509Error: Node reports them as its own code). */
    private static final Map<Integer, String> HOST_ERRORS = Map.of(62, "hostname mismatch", 64, "IP address mismatch");
    private static final String HOST_CODE = "ERR_TLS_CERT_ALTNAME_INVALID";

    @TempDir
    Path dir;


    /** One openssl error line: {@code error N at D depth lookup: TEXT}. */
    record OpensslError(int number, int depth, String text) {
        @Override
        public String toString() {
            return number + "@" + depth + " " + text;
        }
    }

    /** One file's verdict: OK, refused (with openssl's errors or weft's code and message), or not read. */
    record FileVerdict(String state, List<OpensslError> errors, String code, String message) {
        static FileVerdict ok() {
            return new FileVerdict("OK", List.of(), null, null);
        }

        boolean isOk() {
            return state.equals("OK");
        }

        @Override
        public String toString() {
            return switch (state) {
                case "OK" -> "OK";
                case "unreadable" -> "unreadable" + (code == null ? "" : " " + code);
                default -> code != null ? code + " (" + message + ")" : "failed " + errors;
            };
        }
    }

    /**
     * A command line of openssl verify. {@code known}: why weft may answer differently on purpose (Node's rules, or
     * a flag weft cannot map), else null; {@code gap}: the difference is weft's validator's, which Node 24 does not
     * share either (reported, not a choice of this command).
     */
    record Case(String name, List<String> args, String known, boolean gap) {
        List<String> files() {
            // the certificate files: the arguments after the last flag and its value
            List<String> files = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("-")) {
                    if (!List.of("-crl_check", "-crl_check_all", "-partial_chain").contains(a)) {
                        i++;
                    }
                    files.clear();
                } else {
                    files.add(a);
                }
            }
            return files;
        }
    }

    // ---- the corpus ----

    private final List<Case> cases = new ArrayList<>();
    /** The private key of each certificate file's first certificate, for Node's handshake. */
    private final Map<String, PrivateKey> keys = new LinkedHashMap<>();

    private void add(String name, String... args) {
        cases.add(new Case(name, List.of(args), null, false));
    }

    private void known(String why, String name, String... args) {
        cases.add(new Case(name, List.of(args), why, false));
    }

    private void gap(String why, String name, String... args) {
        cases.add(new Case(name, List.of(args), why, true));
    }

    private String write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f.toString();
    }

    private String pem(String name, HeldCertificate... certs) throws Exception {
        keys.put(dir.resolve(name).toString(), certs[0].privateKey());
        return write(name, Pem.certificates(Arrays.stream(certs).map(HeldCertificate::certificate)
                .toArray(X509Certificate[]::new)));
    }

    private String crl(String name, X509CRL crl) throws Exception {
        return write(name, Pem.crl(crl));
    }

    private static long epoch(Instant t) {
        return t.getEpochSecond();
    }

    private void buildCorpus() throws Exception {
        Instant now = Instant.now();
        String d2 = String.valueOf(epoch(now.minus(Duration.ofDays(2))));

        HeldCertificate root = Certs.ca("Verify Test Root").build();
        HeldCertificate other = Certs.ca("Verify Other Root").build();
        HeldCertificate inter = Certs.intermediate("Verify Test Intermediate").signedBy(root).build();
        HeldCertificate leaf = Certs.server("localhost", "127.0.0.1").signedBy(root).build();
        HeldCertificate chained = Certs.server("www.example.test", "10.1.2.3").signedBy(inter).build();
        String rootPem = pem("root.pem", root);
        String otherPem = pem("other.pem", other);
        String interPem = pem("inter.pem", inter);
        String leafPem = pem("leaf.pem", leaf);
        String chainedPem = pem("chained.pem", chained);

        // trust and chain building
        add("leaf signed by the trusted root", "-CAfile", rootPem, leafPem);
        add("leaf, another root trusted", "-CAfile", otherPem, leafPem);
        add("intermediate missing", "-CAfile", rootPem, chainedPem);
        add("intermediate given with -untrusted", "-CAfile", rootPem, "-untrusted", interPem, chainedPem);
        add("two -untrusted files", "-CAfile", rootPem, "-untrusted", otherPem, "-untrusted", interPem, chainedPem);
        add("intermediate in the -CAfile bundle", "-CAfile", pem("root+inter.pem", root, inter), chainedPem);
        add("only the intermediate trusted", "-CAfile", interPem, chainedPem);
        add("-partial_chain, intermediate trusted", "-partial_chain", "-CAfile", interPem, chainedPem);
        add("-partial_chain, intermediate verified against itself", "-partial_chain", "-CAfile", interPem, interPem);
        add("-partial_chain, leaf trusted as itself", "-partial_chain", "-CAfile", leafPem, leafPem);
        add("leaf trusted as itself, no -partial_chain", "-CAfile", leafPem, leafPem);
        add("root verified against itself", "-CAfile", rootPem, rootPem);
        add("intermediate verified against the root", "-CAfile", rootPem, interPem);
        HeldCertificate self = Certs.selfSigned("localhost").build();
        String selfPem = pem("self.pem", self);
        add("self-signed leaf, root trusted", "-CAfile", rootPem, selfPem);
        add("self-signed leaf trusted as itself", "-CAfile", selfPem, selfPem);
        add("file holding leaf and intermediate: only its first certificate counts", "-CAfile", rootPem,
                pem("chained+inter.pem", chained, inter));
        HeldCertificate forged = Certs.server("localhost").issuerName("CN=Verify Test Root").signedBy(other).build();
        add("issuer name of the root, signed by another key", "-CAfile", rootPem, pem("forged.pem", forged));

        // validity and -attime
        add("expired leaf", "-CAfile", rootPem, pem("expired.pem", Certs.server("localhost").expired()
                .signedBy(root).build()));
        add("leaf not yet valid", "-CAfile", rootPem, pem("notyet.pem", Certs.server("localhost").notYetValid()
                .signedBy(root).build()));
        HeldCertificate expiredInter = Certs.intermediate("Expired Intermediate").expired().signedBy(root).build();
        add("expired intermediate", "-CAfile", rootPem, "-untrusted", pem("expired-inter.pem", expiredInter),
                pem("under-expired.pem", Certs.server("localhost").signedBy(expiredInter).build()));
        HeldCertificate expiredRoot = Certs.ca("Expired Root").expired().build();
        String expiredRootPem = pem("expired-root.pem", expiredRoot);
        add("expired root", "-CAfile", expiredRootPem, pem("under-expired-root.pem", Certs.server("localhost")
                .signedBy(expiredRoot).build()));
        add("expired root verified against itself", "-CAfile", expiredRootPem, expiredRootPem);
        add("expired self-signed certificate, not trusted", "-CAfile", rootPem,
                pem("expired-self.pem", Certs.ca("Expired Root 2").expired().build()));
        add("-attime two days ago: nothing valid yet", "-attime", d2, "-CAfile", rootPem, leafPem);
        add("-attime in 60 days: leaf expired", "-attime", String.valueOf(epoch(now.plus(Duration.ofDays(60)))),
                "-CAfile", rootPem, leafPem);
        add("-attime 0", "-attime", "0", "-CAfile", rootPem, leafPem);
        HeldCertificate longRoot = Certs.ca("Long-lived Root").validity(now.minus(Duration.ofDays(400)),
                now.plus(Duration.ofDays(400))).build();
        String longRootPem = pem("long-root.pem", longRoot);
        String oldLeaf = pem("old.pem", Certs.server("localhost").validity(now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(50))).signedBy(longRoot).build());
        String futureLeaf = pem("future.pem", Certs.server("localhost").validity(now.plus(Duration.ofDays(50)),
                now.plus(Duration.ofDays(100))).signedBy(longRoot).build());
        add("leaf expired 50 days ago", "-CAfile", longRootPem, oldLeaf);
        add("same leaf, -attime 75 days ago", "-attime", String.valueOf(epoch(now.minus(Duration.ofDays(75)))),
                "-CAfile", longRootPem, oldLeaf);
        add("leaf valid from in 50 days", "-CAfile", longRootPem, futureLeaf);
        add("same leaf, -attime in 75 days", "-attime", String.valueOf(epoch(now.plus(Duration.ofDays(75)))),
                "-CAfile", longRootPem, futureLeaf);

        // purposes
        String client = pem("client.pem", Certs.client("client1").signedBy(root).build());
        String plain = pem("plain.pem", Certs.leaf("plain.example.test").signedBy(root).build());
        String codeSigning = pem("codesigning.pem", Certs.server("localhost").extendedKeyUsage("codeSigning")
                .signedBy(root).build());
        add("-purpose sslserver, server leaf", "-purpose", "sslserver", "-CAfile", rootPem, leafPem);
        add("-purpose sslclient, server leaf", "-purpose", "sslclient", "-CAfile", rootPem, leafPem);
        add("-purpose sslclient, client leaf", "-purpose", "sslclient", "-CAfile", rootPem, client);
        add("-purpose sslserver, client leaf", "-purpose", "sslserver", "-CAfile", rootPem, client);
        known("without -purpose openssl checks none; weft checks sslserver, as a handshake always checks one",
                "client leaf, no -purpose", "-CAfile", rootPem, client);
        add("-purpose sslserver, leaf without EKU", "-purpose", "sslserver", "-CAfile", rootPem, plain);
        add("-purpose sslclient, leaf without EKU", "-purpose", "sslclient", "-CAfile", rootPem, plain);
        add("-purpose sslserver, codeSigning leaf", "-purpose", "sslserver", "-CAfile", rootPem, codeSigning);
        known("without -purpose openssl checks none; weft checks sslserver, as a handshake always checks one",
                "codeSigning leaf, no -purpose", "-CAfile", rootPem, codeSigning);
        add("-purpose sslserver, anyExtendedKeyUsage leaf", "-purpose", "sslserver", "-CAfile", rootPem,
                pem("anyeku.pem", Certs.server("localhost").extendedKeyUsage("anyExtendedKeyUsage").signedBy(root)
                        .build()));
        add("-purpose sslclient, serverAuth+clientAuth leaf", "-purpose", "sslclient", "-CAfile", rootPem,
                pem("both.pem", Certs.server("localhost").extendedKeyUsage("serverAuth", "clientAuth").signedBy(root)
                        .build()));
        add("-purpose sslserver, leaf whose key usage is keyCertSign only", "-purpose", "sslserver", "-CAfile",
                rootPem, pem("ku.pem", Certs.server("localhost").keyUsage("keyCertSign").signedBy(root).build()));
        HeldCertificate clientInter = Certs.intermediate("Client-only Intermediate").extendedKeyUsage("clientAuth")
                .signedBy(root).build();
        add("-purpose sslserver, intermediate limited to clientAuth", "-purpose", "sslserver", "-CAfile", rootPem,
                "-untrusted", pem("client-inter.pem", clientInter),
                pem("under-client-inter.pem", Certs.server("localhost").signedBy(clientInter).build()));

        // CA constraints and extensions
        HeldCertificate notCa = Certs.intermediate("Not a CA").basicConstraints(false).signedBy(root).build();
        add("issuer is not a CA", "-CAfile", rootPem, "-untrusted", pem("notca.pem", notCa),
                pem("under-notca.pem", Certs.server("localhost").signedBy(notCa).build()));
        HeldCertificate noCertSign = Certs.intermediate("No keyCertSign").keyUsage("digitalSignature", "cRLSign")
                .signedBy(root).build();
        add("issuer without keyCertSign", "-CAfile", rootPem, "-untrusted", pem("nocertsign.pem", noCertSign),
                pem("under-nocertsign.pem", Certs.server("localhost").signedBy(noCertSign).build()));
        HeldCertificate pathLen0 = Certs.intermediate("Path Length 0").pathLength(0).signedBy(root).build();
        HeldCertificate sub = Certs.intermediate("Below Path Length 0").signedBy(pathLen0).build();
        add("path length exceeded", "-CAfile", rootPem, "-untrusted", pem("pathlen.pem", pathLen0, sub),
                pem("under-sub.pem", Certs.server("localhost").signedBy(sub).build()));
        HeldCertificate constrained = Certs.intermediate("Constrained").nameConstraints(List.of("DNS:.example.com"),
                List.of()).signedBy(root).build();
        String constrainedPem = pem("constrained.pem", constrained);
        add("name constraints: inside", "-CAfile", rootPem, "-untrusted", constrainedPem,
                pem("inside.pem", Certs.server("a.example.com").signedBy(constrained).build()));
        add("name constraints: outside", "-CAfile", rootPem, "-untrusted", constrainedPem,
                pem("outside.pem", Certs.server("localhost").signedBy(constrained).build()));
        add("unknown critical extension", "-CAfile", rootPem, pem("critical.pem", Certs.server("localhost")
                .extension("1.2.3.4", true, new byte[] {5, 0}).signedBy(root).build()));

        // host names and IP addresses
        String wildcard = pem("wildcard.pem", Certs.server("*.example.com").signedBy(root).build());
        String cnOnly = pem("cn.pem", Certs.leaf("cn.example.test").serverAuth().signedBy(root).build());
        String ipv6 = pem("ipv6.pem", Certs.server("::1", "localhost").signedBy(root).build());
        add("-verify_hostname localhost", "-verify_hostname", "localhost", "-CAfile", rootPem, leafPem);
        add("-verify_hostname LOCALHOST", "-verify_hostname", "LOCALHOST", "-CAfile", rootPem, leafPem);
        add("-verify_hostname example.com", "-verify_hostname", "example.com", "-CAfile", rootPem, leafPem);
        add("wildcard, one label", "-verify_hostname", "a.example.com", "-CAfile", rootPem, wildcard);
        add("wildcard, two labels", "-verify_hostname", "a.b.example.com", "-CAfile", rootPem, wildcard);
        add("wildcard, bare domain", "-verify_hostname", "example.com", "-CAfile", rootPem, wildcard);
        add("CN only, matching", "-verify_hostname", "cn.example.test", "-CAfile", rootPem, cnOnly);
        add("CN only, not matching", "-verify_hostname", "other.example.test", "-CAfile", rootPem, cnOnly);
        add("-verify_ip 127.0.0.1", "-verify_ip", "127.0.0.1", "-CAfile", rootPem, leafPem);
        add("-verify_ip 10.0.0.1", "-verify_ip", "10.0.0.1", "-CAfile", rootPem, leafPem);
        add("-verify_ip ::1", "-verify_ip", "::1", "-CAfile", rootPem, ipv6);
        add("-verify_ip ::1 spelled out", "-verify_ip", "0:0:0:0:0:0:0:1", "-CAfile", rootPem, ipv6);
        add("-verify_ip ::2", "-verify_ip", "::2", "-CAfile", rootPem, ipv6);
        add("-verify_ip, certificate without IP SAN", "-verify_ip", "127.0.0.1", "-CAfile", rootPem, wildcard);
        known("Node's checkServerIdentity matches an IP literal against IP SANs; openssl's -verify_hostname compares"
                + " it to DNS names", "-verify_hostname 127.0.0.1", "-verify_hostname", "127.0.0.1", "-CAfile",
                rootPem, leafPem);
        add("host and IP both match", "-verify_hostname", "localhost", "-verify_ip", "127.0.0.1", "-CAfile",
                rootPem, leafPem);
        add("host matches, IP does not", "-verify_hostname", "localhost", "-verify_ip", "10.0.0.1", "-CAfile",
                rootPem, leafPem);
        add("chained server with everything", "-CAfile", rootPem, "-untrusted", interPem, "-purpose", "sslserver",
                "-verify_hostname", "www.example.test", chainedPem);
        known("Node checks the host name once the chain verified and reports the chain's error; openssl checks the"
                + " name first", "expired leaf, wrong host name", "-verify_hostname", "example.com", "-CAfile",
                rootPem, dir.resolve("expired.pem").toString());

        // CRLs
        HeldCertificate revoked = Certs.server("revoked.example.test").signedBy(root).build();
        HeldCertificate chainedRevoked = Certs.server("revoked.example.test").signedBy(inter).build();
        HeldCertificate inter2 = Certs.intermediate("Revoked Intermediate").signedBy(root).build();
        HeldCertificate underInter2 = Certs.server("localhost").signedBy(inter2).build();
        String revokedPem = pem("revoked.pem", revoked);
        String chainedRevokedPem = pem("chained-revoked.pem", chainedRevoked);
        String inter2Pem = pem("inter2.pem", inter2);
        String underInter2Pem = pem("under-inter2.pem", underInter2);
        String crlRoot = crl("crl-root.pem", Crls.create(root, List.of(revoked.serial(), inter2.serial())));
        String crlInter = crl("crl-inter.pem", Crls.create(inter, List.of(chainedRevoked.serial())));
        String crlInter2 = crl("crl-inter2.pem", Crls.create(inter2, List.of()));
        add("-crl_check, not revoked", "-crl_check", "-CRLfile", crlRoot, "-CAfile", rootPem, leafPem);
        add("-crl_check, revoked", "-crl_check", "-CRLfile", crlRoot, "-CAfile", rootPem, revokedPem);
        add("-CRLfile without -crl_check: not used", "-CRLfile", crlRoot, "-CAfile", rootPem, revokedPem);
        add("-crl_check without any CRL", "-crl_check", "-CAfile", rootPem, leafPem);
        add("-crl_check_all without any CRL", "-crl_check_all", "-CAfile", rootPem, leafPem);
        add("-crl_check_all, not revoked", "-crl_check_all", "-CRLfile", crlRoot, "-CAfile", rootPem, leafPem);
        add("-crl_check_all, revoked", "-crl_check_all", "-CRLfile", crlRoot, "-CAfile", rootPem, revokedPem);
        add("-crl_check, revoked below an intermediate, both CRLs", "-crl_check", "-CRLfile", crlInter, "-CRLfile",
                crlRoot, "-CAfile", rootPem, "-untrusted", interPem, chainedRevokedPem);
        known("weft's -crl_check checks the whole chain (Node's crl option sets CRL_CHECK_ALL): the intermediate"
                + " needs the root's CRL", "-crl_check, revoked below an intermediate, its CRL only", "-crl_check",
                "-CRLfile", crlInter, "-CAfile", rootPem, "-untrusted", interPem, chainedRevokedPem);
        known("weft's -crl_check checks the whole chain (Node's crl option sets CRL_CHECK_ALL): the intermediate"
                + " needs the root's CRL", "-crl_check, chain, leaf's CRL only", "-crl_check", "-CRLfile", crlInter,
                "-CAfile", rootPem, "-untrusted", interPem, chainedPem);
        add("-crl_check_all, chain, both CRLs", "-crl_check_all", "-CRLfile", crlInter, "-CRLfile", crlRoot,
                "-CAfile", rootPem, "-untrusted", interPem, chainedPem);
        add("-crl_check_all, chain, leaf's CRL only", "-crl_check_all", "-CRLfile", crlInter, "-CAfile", rootPem,
                "-untrusted", interPem, chainedPem);
        add("-crl_check_all, revoked intermediate", "-crl_check_all", "-CRLfile", crlInter2, "-CRLfile", crlRoot,
                "-CAfile", rootPem, "-untrusted", inter2Pem, underInter2Pem);
        known("weft's -crl_check checks the whole chain (Node's crl option sets CRL_CHECK_ALL), so it finds the"
                + " revoked intermediate", "-crl_check, revoked intermediate", "-crl_check", "-CRLfile", crlInter2,
                "-CRLfile", crlRoot, "-CAfile", rootPem, "-untrusted", inter2Pem, underInter2Pem);
        add("-crl_check, expired CRL", "-crl_check", "-CRLfile", crl("crl-expired.pem", Crls.create(root, Map.of(),
                BigInteger.ONE, now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(10)))), "-CAfile", rootPem,
                leafPem);
        add("-crl_check, CRL not yet valid", "-crl_check", "-CRLfile", crl("crl-future.pem", Crls.create(root,
                Map.of(), BigInteger.ONE, now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(40)))), "-CAfile",
                rootPem, leafPem);
        add("-crl_check, CRL of another CA", "-crl_check", "-CRLfile", crl("crl-other.pem",
                Crls.create(other, List.of())), "-CAfile", rootPem, leafPem);
        add("-crl_check, CRL inside -CAfile", "-crl_check", "-CAfile", write("root+crl.pem",
                Pem.certificates(root.certificate()) + Files.readString(Path.of(crlRoot))), revokedPem);
        add("-crl_check, -attime before the CRL", "-crl_check", "-CRLfile", crlRoot, "-attime",
                String.valueOf(epoch(now.minus(Duration.ofMinutes(30)))), "-CAfile", rootPem, revokedPem);
        add("-crl_check, self-signed leaf trusted as itself", "-crl_check", "-CAfile", selfPem, selfPem);
        add("-crl_check_all, -partial_chain at the intermediate, its CRL", "-crl_check_all", "-partial_chain",
                "-CRLfile", crlInter, "-CAfile", interPem, chainedPem);
        add("-crl_check, -partial_chain, leaf trusted as itself", "-crl_check", "-partial_chain", "-CAfile", leafPem,
                leafPem);

        // the default roots
        add("no -CAfile: the system's roots, unknown issuer", leafPem);
        known("without -purpose openssl checks none; weft checks sslserver, as a handshake always checks one (a root"
                + " whose key usage lacks digitalSignature is no TLS server)", "no -CAfile: a root of the system's"
                + " bundle", systemRoot());
        add("no -CAfile: a root of the system's bundle, -purpose sslserver", "-purpose", "sslserver", systemRoot());

        // keys and signatures
        add("RSA 2048 leaf", "-CAfile", rootPem, pem("rsa.pem", Certs.server("localhost").keyType(KeyType.RSA_2048)
                .signedBy(root).build()));
        add("Ed25519 leaf", "-CAfile", rootPem, pem("ed25519.pem", Certs.server("localhost")
                .keyType(KeyType.ED25519).signedBy(root).build()));
        HeldCertificate edRoot = Certs.ca("Ed25519 Root").keyType(KeyType.ED25519).build();
        add("Ed25519 root and leaf", "-CAfile", pem("ed-root.pem", edRoot), pem("ed-leaf.pem",
                Certs.server("localhost").keyType(KeyType.ED25519).signedBy(edRoot).build()));
        known("weft applies a handshake's security level (Node 24: SECLEVEL=2, no SHA-1); openssl verify does only"
                + " with -auth_level", "SHA-1 signed leaf", "-CAfile", rootPem, pem("sha1.pem",
                Certs.server("localhost").signatureAlgorithm("SHA1withECDSA").signedBy(root).build()));
        KeyPairGenerator rsa1024 = KeyPairGenerator.getInstance("RSA");
        rsa1024.initialize(1024);
        known("weft applies a handshake's security level (Node 24: SECLEVEL=2, RSA >= 2048); openssl verify does"
                + " only with -auth_level", "RSA 1024 leaf", "-CAfile", rootPem, pem("rsa1024.pem",
                Certs.server("localhost").keyPair(rsa1024.generateKeyPair()).signedBy(root).build()));

        // several files, file formats, unreadable files
        add("several files, one line each", "-CAfile", rootPem, leafPem, dir.resolve("expired.pem").toString(),
                selfPem, chainedPem, revokedPem);
        Path der = dir.resolve("leaf.der");
        Files.write(der, leaf.certificate().getEncoded());
        keys.put(der.toString(), leaf.privateKey());
        add("DER certificate", "-CAfile", rootPem, der.toString());
        add("missing certificate file", "-CAfile", rootPem, dir.resolve("nope.pem").toString());
        add("missing file among good ones", "-CAfile", rootPem, leafPem, dir.resolve("nope.pem").toString(),
                chainedPem);
        add("a key where the certificate should be", "-CAfile", rootPem, write("key.pem", leaf.privateKeyPem()));
        add("missing -CAfile", "-CAfile", dir.resolve("nope.pem").toString(), selfPem);
        add("missing -untrusted", "-CAfile", selfPem, "-untrusted", dir.resolve("nope.pem").toString(), selfPem);
        add("missing -CRLfile", "-CAfile", selfPem, "-CRLfile", dir.resolve("nope.pem").toString(), selfPem);
        known("weft refuses a -CAfile without a certificate (ERR_OSSL_PEM_NO_START_LINE, exit 1); openssl trusts"
                + " nothing from it and refuses the chain (exit 2)", "-CAfile without a certificate", "-CAfile",
                crlRoot, selfPem);
    }

    /**
     * A root of the operating system's bundle (the file openssl's default verify paths hold on Debian and weft's
     * {@code TrustedRoots.SYSTEM_PLUS_CA} reads): the first self-issued one valid for another year, signed with
     * SHA-256 or better, without extended key usage, chosen by what it is, not by either verifier's verdict.
     */
    private String systemRoot() throws Exception {
        Path bundle = Path.of("/etc/ssl/certs/ca-certificates.crt");
        assertTrue(Files.isReadable(bundle), "the system CA bundle " + bundle + " is required by this test");
        Instant soon = Instant.now().plus(Duration.ofDays(365));
        for (X509Certificate c : PemReader.certificates(Files.readAllBytes(bundle), "system bundle")) {
            if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())
                    && c.getNotAfter().toInstant().isAfter(soon) && c.getNotBefore().toInstant().isBefore(Instant.now())
                    && c.getExtendedKeyUsage() == null && c.getSigAlgName().matches("SHA(256|384|512)with.*")) {
                return write("system-root.pem", Pem.certificates(c));
            }
        }
        return fail("no usable root in " + bundle);
    }

    // ---- running both ----

    record Outcome(int exit, Map<String, FileVerdict> files, String output) {
    }

    private Outcome openssl(Case c) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "verify"));
        cmd.addAll(c.args());
        Tool t = Tool.run(WAIT, dir, cmd.toArray(String[]::new));
        Map<String, FileVerdict> files = new LinkedHashMap<>();
        for (String f : c.files()) {
            files.put(f, t.stdout().lines().anyMatch(l -> l.equals(f + ": OK")) ? FileVerdict.ok()
                    : new FileVerdict("unreadable", List.of(), null, null));
        }
        List<OpensslError> pending = new ArrayList<>();
        for (String line : t.stderr().lines().toList()) {
            Matcher e = OPENSSL_ERROR.matcher(line);
            Matcher failed = OPENSSL_FAILED.matcher(line);
            if (e.matches()) {
                pending.add(new OpensslError(Integer.parseInt(e.group(1)), Integer.parseInt(e.group(2)), e.group(3)));
            } else if (failed.matches()) {
                files.put(failed.group(1), new FileVerdict("refused", List.copyOf(pending), null, null));
                pending.clear();
            }
        }
        return new Outcome(t.exitCode(), files, "exit " + t.exitCode() + "\n" + t.stdout() + t.stderr());
    }

    private Outcome weft(Case c) {
        List<String> args = new ArrayList<>(List.of("cert", "verify"));
        args.addAll(c.args());
        Run r = Run.weft(args.toArray(String[]::new));
        Map<String, FileVerdict> files = new LinkedHashMap<>();
        for (String f : c.files()) {
            files.put(f, r.out().lines().anyMatch(l -> l.equals(f + ": OK")) ? FileVerdict.ok()
                    : new FileVerdict("unreadable", List.of(), null, null));
        }
        for (String line : r.err().lines().toList()) {
            Matcher m = WEFT_FAILED.matcher(line);
            if (m.matches()) {
                files.put(m.group(1), new FileVerdict("refused", List.of(), m.group(2), m.group(3)));
            } else {
                assertTrue(line.startsWith("weft: "), "unexpected stderr line: " + line);
                for (String f : c.files()) {
                    if (line.contains(f) && !files.get(f).isOk()) {
                        files.put(f, new FileVerdict("unreadable", List.of(), line.split(": ")[1], line));
                    }
                }
            }
        }
        return new Outcome(r.code(), files, "exit " + r.code() + "\n" + r.out() + r.err());
    }

    /** Whether weft's code and message are one of the errors openssl printed. */
    static boolean corresponds(FileVerdict weft, FileVerdict openssl) {
        for (OpensslError e : openssl.errors()) {
            if (HOST_ERRORS.containsKey(e.number())) {
                if (weft.code().equals(HOST_CODE) && HOST_ERRORS.get(e.number()).equals(e.text())) {
                    return true;
                }
                continue;
            }
            X509Error named = Arrays.stream(X509Error.values()).filter(x -> x.number() == e.number()).findFirst()
                    .orElse(null);
            if (e.text().equals(weft.message()) && (named == null || named.nodeCode().equals(weft.code()))) {
                return true;
            }
        }
        return false;
    }

    /** null when weft and openssl agree on {@code file}, else what differs. */
    static String disagreement(FileVerdict o, FileVerdict w) {
        if (o.isOk() != w.isOk()) {
            return o + " vs " + w;
        }
        if (o.state().equals("refused") && w.state().equals("refused") && !corresponds(w, o)) {
            return "code " + w + " not among openssl's " + o.errors();
        }
        if (!o.isOk() && !o.state().equals(w.state())) {
            return o.state() + " vs " + w.state();
        }
        return null;
    }

    /**
     * The chain and options Node would be given for {@code file} of {@code c} (Node's {@code ca}, {@code crl},
     * {@code allowPartialTrustChain}; the direction for the purpose), or null when Node has no such options
     * ({@code -attime}, host names: Node checks those in a handshake it cannot be told about) or the file has no
     * certificate with a key to present.
     */
    private ChainCase nodeCase(Case c, int index, String file) throws Exception {
        PrivateKey key = keys.get(file);
        if (key == null) {
            return null;
        }
        List<X509Certificate> sent = new ArrayList<>();
        sent.add(certificate(file));
        List<X509Certificate> trusted = new ArrayList<>();
        List<X509CRL> crls = new ArrayList<>();
        boolean crlCheck = false;
        boolean partial = false;
        String caFile = null;
        List<String> a = c.args();
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "-attime", "-verify_hostname", "-verify_ip" -> {
                    return null;
                }
                case "-CAfile" -> caFile = a.get(++i);
                case "-untrusted" -> sent.addAll(PemReader.certificates(Files.readAllBytes(Path.of(a.get(++i))), "u"));
                case "-CRLfile" -> crls.addAll(PemReader.crls(Files.readAllBytes(Path.of(a.get(++i)))));
                case "-crl_check", "-crl_check_all" -> crlCheck = true;
                case "-partial_chain" -> partial = true;
                case "-purpose" -> i++;
                default -> {
                }
            }
        }
        Path trust = caFile != null ? Path.of(caFile) : Path.of("/etc/ssl/certs/ca-certificates.crt");
        if (!Files.isReadable(trust)) {
            return null;
        }
        byte[] trustPem = Files.readAllBytes(trust);
        try {
            trusted.addAll(PemReader.certificates(trustPem, "ca"));
        } catch (dev.weft.tls.TlsException e) {
            return null; // no certificate to trust: nothing Node can be given as ca
        }
        if (caFile != null && new String(trustPem).contains("-----BEGIN X509 CRL-----")) {
            crls.addAll(PemReader.crls(trustPem));
        }
        if (!crlCheck) {
            crls.clear();
        } else if (crls.isEmpty()) {
            crls.add(noCrl()); // revocation checking on, with no CRL for any certificate
        }
        return new ChainCase(cases.indexOf(c) + "/" + index, "cli: " + c.name(), sent, key, trusted, crls, partial,
                true);
    }

    private X509CRL noCrlHeld;

    private X509CRL noCrl() {
        if (noCrlHeld == null) {
            noCrlHeld = Crls.create(Certs.ca("No CRL for anyone").build(), List.of());
        }
        return noCrlHeld;
    }

    private static X509Certificate certificate(String file) throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of(file));
        return bytes[0] == 0x30 ? (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(bytes))
                : PemReader.certificates(bytes, "cert").getFirst();
    }

    private static Direction direction(Case c) {
        int i = c.args().indexOf("-purpose");
        return i >= 0 && c.args().get(i + 1).equals("sslclient") ? Direction.CLIENT_CHAIN : Direction.SERVER_CHAIN;
    }

    /** One file of one case where weft and openssl differ. */
    record Dispute(Case c, String file, String what, ChainCase node) {
    }

    @Test
    void agreesWithOpensslVerifyOnEveryChainOfTheCorpus() throws Exception {
        buildCorpus();
        assertTrue(cases.size() >= 60, "corpus of " + cases.size());
        List<String> unexpected = new ArrayList<>();
        List<Dispute> disputes = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        int agreed = 0;
        Map<Case, Outcome> weftOutcomes = new LinkedHashMap<>();
        for (Case c : cases) {
            Outcome o = openssl(c);
            Outcome w = weft(c);
            weftOutcomes.put(c, w);
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < c.files().size(); i++) {
                String f = c.files().get(i);
                String d = disagreement(o.files().get(f), w.files().get(f));
                if (d != null) {
                    disputes.add(new Dispute(c, f, d, nodeCase(c, i, f)));
                    differences.add(f + ": " + d);
                }
            }
            if ((o.exit() == 0) != (w.exit() == 0) && differences.isEmpty()) {
                differences.add("exit " + o.exit() + " vs " + w.exit());
                unexpected.add(c.name() + ": exit status differs");
            }
            if (differences.isEmpty()) {
                agreed++;
                report.append(c.known() == null ? "  agree: " : "  agree (the known difference did not show): ")
                        .append(c.name()).append(": openssl ").append(o.files().values()).append(", weft ")
                        .append(w.files().values()).append('\n');
            } else {
                report.append("  DIFFER: ").append(c.name()).append(": ").append(String.join("; ", differences))
                        .append('\n');
                if (c.known() != null) {
                    report.append("      known: ").append(c.known()).append('\n');
                }
                report.append("      openssl verify ").append(String.join(" ", c.args())).append("\n      openssl: ")
                        .append(o.output().strip().replace("\n", "\n        ")).append("\n      weft: ")
                        .append(w.output().strip().replace("\n", "\n        ")).append('\n');
            }
        }

        // Node 24 (OpenSSL 3.5), whose verdict and code weft reproduces, settles every difference it can be asked about
        Map<String, dev.weft.trust.Verdict> node = new LinkedHashMap<>();
        String nodeVersion = "not run";
        List<ChainCase> askServer = disputes.stream().map(Dispute::node).filter(n -> n != null)
                .filter(n -> direction(caseOf(n)) == Direction.SERVER_CHAIN).toList();
        List<ChainCase> askClient = disputes.stream().map(Dispute::node).filter(n -> n != null)
                .filter(n -> direction(caseOf(n)) == Direction.CLIENT_CHAIN).toList();
        if (!askServer.isEmpty() || !askClient.isEmpty()) {
            try (NodeOracle oracle = NodeOracle.start(Node24.binary())) {
                nodeVersion = "Node " + oracle.version() + " (OpenSSL " + oracle.openssl() + ")";
                node.putAll(oracle.judge(askServer, Direction.SERVER_CHAIN));
                node.putAll(oracle.judge(askClient, Direction.CLIENT_CHAIN));
            }
        }
        int codeOnly = 0;
        int verdictKnown = 0;
        StringBuilder settled = new StringBuilder();
        StringBuilder gaps = new StringBuilder();
        int gapCount = 0;
        for (Dispute d : disputes) {
            String where = d.c().name() + " (" + d.file().replace(dir + "/", "") + "): " + d.what();
            boolean verdictDiffers = !d.what().startsWith("code ");
            dev.weft.trust.Verdict n = d.node() == null ? null : node.get(d.node().name());
            FileVerdict wv = weftOutcomes.get(d.c()).files().get(d.file());
            Boolean nodeAgrees = n == null || n.handshakeFailed() ? null
                    : n.authorized() == wv.isOk() && (n.authorized() || n.code().equals(wv.code()));
            String nodeSays = n == null ? "Node cannot be asked" : nodeVersion + ": " + n.summary();
            if (d.c().gap()) {
                gapCount++;
                gaps.append("  ").append(where).append("\n      ").append(d.c().known()).append("; ")
                        .append(nodeSays).append('\n');
            } else if (Boolean.FALSE.equals(nodeAgrees)) {
                unexpected.add(where + "; and weft differs from " + nodeSays);
            } else if (verdictDiffers && d.c().known() == null) {
                unexpected.add(where + " (" + nodeSays + ")");
            } else if (!verdictDiffers && nodeAgrees == null && d.c().known() == null) {
                unexpected.add(where + " (" + nodeSays + ")");
            } else {
                if (verdictDiffers) {
                    verdictKnown++;
                } else {
                    codeOnly++;
                }
                settled.append("  ").append(where).append("\n      ")
                        .append(d.c().known() != null ? "known: " + d.c().known() + "; " : "")
                        .append(Boolean.TRUE.equals(nodeAgrees) ? "weft gives " + nodeSays
                                + (verdictDiffers ? "" : " (openssl verify stops at its first error; Node's"
                                        + " callback goes on and reports the last)") : nodeSays)
                        .append('\n');
            }
        }
        System.out.println("weft cert verify vs openssl verify (" + Tool.check(dir, "openssl", "version").strip()
                + "), differences settled by " + nodeVersion + ": " + cases.size() + " cases, " + agreed
                + " agree on every file; " + codeOnly + " files differ in the code only, " + verdictKnown
                + " in the verdict as known, " + gapCount + " where weft's validator differs from Node 24, "
                + unexpected.size() + " unexpectedly\n"
                + report.toString().replace(dir + "/", "") + "Differences:\n" + settled
                + (gaps.isEmpty() ? "" : "Where weft's validator differs from Node 24 too (Tls.verify, not this"
                        + " command):\n" + gaps));
        if (!unexpected.isEmpty()) {
            fail(unexpected.size() + " unexpected differences from openssl verify:\n"
                    + String.join("\n", unexpected).replace(dir + "/", ""));
        }
    }

    private Case caseOf(ChainCase n) {
        return cases.get(Integer.parseInt(n.name().substring(0, n.name().indexOf('/'))));
    }

    // ---- weft's own conventions ----

    @Test
    void printsOneLinePerFileWithTheCodeAndMessageOfTlsVerify() throws Exception {
        HeldCertificate root = Certs.ca("Root").build();
        String rootPem = pem("root.pem", root);
        String good = pem("good.pem", Certs.server("localhost").signedBy(root).build());
        HeldCertificate strayInter = Certs.intermediate("Stray Intermediate").signedBy(Certs.ca("Stray").build())
                .build();
        HeldCertificate strayLeaf = Certs.server("localhost").signedBy(strayInter).build();
        String stray = pem("stray.pem", strayLeaf);
        String untrusted = pem("stray-inter.pem", strayInter);
        Run r = Run.weft("cert", "verify", "-CAfile", rootPem, "-untrusted", untrusted, good, stray);
        assertEquals(2, r.code(), r.err());
        assertEquals(good + ": OK\n", r.out());
        VerifyResult api = Tls.verify(List.of(strayLeaf.certificate(), strayInter.certificate()),
                VerifyOptions.builder().ca(root.certificatePem()).build());
        assertTrue(!api.authorized() && api.message().equals(X509Error.valueOf(api.authorizationError()).text()), api
                .toString());
        assertEquals(stray + ": verification failed: " + api.authorizationError() + " (" + api.message() + ")\n",
                r.err());
        Run ok = Run.weft("cert", "verify", "-CAfile", rootPem, good, good);
        assertEquals(0, ok.code(), ok.err());
        assertEquals(good + ": OK\n" + good + ": OK\n", ok.out());
        assertEquals("", ok.err());
    }

    @Test
    void theHintOfTheJavaApiIsNotPrinted() throws Exception {
        String self = pem("self.pem", Certs.selfSigned("localhost").build());
        String rootPem = pem("root.pem", Certs.ca("Root").build());
        Run r = Run.weft("cert", "verify", "-CAfile", rootPem, self);
        assertEquals(2, r.code(), r.err());
        assertEquals(self + ": verification failed: DEPTH_ZERO_SELF_SIGNED_CERT ("
                + X509Error.DEPTH_ZERO_SELF_SIGNED_CERT.text() + ")\n", r.err());
    }

    @Test
    void unreadableFilesAreNamedOnOneLine() throws Exception {
        HeldCertificate root = Certs.ca("Root").build();
        String rootPem = pem("root.pem", root);
        String good = pem("good.pem", Certs.server("localhost").signedBy(root).build());
        String missing = dir.resolve("missing.pem").toString();
        Run r = Run.weft("cert", "verify", "-CAfile", rootPem, missing, good);
        assertEquals(1, r.code(), r.err());
        assertEquals("weft: ENOENT: no such file: " + missing + "\n", r.err());
        assertEquals(good + ": OK\n", r.out());
        for (String option : List.of("-CAfile", "-untrusted", "-CRLfile")) {
            Run o = Run.weft("cert", "verify", option, missing, good);
            assertEquals(1, o.code(), option + ": " + o.err());
            assertEquals("weft: ENOENT: no such file: " + missing + "\n", o.err(), option);
            assertEquals("", o.out());
        }
        Run notPem = Run.weft("cert", "verify", "-CAfile", good, "-untrusted", write("junk.pem", "junk\n"), good);
        assertEquals(1, notPem.code(), notPem.err());
        assertTrue(notPem.err().startsWith("weft: ERR_OSSL_PEM_NO_START_LINE: " + dir.resolve("junk.pem")),
                notPem.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-purpose smimesign", "-purpose nonsense", "-verify_ip 1.2.3.x", "-attime soon",
            "-show_chain", "-CApath /etc/ssl/certs"})
    void usageErrorsExitTwoWithOneLine(String options) throws Exception {
        String self = pem("self.pem", Certs.selfSigned("localhost").build());
        List<String> args = new ArrayList<>(List.of("cert", "verify"));
        args.addAll(List.of(options.split(" ")));
        args.addAll(List.of("-CAfile", self, self));
        Run r = Run.weft(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("weft: usage: ") && r.err().contains("--help"), r.err());
        if (options.startsWith("-purpose")) {
            assertTrue(r.err().contains("sslserver or sslclient"), r.err());
        }
    }

    @Test
    void readsStandardInputWithoutAFileAsOpensslDoes() throws Exception {
        HeldCertificate self = Certs.selfSigned("localhost").build();
        String selfPem = pem("self.pem", self);
        Tool o = Tool.start(dir, "openssl", "verify", "-CAfile", selfPem).write(self.certificatePem()).closeStdin();
        o.await(WAIT);
        List<String> cmd = Tool.weftCli("cert", "verify", "-CAfile", selfPem);
        Tool w = Tool.start(dir, cmd.toArray(String[]::new)).write(self.certificatePem()).closeStdin();
        w.await(WAIT);
        assertEquals(o.exitCode(), w.exitCode(), w.stderr());
        assertEquals(o.stdout(), w.stdout());
        assertEquals("stdin: OK\n", w.stdout());
    }

    @Test
    void helpNamesTheDifferencesFromOpenssl() {
        Run r = Run.weft("cert", "verify", "--help");
        assertEquals(0, r.code());
        for (String flag : List.of("-CAfile", "-untrusted", "-purpose", "-verify_hostname", "-verify_ip", "-attime",
                "-CRLfile", "-crl_check", "-crl_check_all", "-partial_chain", "Differences from openssl",
                "Exit codes")) {
            assertTrue(r.out().contains(flag), flag + " not in\n" + r.out());
        }
    }
}
