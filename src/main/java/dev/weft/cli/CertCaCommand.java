package dev.weft.cli;

import dev.weft.cert.Certs;
import dev.weft.cert.Crls;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.Pem;
import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft cert ca init|issue|revoke|crl}: a small CA kept in plain files under one directory, so that each
 * command is stateless.
 *
 * <pre>
 * DIR/ca-key.pem     the CA's private key, PKCS#8, mode 600
 * DIR/ca-cert.pem    the CA's certificate
 * DIR/ca-chain.pem   the CA's certificate, then the CAs above it up to the root (for a root: the certificate)
 * DIR/index.txt      one line per issued certificate, in the layout of openssl ca's index.txt:
 *                    V|R TAB expiry TAB revocation-time TAB serial(hex) TAB unknown TAB /subject
 * DIR/crlnumber      the number of the next CRL, hex (as openssl ca keeps it)
 * DIR/crl.pem        the current CRL, signed by the CA, listing the revoked serials of index.txt
 * </pre>
 *
 * <p>Serial numbers are random 16-byte numbers, so there is no serial counter. Two commands run at once on the
 * same directory may lose an index line; the CA is meant for tests and development.
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "A small CA in a directory: init, issue, revoke, crl.",
        subcommands = {CertCaCommand.Init.class, CertCaCommand.Issue.class, CertCaCommand.Revoke.class,
                CertCaCommand.Crl.class},
        footer = {"", "Example:",
                "  ./weft cert ca init --dir ca --subject \"/O=weft/CN=Weft Dev CA\"",
                "  ./weft cert ca issue --dir ca --cn localhost --san DNS:localhost,IP:127.0.0.1 --server --out server",
                "  openssl verify -CAfile ca/ca-cert.pem server-cert.pem",
                "  ./weft cert ca revoke --dir ca --serial <serial of server-cert.pem>"})
final class CertCaCommand {
    static final String KEY = "ca-key.pem";
    static final String CERT = "ca-cert.pem";
    static final String CHAIN = "ca-chain.pem";
    static final String INDEX = "index.txt";
    static final String CRL_NUMBER = "crlnumber";
    static final String CRL = "crl.pem";

    /** {@code --dir} holds no CA, or its certificate is not a CA certificate. */
    static final String NOT_A_CA = ErrorCode.NOT_A_CA.code();
    /** {@code --serial} is not in the CA's index. */
    static final String UNKNOWN_SERIAL = ErrorCode.UNKNOWN_SERIAL.code();
    /** {@code --serial} is revoked already. */
    static final String ALREADY_REVOKED = ErrorCode.ALREADY_REVOKED.code();

    private static final Duration CRL_VALIDITY = Duration.ofDays(30);

    // ---- init ----

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Make a CA in --dir: a root CA, or with --parent an intermediate CA signed by the CA in"
                    + " that directory (and recorded in its index).",
                    "Writes ca-key.pem (mode 600), ca-cert.pem, ca-chain.pem, an empty index.txt, crlnumber and an"
                            + " empty CRL crl.pem."},
            footer = {"", "Examples:",
                    "  ./weft cert ca init --dir ca --subject \"/O=weft/CN=Weft Dev CA\"",
                    "  ./weft cert ca init --dir inter --parent ca --subject \"/O=weft/CN=Weft Issuing CA\""
                            + " --pathlen 0"})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The CA directory (made if missing).")
        Path dir;

        @Option(names = "--subject", required = true, paramLabel = "DN",
                description = "The CA's subject, /O=org/CN=name (or RFC 4514 CN=name,O=org).")
        String subject;

        @Mixin
        Validity validity = new Validity(3650);

        @Mixin
        KeyTypeOption keyType;

        @Option(names = "--pathlen", paramLabel = "N",
                description = "basicConstraints pathlen: how many CAs may sit below this one. Default: no limit.")
        Integer pathLength;

        @Option(names = "--parent", paramLabel = "DIR",
                description = "Make an intermediate CA signed by the CA in this directory.")
        Path parent;

        @Option(names = "--force", description = "Overwrite an existing CA in --dir (its key is lost).")
        boolean force;

        @Override
        public Integer call() throws TlsException {
            Duration period = validity.period();
            var type = keyType.keyType();
            if (pathLength != null && pathLength < 0) {
                throw new TlsException(CertFiles.INVALID_ARG, "--pathlen must be >= 0, got " + pathLength);
            }
            Path[] files = {dir.resolve(KEY), dir.resolve(CERT), dir.resolve(CHAIN), dir.resolve(INDEX),
                    dir.resolve(CRL_NUMBER), dir.resolve(CRL)};
            CertFiles.refuseExisting(force, files);
            Ca issuer = parent == null ? null : Ca.load(parent);
            Certs.Builder b = issuer == null ? Certs.ca("CA") : Certs.intermediate("CA").signedBy(issuer.held());
            CertCommands.argument(() -> b.subject(subject)).keyType(type).validFor(period);
            if (pathLength != null) {
                b.pathLength(pathLength);
            }
            HeldCertificate ca = b.build();
            List<X509Certificate> chain = chain(ca, issuer == null ? List.of() : issuer.chain());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new TlsException(ErrorCode.EIO, "cannot make directory " + dir + ": " + e.getMessage(), e);
            }
            CertFiles out = new CertFiles(spec.commandLine().getOut());
            out.writeKey(dir.resolve(KEY), ca.privateKey(), null, force, "CA private key");
            out.write(dir.resolve(CERT), ca.certificatePem(), force, (issuer == null ? "root" : "intermediate")
                    + " CA certificate " + describe(ca.certificate()));
            out.write(dir.resolve(CHAIN), Pem.certificates(chain.toArray(X509Certificate[]::new)), force,
                    "CA chain, " + chain.size() + " certificate" + (chain.size() == 1 ? "" : "s"));
            out.write(dir.resolve(INDEX), "", force, "index of issued certificates, empty");
            Ca made = new Ca(dir, ca, chain);
            made.writeCrl(out, List.of(), BigInteger.ONE, CRL_VALIDITY, force);
            if (issuer != null) {
                List<Entry> index = issuer.index();
                index.add(Entry.issued(ca.certificate()));
                issuer.writeIndex(out, index, "recorded serial " + CertFiles.serial(ca.serial()));
            }
            return 0;
        }
    }

    // ---- issue ----

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Issue a certificate from the CA in --dir: writes PREFIX-key.pem (mode 600),"
                    + " PREFIX-cert.pem and PREFIX-chain.pem (the certificate, then ca-chain.pem), and records it in"
                    + " index.txt.",
                    "--server (the default) adds extendedKeyUsage serverAuth and, without --san, the CN as a subject"
                            + " alternative name when it is a host name or IP address; --client adds clientAuth;"
                            + " --both adds both."},
            footer = {"", "Examples:",
                    "  ./weft cert ca issue --dir ca --cn localhost --san DNS:localhost,IP:127.0.0.1 --out server",
                    "  ./weft cert ca issue --dir ca --cn client1 --client --out client1"})
    static final class Issue implements Callable<Integer> {
        private static final Pattern HOST_LIKE = Pattern.compile("[A-Za-z0-9*._:-]+");

        @Spec
        CommandSpec spec;

        @Mixin
        CaDirectory dir;

        @Option(names = "--cn", required = true, paramLabel = "NAME", description = "The subject's common name.")
        String cn;

        @Option(names = "--san", split = ",", paramLabel = "NAME",
                description = "Subject alternative names: DNS:x, IP:1.2.3.4, email:x, URI:x (comma-separated,"
                        + " repeatable).")
        List<String> sans = List.of();

        @Option(names = "--server", description = "A TLS server certificate (the default).")
        boolean server;

        @Option(names = "--client", description = "A TLS client certificate.")
        boolean client;

        @Option(names = "--both", description = "A certificate for TLS servers and clients.")
        boolean both;

        @Mixin
        Validity validity = new Validity(365);

        @Mixin
        KeyTypeOption keyType;

        @Option(names = "--passphrase", paramLabel = "P", description = "Encrypt PREFIX-key.pem with this passphrase.")
        String passphrase;

        @Option(names = "--out", required = true, paramLabel = "PREFIX",
                description = "Prefix of the files written: PREFIX-key.pem, PREFIX-cert.pem, PREFIX-chain.pem.")
        String prefix;

        @Option(names = "--force", description = "Overwrite existing files.")
        boolean force;

        @Override
        public Integer call() throws TlsException {
            Duration period = validity.period();
            var type = keyType.keyType();
            CertCommands.checkPassphrase(passphrase);
            if ((server ? 1 : 0) + (client ? 1 : 0) + (both ? 1 : 0) > 1) {
                throw new TlsException(CertFiles.INVALID_ARG, "give one of --server, --client, --both");
            }
            boolean serverAuth = server || both || !client;
            boolean clientAuth = client || both;
            Path keyFile = Path.of(prefix + "-key.pem");
            Path certFile = Path.of(prefix + "-cert.pem");
            Path chainFile = Path.of(prefix + "-chain.pem");
            CertFiles.refuseExisting(force, keyFile, certFile, chainFile);
            Ca ca = dir.load();
            List<Entry> index = ca.index();
            Certs.Builder b = Certs.leaf(cn).signedBy(ca.held()).keyType(type).validFor(period);
            if (serverAuth) {
                b.serverAuth();
            }
            if (clientAuth) {
                b.clientAuth();
            }
            if (!sans.isEmpty()) {
                CertCommands.argument(() -> b.san(sans.toArray(String[]::new)));
            } else if (serverAuth && HOST_LIKE.matcher(cn).matches()) {
                CertCommands.argument(() -> b.san(cn));
            }
            HeldCertificate leaf = b.build();
            List<X509Certificate> chain = chain(leaf, ca.chain());
            String role = serverAuth && clientAuth ? "server and client" : serverAuth ? "server" : "client";
            CertFiles out = new CertFiles(spec.commandLine().getOut());
            out.writeKey(keyFile, leaf.privateKey(), passphrase, force, "private key");
            out.write(certFile, leaf.certificatePem(), force, role + " certificate " + describe(leaf.certificate()));
            out.write(chainFile, Pem.certificates(chain.toArray(X509Certificate[]::new)), force,
                    "chain, " + chain.size() + " certificates, leaf first");
            index.add(Entry.issued(leaf.certificate()));
            ca.writeIndex(out, index, "recorded serial " + CertFiles.serial(leaf.serial()));
            return 0;
        }
    }

    // ---- revoke ----

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a certificate this CA issued: mark its serial revoked in index.txt and rewrite"
                    + " crl.pem with the next CRL number.",
            footer = {"", "Example:",
                    "  ./weft cert ca revoke --dir ca --serial $(openssl x509 -noout -serial -in server-cert.pem)"})
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CaDirectory dir;

        @Option(names = "--serial", required = true, paramLabel = "HEX",
                description = "The serial number in hex, as openssl x509 -noout -serial prints it (serial=...,"
                        + " colons and 0x accepted).")
        String serial;

        @Override
        public Integer call() throws TlsException {
            BigInteger wanted = parseSerial(serial);
            Ca ca = dir.load();
            List<Entry> index = ca.index();
            int at = -1;
            for (int i = 0; i < index.size(); i++) {
                if (index.get(i).serial().equals(wanted)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new TlsException(UNKNOWN_SERIAL, "serial " + CertFiles.serial(wanted) + " was not issued by the"
                        + " CA in " + ca.dir() + " (not in " + ca.dir().resolve(INDEX) + ")");
            }
            Entry e = index.get(at);
            if (e.revoked()) {
                throw new TlsException(ALREADY_REVOKED, "serial " + CertFiles.serial(wanted) + " (" + e.subject()
                        + ") was revoked already, at " + parseTime(e.revocation()));
            }
            index.set(at, e.revoke(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
            CertFiles out = new CertFiles(spec.commandLine().getOut());
            ca.writeIndex(out, index, "revoked serial " + CertFiles.serial(wanted) + " " + e.subject());
            ca.writeCrl(out, index, ca.nextCrlNumber(), CRL_VALIDITY, true);
            return 0;
        }

        static BigInteger parseSerial(String s) throws TlsException {
            String hex = s.strip();
            if (hex.regionMatches(true, 0, "serial=", 0, 7)) {
                hex = hex.substring(7);
            }
            if (hex.regionMatches(true, 0, "0x", 0, 2)) {
                hex = hex.substring(2);
            }
            hex = hex.replace(":", "");
            if (!hex.matches("[0-9A-Fa-f]+")) {
                throw new TlsException(CertFiles.INVALID_ARG, "--serial must be hex (as openssl x509 -noout -serial"
                        + " prints it), got '" + s + "'");
            }
            return new BigInteger(hex, 16);
        }
    }

    // ---- crl ----

    @Command(name = "crl", mixinStandardHelpOptions = true,
            description = "Sign a fresh CRL (crl.pem) from index.txt, with the next CRL number: a CRL expires, and"
                    + " openssl verify -crl_check then fails with \"CRL has expired\".",
            footer = {"", "Example:", "  ./weft cert ca crl --dir ca --days 30"})
    static final class Crl implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CaDirectory dir;

        @Option(names = "--days", defaultValue = "30", paramLabel = "N",
                description = "Days until the CRL's nextUpdate. Default: ${DEFAULT-VALUE}.")
        int days;

        @Override
        public Integer call() throws TlsException {
            Duration validity = CertCommands.days(days);
            Ca ca = dir.load();
            ca.writeCrl(new CertFiles(spec.commandLine().getOut()), ca.index(), ca.nextCrlNumber(), validity, true);
            return 0;
        }
    }

    // ---- the CA directory ----

    /** A CA directory read from its files: the key with the chain (this CA first), ready to sign. */
    record Ca(Path dir, HeldCertificate held, List<X509Certificate> chain) {
        static Ca load(Path dir) throws TlsException {
            if (!Files.isRegularFile(dir.resolve(CERT)) || !Files.isRegularFile(dir.resolve(KEY))) {
                throw new TlsException(NOT_A_CA, dir + " is not a CA directory (no " + CERT + " and " + KEY
                        + "); make one with: weft cert ca init --dir " + dir + " --subject /CN=...");
            }
            PrivateKey key = CertFiles.privateKey(dir.resolve(KEY), null);
            Path chainFile = Files.isRegularFile(dir.resolve(CHAIN)) ? dir.resolve(CHAIN) : dir.resolve(CERT);
            List<X509Certificate> chain = CertFiles.certificates(chainFile);
            HeldCertificate held = CertFiles.held(key, chain, dir.resolve(KEY), chainFile.toString());
            if (chain.getFirst().getBasicConstraints() < 0) {
                throw new TlsException(NOT_A_CA, chainFile + " is not a CA certificate (no basicConstraints CA:TRUE)");
            }
            return new Ca(dir, held, List.copyOf(chain));
        }

        List<Entry> index() throws TlsException {
            Path file = dir.resolve(INDEX);
            String text = new String(CertFiles.read(file), StandardCharsets.UTF_8);
            List<Entry> entries = new ArrayList<>();
            int n = 0;
            for (String line : text.split("\n")) {
                n++;
                if (!line.isBlank()) {
                    entries.add(Entry.parse(line, file, n));
                }
            }
            return entries;
        }

        void writeIndex(CertFiles out, List<Entry> entries, String what) throws TlsException {
            StringBuilder b = new StringBuilder();
            entries.forEach(e -> b.append(e.line()).append('\n'));
            out.replace(dir.resolve(INDEX), b.toString(), what + "; " + entries.size() + " entr"
                    + (entries.size() == 1 ? "y" : "ies"));
        }

        BigInteger nextCrlNumber() throws TlsException {
            Path file = dir.resolve(CRL_NUMBER);
            String text = new String(CertFiles.read(file), StandardCharsets.US_ASCII).strip();
            try {
                return new BigInteger(text, 16);
            } catch (NumberFormatException e) {
                throw new TlsException(NOT_A_CA, file + " does not hold a hex CRL number: '" + text + "'", e);
            }
        }

        void writeCrl(CertFiles out, List<Entry> entries, BigInteger number, Duration validity, boolean force)
                throws TlsException {
            Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
            for (Entry e : entries) {
                if (e.revoked()) {
                    revoked.put(e.serial(), parseTime(e.revocation()));
                }
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509CRL crl = Crls.create(held, revoked, number, now, now.plus(validity));
            String next = CertFiles.serial(number.add(BigInteger.ONE));
            save(out, dir.resolve(CRL_NUMBER), next + "\n", force, "next CRL number " + next);
            save(out, dir.resolve(CRL), Pem.crl(crl), force, crlWhat(number, revoked.size(), now.plus(validity)));
        }

        /** A state file replaced as a whole when {@code force}, else written new (refused if it exists). */
        private static void save(CertFiles out, Path file, String content, boolean force, String what)
                throws TlsException {
            if (force) {
                out.replace(file, content, what);
            } else {
                out.write(file, content, false, what);
            }
        }

        private static String crlWhat(BigInteger number, int revoked, Instant nextUpdate) {
            return "CRL number " + number + ", " + revoked + " revoked, next update " + day(nextUpdate);
        }
    }

    /** One line of {@code index.txt}. Times in OpenSSL's index form: {@code YYMMDDHHMMSSZ} (UTCTime). */
    record Entry(char status, String expiry, String revocation, BigInteger serial, String subject) {
        static Entry issued(X509Certificate c) {
            return new Entry('V', formatTime(c.getNotAfter().toInstant()), "", c.getSerialNumber(),
                    slashForm(c));
        }

        static Entry parse(String line, Path file, int n) throws TlsException {
            String[] f = line.split("\t", -1);
            try {
                if (f.length != 6 || f[0].length() != 1 || "VRE".indexOf(f[0].charAt(0)) < 0) {
                    throw new IllegalArgumentException("expected 6 tab-separated fields starting with V, R or E");
                }
                return new Entry(f[0].charAt(0), f[1], f[2], new BigInteger(f[3], 16), f[5]);
            } catch (IllegalArgumentException e) {
                throw new TlsException(NOT_A_CA, file + " line " + n + " is not an index line: " + e.getMessage(), e);
            }
        }

        boolean revoked() {
            return status == 'R';
        }

        Entry revoke(Instant when) {
            return new Entry('R', expiry, formatTime(when), serial, subject);
        }

        String line() {
            return status + "\t" + expiry + "\t" + revocation + "\t" + CertFiles.serial(serial) + "\tunknown\t" + subject;
        }
    }

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** UTCTime before 2050, GeneralizedTime from then on, as OpenSSL writes index times. */
    static String formatTime(Instant t) {
        return t.atZone(ZoneOffset.UTC).getYear() < 2050 ? UTC_TIME.format(t) : GENERALIZED_TIME.format(t);
    }

    static Instant parseTime(String s) throws TlsException {
        String time = s.split(",", 2)[0]; // openssl may append ",reason"
        try {
            if (time.length() == 13) {
                // two-digit years: 50-99 are 19xx, 00-49 are 20xx (RFC 5280 UTCTime)
                Instant t = Instant.from(UTC_TIME.parse(time));
                return t.atZone(ZoneOffset.UTC).getYear() >= 2050 ? t.atZone(ZoneOffset.UTC).minusYears(100).toInstant() : t;
            }
            return Instant.from(GENERALIZED_TIME.parse(time));
        } catch (RuntimeException e) {
            throw new TlsException(NOT_A_CA, "bad time in index.txt: '" + s + "'", e);
        }
    }

    /** {@code first}'s certificate followed by {@code rest}: a chain as the CA's files hold it. */
    private static List<X509Certificate> chain(HeldCertificate first, List<X509Certificate> rest) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(first.certificate());
        chain.addAll(rest);
        return chain;
    }

    /** "C=UK,O=node.js,CN=localhost, serial 4A…, until 2026-06-01" (subject in encoding order, as CSRs print). */
    static String describe(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded()) + ", serial " + CertFiles.serial(c.getSerialNumber())
                + ", until " + day(c.getNotAfter().toInstant());
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** The subject in OpenSSL's {@code /C=UK/O=node.js/CN=localhost} form, in encoding order. */
    static String slashForm(X509Certificate c) {
        X500Name name = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        StringBuilder b = new StringBuilder();
        for (RDN rdn : name.getRDNs()) {
            b.append('/');
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    b.append('+');
                }
                String type = BCStyle.INSTANCE.oidToDisplayName(values[i].getType());
                b.append(type != null ? type : values[i].getType().getId()).append('=')
                        .append(IETFUtils.valueToString(values[i].getValue()).replace("/", "\\/")
                                .replace("\t", " ").replace("\n", " "));
            }
        }
        return b.toString();
    }
}
