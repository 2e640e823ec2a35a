package dev.weft.tls.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a TLS ClientHello from a socket before any provider sees it, to find the SNI name it asks for. The bytes
 * read are kept, to be given back to the provider. Bounded: at most {@link #MAX_BYTES}, and the caller's
 * handshake deadline closes the socket under a peer that stops sending.
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

    private final byte[] consumed;
    private final String serverName;
    private final Kind kind;
    private boolean tooOld;
    private boolean oversized;
    private int excessiveLength;

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

    /** Whether the first record claimed more than the 2^14 bytes a plaintext record may hold. */
    public boolean oversized() {
        return oversized;
    }

    /** The length a ClientHello announced beyond {@link #MAX_HELLO_LENGTH}; 0 when it announced no such thing. */
    public int excessiveLength() {
        return excessiveLength;
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
     * the bytes are not a TLS handshake, so the provider can report the real problem.
     */
    public static ClientHello read(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream(512);
        ByteArrayOutputStream handshake = new ByteArrayOutputStream(512);
        int needed = -1;
        while (seen.size() < MAX_BYTES) {
            byte[] header = in.readNBytes(5);
            seen.write(header);
            if (header.length < 5 || header[0] != 22 || header[1] != 3) {
                break; // not a TLS handshake record: let the provider say so
            }
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            if (length > 16384) {
                ClientHello tooLong = new ClientHello(seen.toByteArray(), null);
                tooLong.oversized = true; // no plaintext record may be longer than 2^14 bytes
                return tooLong;
            }
            if (length == 0 || length > MAX_BYTES - seen.size()) {
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
                    break; // not a ClientHello
                }
                needed = 4 + (((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff));
                if (needed - 4 > MAX_HELLO_LENGTH) {
                    ClientHello tooLong = new ClientHello(seen.toByteArray(), null);
                    tooLong.excessiveLength = needed - 4; // a promise no client keeps: do not wait for it
                    return tooLong;
                }
            }
            if (needed >= 0 && h.length >= needed) {
                ClientHello hello = new ClientHello(seen.toByteArray(), parseServerName(h, needed));
                hello.tooOld = !offersTls12OrLater(h, needed);
                return hello;
            }
        }
        return new ClientHello(seen.toByteArray(), null);
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
