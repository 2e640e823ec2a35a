package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.tls.internal.errors.Errors;
import dev.weft.tls.internal.trust.X509Error;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * {@link ErrorCode} lists every code weft reports: the codes the documentation names, the codes written in the
 * sources, every verification error and every alert a peer can send.
 */
class ErrorCodeTest {
    private static final Path PROJECT = Path.of(System.getProperty("weft.project.dir", "."));
    private static final Pattern ERR = Pattern.compile("\\bERR_[A-Z0-9_]*[A-Z0-9]\\b(?!_|<)");
    private static final String SYSTEM = "E(CONN|ADDR|NO|ACCES|IO|PIPE|TIMED|IS)[A-Z]*";
    private static final Pattern BACKTICKED = Pattern.compile("`([A-Z][A-Z0-9_]{3,})`");

    @Test
    void everyCodeTheDocumentationNamesIsAConstant() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(PROJECT.resolve("README.md")));
        try (Stream<Path> s = Files.list(PROJECT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        Path contributing = PROJECT.resolve("CONTRIBUTING.md");
        if (Files.exists(contributing)) {
            docs.add(contributing);
        }
        Set<String> verification = new TreeSet<>();
        for (X509Error e : X509Error.values()) {
            verification.add(e.name());
        }
        Set<String> named = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();
        for (Path doc : docs) {
            String text = Files.readString(doc);
            Matcher m = ERR.matcher(text);
            while (m.find()) {
                named.add(m.group());
            }
            Matcher b = BACKTICKED.matcher(text);
            while (b.find()) {
                if (verification.contains(b.group(1)) || b.group(1).matches(SYSTEM)) {
                    named.add(b.group(1));
                }
            }
        }
        for (String code : named) {
            if (ErrorCode.known(code).isEmpty()) {
                unknown.add(code);
            }
        }
        assertTrue(named.size() > 40, "the documentation names " + named.size() + " codes: " + named);
        assertEquals(Set.of(), unknown, "codes the documentation names that ErrorCode does not list");
    }

    @Test
    void everyCodeWrittenInTheSourcesIsAConstant() throws IOException {
        Pattern literal = Pattern.compile("\"(ERR_[A-Z0-9_]*[A-Z0-9]|E[A-Z]{2,})\"");
        Set<String> unknown = new TreeSet<>();
        int seen = 0;
        try (Stream<Path> files = Files.walk(PROJECT.resolve("src/main/java"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (f.getFileName().toString().equals("ErrorCode.java")) {
                    continue;
                }
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) {
                    String code = m.group(1);
                    if (code.startsWith("ERR_") || code.matches(SYSTEM)) {
                        seen++;
                        if (ErrorCode.known(code).isEmpty()) {
                            unknown.add(code + " (" + f.getFileName() + ")");
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), unknown, "codes in the sources that ErrorCode does not list (" + seen + " seen)");
    }

    @Test
    void everyVerificationErrorReportsAConstant() {
        for (X509Error e : X509Error.values()) {
            ErrorCode code = ErrorCode.of(e.nodeCode());
            assertTrue(code.isKnown(), e + " reports " + e.nodeCode());
            assertEquals(ErrorCode.Origin.OPENSSL_VERIFY, code.origin(), e.name());
        }
    }

    @Test
    void everyAlertAPeerCanSendHasAConstant() {
        // RFC 8446 section 6 and RFC 5246 section 7.2: the alerts a TLS 1.2 or 1.3 peer can send
        String[] alerts = {"unexpected_message", "bad_record_mac", "decryption_failed", "record_overflow",
                "decompression_failure", "handshake_failure", "no_certificate", "bad_certificate",
                "unsupported_certificate", "certificate_revoked", "certificate_expired", "certificate_unknown",
                "illegal_parameter", "unknown_ca", "access_denied", "decode_error", "decrypt_error",
                "protocol_version", "insufficient_security", "internal_error", "inappropriate_fallback",
                "user_canceled", "no_renegotiation", "missing_extension", "unsupported_extension",
                "unrecognized_name", "bad_certificate_status_response", "unknown_psk_identity",
                "certificate_required", "no_application_protocol"};
        for (String alert : alerts) {
            String code = Errors.receivedAlertCode(new SSLHandshakeException("Received fatal alert: " + alert));
            assertNotNull(code, alert);
            assertTrue(ErrorCode.of(code).isKnown(), alert + " gives " + code);
        }
        String unlisted = Errors.receivedAlertCode(new SSLHandshakeException("Received fatal alert: made_up"));
        assertEquals("ERR_SSL_ALERT_MADE_UP", unlisted);
        assertFalse(ErrorCode.of(unlisted).isKnown());
        assertEquals(ErrorCode.Origin.NODE, ErrorCode.of(unlisted).origin());
    }

    @Test
    void knownCodesAreSingletonsAndTheExceptionCarriesThem() {
        TlsException e = new TlsException(ErrorCode.CERT_HAS_EXPIRED, "expired");
        assertEquals("CERT_HAS_EXPIRED", e.code());
        assertSame(ErrorCode.CERT_HAS_EXPIRED, e.errorCode());
        assertTrue(ErrorCode.CERT_HAS_EXPIRED.matches(e));
        assertFalse(ErrorCode.CERT_REVOKED.matches(e));
        assertSame(ErrorCode.HANDSHAKE_TIMEOUT, new TlsException("ERR_TLS_HANDSHAKE_TIMEOUT", "late").errorCode());
        Set<String> codes = new TreeSet<>();
        for (ErrorCode c : ErrorCode.values()) {
            assertTrue(codes.add(c.code()), "listed twice: " + c);
            assertSame(c, ErrorCode.of(c.code()));
            assertEquals(c.code().startsWith("ERR_WEFT_"), c.origin() == ErrorCode.Origin.WEFT, c.code());
        }
    }
}
