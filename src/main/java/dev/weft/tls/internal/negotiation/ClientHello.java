package dev.weft.tls.internal.negotiation;

import dev.weft.tls.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a TLS ClientHello from a socket before any provider sees it, to find the SNI name it asks for. The bytes
 * read are kept, to be given back to the provider. Bounded: at most {@link #MAX_BYTES}, and the caller's
 * handshake deadline closes the socket under a peer that stops sending.
 *
 * <p>The record layer's rules up to the ClientHello are applied here, the same on every provider, as OpenSSL
 * applies them (measured with {@code openssl s_server} and Node 24 on crafted bytes; {@code RecordLayerOracleIT}
 * keeps them compared): a record longer than 2^14 bytes, a record of any other type than handshake (alert,
 * change_cipher_spec, application data, heartbeat, unknown), a handshake message other than a ClientHello, a later
 * record whose version is not 3.x, and a ClientHello whose length fields do not tile it are each a {@link Refusal}
 * that names the alert OpenSSL sends and Node's code. Empty handshake records are skipped, as OpenSSL skips them.
 *
 * <p>Only a well-formed host name comes out: ASCII letters, digits, hyphens and dots, labels of 1 to 63
 * characters, 253 at most, and exactly one name in the list. Anything else (a NUL, raw UTF-8, an empty name, two
 * names, a 300-byte label) is reported as no name, so it never reaches a user's callback; the provider then sees
 * the same bytes and fails or proceeds as it would have.
 */
public final class ClientHello {
    /** The most bytes read while looking for the ClientHello: the largest handshake message a peer may need. */
    public static final int MAX_BYTES = 16 * 1024 + 5;
    /** The longest ClientHello message accepted, as OpenSSL's limit: longer is refused as soon as announced. */
    public static final int MAX_HELLO_LENGTH = 131_396;
    /** The empty records OpenSSL skips in a row before it refuses the peer (its {@code MAX_EMPTY_RECORDS}). */
    static final int MAX_EMPTY_RECORDS = 32;

    /** What the first bytes were. */
    public enum Kind {
        /** A TLS handshake record: the provider takes it from here. */
        TLS,
        /** Plain HTTP (a request line such as {@code GET / HTTP/1.1}). */
        HTTP,
        /** An HTTP proxy request ({@code CONNECT host:443 HTTP/1.1}): a client that takes this port for a proxy. */
        HTTPS_PROXY,
        /** An SSL 2.0-style ClientHello. */
        SSLV2,
        /** Anything else that is not a TLS record. */
        NOT_TLS,
        /** The peer closed before sending a record header. */
        EMPTY
    }

    private static final java.util.List<String> HTTP_METHODS = java.util.List.of("GET ", "POST", "HEAD", "PUT ",
            "DELE", "OPTI", "PATC", "TRAC", "PRI ");

    /**
     * Why the bytes are refused before any provider sees them.
     *
     * @param recordMinor the minor version of the alert record OpenSSL answers with (3 for TLS 1.2's {@code 3,3})
     * @param alert       the fatal alert's description (10 unexpected_message, 22 record_overflow, ...)
     * @param code        Node's code for it
     * @param reason      what was wrong, for the message
     */
    public record Refusal(int recordMinor, int alert, ErrorCode code, String reason) {
    }

    private final byte[] consumed;
    private final String serverName;
    private final Kind kind;
    private boolean tooOld;
    private boolean statusRequest;
    private boolean fallbackScsv;
    private int bestVersion;
    private int[] signatureSchemes;
    private boolean offersWeftSuite;
    private Refusal refusal;

    private ClientHello(byte[] consumed, String serverName) {
        this.consumed = consumed;
        this.serverName = serverName;
        this.kind = classify(consumed);
    }

    private static Kind classify(byte[] b) {
        if (b.length < 5) {
            return b.length == 0 ? Kind.EMPTY : Kind.NOT_TLS;
        }
        if (b[0] >= 20 && b[0] <= 24 && b[1] == 3) {
            return Kind.TLS;
        }
        String start = new String(b, 0, 4, StandardCharsets.ISO_8859_1);
        if (start.equals("CONN")) {
            return Kind.HTTPS_PROXY;
        }
        if (HTTP_METHODS.contains(start)) {
            return Kind.HTTP;
        }
        if ((b[0] & 0x80) != 0 && b[2] == 1) {
            return Kind.SSLV2;
        }
        return Kind.NOT_TLS;
    }

    /** {@return why the record layer refuses these bytes, as OpenSSL would; null when it does not} */
    public Refusal refusal() {
        return refusal;
    }

    /** Whether the ClientHello asks for a stapled OCSP response (status_request, of status type ocsp). */
    public boolean statusRequest() {
        return statusRequest;
    }

    /**
     * Whether the client says it retries below its best version (TLS_FALLBACK_SCSV, RFC 7507) and that version is
     * below {@code serverBest} (0x0304 for TLS 1.3): OpenSSL then refuses it with inappropriate_fallback.
     */
    public boolean inappropriateFallback(int serverBest) {
        return fallbackScsv && bestVersion < serverBest;
    }

    /**
     * The suites weft can ever negotiate, whatever the provider and the {@code ciphers} option: the TLS 1.3 suites
     * and ECDHE with AES-GCM or ChaCha20-Poly1305. Sorted, for a binary search.
     */
    private static final int[] WEFT_SUITES = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02c, 0xc02f, 0xc030, 0xcca8, 0xcca9};

    /** Whether the client offers at least one suite weft can negotiate (see {@code WEFT_SUITES}). */
    public boolean offersNegotiableSuite() {
        return offersWeftSuite;
    }

    /** The best protocol version the client offers (0x0304 for TLS 1.3); 0 before a whole, valid ClientHello. */
    public int bestVersion() {
        return bestVersion;
    }

    /**
     * The signature schemes of the signature_algorithms extension, in the client's order; null when it sent none
     * (TLS 1.2 then means SHA-1, RFC 5246 section 7.4.1.4.1).
     */
    public int[] signatureSchemes() {
        return signatureSchemes == null ? null : signatureSchemes.clone();
    }

    /** The signature_algorithms list of a whole ClientHello; null when absent, empty when malformed. */
    private static int[] signatureSchemes(byte[] m, int end) {
        try {
            int[] ext = extension(m, end, 13); // signature_algorithms
            if (ext == null) {
                return null;
            }
            int length = u16(m, ext[0]);
            if (length % 2 != 0 || ext[0] + 2 + length != ext[1]) {
                return new int[0];
            }
            int[] schemes = new int[length / 2];
            for (int i = 0; i < schemes.length; i++) {
                schemes[i] = u16(m, ext[0] + 2 + 2 * i);
            }
            return schemes;
        } catch (ArrayIndexOutOfBoundsException e) {
            return new int[0];
        }
    }

    /** The cipher suites of a whole, well-framed ClientHello, in the client's order. */
    private static int[] cipherSuites(byte[] m) {
        int p = 4 + 2 + 32;
        p += 1 + (m[p] & 0xff);
        int[] suites = new int[u16(m, p) / 2];
        for (int i = 0; i < suites.length; i++) {
            suites[i] = u16(m, p + 2 + 2 * i);
        }
        return suites;
    }

    /** The best version a whole ClientHello offers: in supported_versions when present, else legacy_version. */
    private static int bestVersion(byte[] m, int end) {
        int legacy = u16(m, 4);
        try {
            int[] versions = extension(m, end, 43); // supported_versions
            if (versions == null) {
                return legacy;
            }
            int best = 0;
            for (int v = versions[0] + 1; v + 1 < versions[1]; v += 2) {
                int offered = u16(m, v);
                if (offered >= 0x0300 && offered <= 0x0304) { // not GREASE, not a draft
                    best = Math.max(best, offered);
                }
            }
            return best == 0 ? legacy : best;
        } catch (ArrayIndexOutOfBoundsException e) {
            return legacy;
        }
    }

    /** Whether a whole ClientHello carries a status_request extension of type ocsp (RFC 6066, section 8). */
    static boolean asksForOcspStatus(byte[] m, int end) {
        try {
            int[] status = extension(m, end, 5); // status_request
            return status != null && status[1] > status[0] && m[status[0]] == 1;
        } catch (ArrayIndexOutOfBoundsException e) {
            return false; // malformed: the provider reports it
        }
    }

    /** Whether the ClientHello offers only versions below TLS 1.2 (SSL 3.0, TLS 1.0, TLS 1.1). */
    public boolean offersOnlyOldVersions() {
        return tooOld;
    }

    /** Whether a whole ClientHello offers TLS 1.2 or later (legacy_version, or supported_versions). */
    static boolean offersTls12OrLater(byte[] m, int end) {
        try {
            if (u16(m, 4) >= 0x0303) {
                return true;
            }
            int[] versions = extension(m, end, 43); // supported_versions
            if (versions != null) {
                for (int v = versions[0] + 1; v + 1 < versions[1]; v += 2) {
                    if (u16(m, v) >= 0x0303 && u16(m, v) < 0x0400) {
                        return true;
                    }
                }
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException e) {
            return true; // malformed: let the provider report it
        }
    }

    /**
     * Where extension {@code type} of a whole ClientHello message lies, as {@code [start, end)}; null when the
     * hello has none.
     *
     * @throws ArrayIndexOutOfBoundsException when the hello or its extension list is malformed
     */
    private static int[] extension(byte[] m, int end, int type) {
        int p = 4 + 2 + 32; // header, client_version, random
        p += 1 + (m[p] & 0xff); // session_id
        p += 2 + u16(m, p); // cipher_suites
        p += 1 + (m[p] & 0xff); // compression_methods
        if (p + 2 > end) {
            return null; // no extensions at all
        }
        int extEnd = p + 2 + u16(m, p);
        p += 2;
        if (extEnd > end) {
            throw new ArrayIndexOutOfBoundsException("extensions run past the message");
        }
        while (p + 4 <= extEnd) {
            int t = u16(m, p);
            int len = u16(m, p + 2);
            p += 4;
            if (p + len > extEnd) {
                throw new ArrayIndexOutOfBoundsException("extension runs past the list");
            }
            if (t == type) {
                return new int[] {p, p + len};
            }
            p += len;
        }
        return null;
    }

    /** What the peer sent first. */
    public Kind kind() {
        return kind;
    }

    /** The bytes read from the socket, to replay to the provider. */
    public byte[] consumed() {
        return consumed.clone();
    }

    /** The SNI host name, lower-cased; null when there is none or it is not a well-formed host name. */
    public String serverName() {
        return serverName;
    }

    /**
     * Reads the first handshake message from {@code in}. Stops early (returning what it has, with no name) when
     * the first bytes are not a TLS record at all, so they are named by {@link #kind()}; stops with a
     * {@link #refusal()} when they break the record layer's rules.
     */
    public static ClientHello read(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream(512);
        ByteArrayOutputStream handshake = new ByteArrayOutputStream(512);
        int needed = -1;
        int firstMinor = -1; // the first record's version: OpenSSL answers a misplaced record in it
        int empty = 0;
        while (seen.size() < MAX_BYTES) {
            byte[] header = in.readNBytes(5);
            if (header.length == 5 && header[0] == 22 && header[1] == 3 && header[3] == 0 && header[4] == 0) {
                if (++empty > MAX_EMPTY_RECORDS) {
                    seen.write(header);
                    return refused(seen, 3, 10, ErrorCode.RECORD_TOO_SMALL, "more than " + MAX_EMPTY_RECORDS
                            + " empty records before the ClientHello");
                }
                firstMinor = firstMinor < 0 ? header[2] & 0xff : firstMinor;
                continue; // an empty handshake record: OpenSSL skips it, and the provider never sees it
            }
            seen.write(header);
            if (header.length < 5) {
                break;
            }
            if (header[1] != 3) {
                if (firstMinor < 0) {
                    break; // not a TLS record at all: kind() names it (plain HTTP, SSL 2.0, garbage)
                }
                return refused(seen, 3, 70, ErrorCode.WRONG_VERSION_NUMBER, String.format("a record with version "
                        + "%d.%d in the middle of the ClientHello", header[1] & 0xff, header[2] & 0xff));
            }
            if (firstMinor < 0) {
                firstMinor = header[2] & 0xff;
            }
            int minor = firstMinor >= 1 && firstMinor <= 3 ? firstMinor : 3;
            int type = header[0] & 0xff;
            int length = u16(header, 3);
            if (length > 16384) {
                return refused(seen, 3, 22, ErrorCode.DATA_LENGTH_TOO_LONG, "a record of " + length
                        + " bytes, longer than TLS allows before encryption (2^14)");
            }
            if (type != 22) {
                if (type == 20) { // change_cipher_spec: its body decides which complaint OpenSSL makes
                    byte[] body = in.readNBytes(length);
                    seen.write(body);
                    if (body.length < length) {
                        break;
                    }
                    // first, OpenSSL's state machine refuses it in a TLS 1.2 record; in the middle of the
                    // hello, its record layer does, in the peer's record version
                    return refused(seen, handshake.size() > 0 ? minor : 3, 10, length != 1 || body[0] != 1 ? ErrorCode.BAD_CHANGE_CIPHER_SPEC
                            : ErrorCode.UNEXPECTED_MESSAGE, "a change_cipher_spec record before the ClientHello");
                }
                return refused(seen, minor, 10, ErrorCode.UNEXPECTED_MESSAGE, "a record of type " + type + " ("
                        + recordType(type) + ") before the ClientHello");
            }
            if (length > MAX_BYTES - seen.size()) {
                break;
            }
            byte[] body = in.readNBytes(length);
            seen.write(body);
            if (body.length < length) {
                break;
            }
            handshake.write(body);
            byte[] h = handshake.toByteArray();
            if (needed < 0 && h.length >= 4) {
                if (h[0] != 1) {
                    return refused(seen, minor, 10, ErrorCode.UNEXPECTED_MESSAGE, "a handshake message of type "
                            + (h[0] & 0xff) + " where the ClientHello must come");
                }
                needed = 4 + (((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff));
                if (needed - 4 > MAX_HELLO_LENGTH) { // a promise no client keeps: do not wait for it
                    return refused(seen, 3, 47, ErrorCode.EXCESSIVE_MESSAGE_SIZE, "a ClientHello of "
                            + (needed - 4) + " bytes announced, more than " + MAX_HELLO_LENGTH);
                }
            }
            if (needed >= 0 && h.length >= needed) {
                ClientHello hello = new ClientHello(seen.toByteArray(), parseServerName(h, needed));
                hello.refusal = framing(h, needed);
                hello.tooOld = hello.refusal == null && !offersTls12OrLater(h, needed);
                hello.statusRequest = hello.refusal == null && asksForOcspStatus(h, needed);
                if (hello.refusal == null) {
                    for (int suite : cipherSuites(h)) {
                        hello.fallbackScsv |= suite == 0x5600; // TLS_FALLBACK_SCSV
                        hello.offersWeftSuite |= java.util.Arrays.binarySearch(WEFT_SUITES, suite) >= 0;
                    }
                    hello.bestVersion = bestVersion(h, needed);
                    hello.signatureSchemes = signatureSchemes(h, needed);
                }
                return hello;
            }
        }
        return new ClientHello(seen.toByteArray(), null);
    }

    private static ClientHello refused(ByteArrayOutputStream seen, int minor, int alert, ErrorCode code,
            String reason) {
        ClientHello hello = new ClientHello(seen.toByteArray(), null);
        hello.refusal = new Refusal(minor, alert, code, reason);
        return hello;
    }

    private static String recordType(int type) {
        return switch (type) {
            case 20 -> "change_cipher_spec";
            case 21 -> "alert";
            case 23 -> "application data";
            case 24 -> "heartbeat";
            default -> "not a TLS content type";
        };
    }

    /**
     * Whether the length-prefixed fields of a whole ClientHello (session id, cipher suites, compression methods,
     * extensions) tile it exactly, and the two lists are well-formed, as OpenSSL's first parse checks them: the
     * refusal it makes (the alert and Node's code), or null.
     */
    static Refusal framing(byte[] m, int end) {
        int p = 4 + 2 + 32; // header, legacy_version, random
        if (p + 1 > end) {
            return lengthMismatch("the ClientHello ends before its session id");
        }
        int sessionId = m[p] & 0xff;
        if (sessionId > 32 || p + 1 + sessionId > end) {
            return lengthMismatch("a session id of " + sessionId + " bytes");
        }
        p += 1 + sessionId;
        if (p + 2 > end || p + 2 + u16(m, p) > end) {
            return lengthMismatch("the cipher suites run past the ClientHello");
        }
        int suites = u16(m, p);
        p += 2 + suites;
        if (p + 1 > end || p + 1 + (m[p] & 0xff) > end) {
            return lengthMismatch("the compression methods run past the ClientHello");
        }
        int methods = m[p] & 0xff;
        boolean nullCompression = false;
        for (int i = p + 1; i < p + 1 + methods; i++) {
            nullCompression |= m[i] == 0;
        }
        p += 1 + methods;
        if (p < end && (p + 2 > end || p + 2 + u16(m, p) != end)) {
            return lengthMismatch("the extensions do not end where the ClientHello does");
        }
        if (suites % 2 != 0) {
            return new Refusal(3, 50, ErrorCode.ERROR_IN_RECEIVED_CIPHER_LIST, "a cipher-suite list of odd length "
                    + suites);
        }
        if (methods == 0) {
            return new Refusal(3, 50, ErrorCode.NO_COMPRESSION_SPECIFIED, "an empty list of compression methods");
        }
        if (!nullCompression) {
            // illegal_parameter as OpenSSL 3.5 (Node 24) sends it; OpenSSL 3.0 sent decode_error
            return new Refusal(3, 47, ErrorCode.REQUIRED_COMPRESSION_ALGORITHM_MISSING, "no null compression "
                    + "method offered");
        }
        return null;
    }

    private static Refusal lengthMismatch(String reason) {
        return new Refusal(3, 50, ErrorCode.LENGTH_MISMATCH, reason);
    }

    /** The host name of the server_name extension of a whole ClientHello message; null when absent or bad. */
    static String parseServerName(byte[] m, int end) {
        try {
            int[] sni = extension(m, end, 0); // server_name
            return sni == null ? null : hostName(m, sni[0], sni[1]);
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static String hostName(byte[] m, int p, int end) {
        int listEnd = p + 2 + u16(m, p);
        p += 2;
        if (listEnd != end || p + 3 > end || m[p] != 0) {
            return null;
        }
        int len = u16(m, p + 1);
        p += 3;
        if (p + len != end || len == 0 || len > 253) {
            return null; // also refuses a second name after the first
        }
        String name = new String(m, p, len, StandardCharsets.ISO_8859_1);
        return wellFormed(name) ? name.toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** ASCII letters, digits and hyphens in dot-separated labels of 1 to 63 characters. */
    public static boolean wellFormed(String name) {
        if (name.isEmpty() || name.length() > 253 || name.startsWith(".") || name.endsWith(".")) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_') {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
