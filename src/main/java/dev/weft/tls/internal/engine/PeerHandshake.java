package dev.weft.tls.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the peer's plaintext handshake as its records arrive, for what no provider API tells alike: on a client,
 * the key-exchange group the server chose (TLS 1.3: the ServerHello's key_share; TLS 1.2: the ServerKeyExchange's
 * named curve) and a TLS 1.2 CertificateRequest's signature algorithms; on a server, the ClientHello's
 * signature_algorithms. It only looks: the provider's engine reads the same bytes and decides everything.
 *
 * <p>Every read is bounds-checked; a message longer than {@link #MAX_MESSAGE} is skipped, a malformed one is
 * ignored (the engine refuses it). It stops at the first encrypted record, so a connection's data costs nothing.
 */
public final class PeerHandshake {
    /** The longest message kept (a ServerHello with a hybrid key share is about 1.2 KB). */
    static final int MAX_MESSAGE = 1 << 16;
    private static final byte[] HELLO_RETRY = java.util.HexFormat.of().parseHex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    private final boolean server;
    private final byte[] header = new byte[5];
    private int headerFill;
    private int recordLeft;
    private int recordType;
    private final byte[] messageHeader = new byte[4];
    private int messageHeaderFill;
    private int messageLeft;
    private int messageType;
    private byte[] body;
    private int bodyFill;
    private boolean serverHelloSeen;
    private boolean done;

    private volatile int group = -1;
    private volatile int[] peerSchemes;
    private volatile int[] offeredGroups;
    private volatile int[] keyShares;
    private volatile boolean offersTls13;
    private volatile boolean tls13;

    /** A reader of what the peer of a {@code server} (true) or client (false) sends. */
    PeerHandshake(boolean server) {
        this.server = server;
    }

    /** {@return the group the server chose (TLS code point), -1 when none was seen} */
    int group() {
        return group;
    }

    /** {@return the peer's signature schemes (ClientHello, or TLS 1.2 CertificateRequest), null when none seen} */
    int[] peerSchemes() {
        int[] s = peerSchemes;
        return s == null ? null : s.clone();
    }

    /**
     * The supported_groups of the ClientHello at the start of {@code received} (what a server read first), in the
     * client's order; null when there is none or it is malformed.
     *
     * @param received the bytes a client sent first: TLS records holding its ClientHello
     * @return the groups' code points, or null
     */
    public static int[] offeredGroups(byte[] received) {
        return offered(received).groups();
    }

    /** A ClientHello's supported_groups and the groups of its key shares (empty when it sent none). */
    public record Offer(int[] groups, int[] keyShares, boolean tls13) {
    }

    /**
     * The groups the ClientHello at the start of {@code received} offers, and those it sent key shares for; groups
     * null when it has no (well-formed) supported_groups.
     *
     * @param received the bytes a client sent first: TLS records holding its ClientHello
     * @return what it offers
     */
    public static Offer offered(byte[] received) {
        PeerHandshake p = new PeerHandshake(true);
        p.observe(received, 0, received.length);
        int[] shares = p.keyShares;
        return new Offer(p.offeredGroups, shares == null ? new int[0] : shares, p.offersTls13);
    }

    /** {@return whether the ServerHello chose TLS 1.3} */
    boolean tls13() {
        return tls13;
    }

    /** Takes the next {@code n} bytes the peer sent. */
    void observe(byte[] b, int off, int n) {
        int i = off;
        int end = off + n;
        while (i < end && !done) {
            if (recordLeft == 0) {
                header[headerFill++] = b[i++];
                if (headerFill == 5) {
                    headerFill = 0;
                    recordType = header[0] & 0xff;
                    recordLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    if (recordType == 23 || recordType == 20 && serverHelloSeen && !server
                            || recordType != 20 && recordType != 21 && recordType != 22) {
                        done = true; // encrypted from here, or not TLS
                    }
                }
                continue;
            }
            int k = Math.min(recordLeft, end - i);
            if (recordType == 22) {
                handshakeBytes(b, i, k);
            }
            recordLeft -= k;
            i += k;
        }
    }

    private void handshakeBytes(byte[] b, int off, int n) {
        int i = off;
        int end = off + n;
        while (i < end && !done) {
            if (messageLeft == 0 && messageHeaderFill < 4) {
                messageHeader[messageHeaderFill++] = b[i++];
                if (messageHeaderFill == 4) {
                    messageType = messageHeader[0] & 0xff;
                    messageLeft = ((messageHeader[1] & 0xff) << 16) | ((messageHeader[2] & 0xff) << 8)
                            | (messageHeader[3] & 0xff);
                    body = wanted(messageType) && messageLeft <= MAX_MESSAGE ? new byte[messageLeft] : null;
                    bodyFill = 0;
                    if (messageLeft == 0) {
                        finish();
                    }
                }
                continue;
            }
            int k = Math.min(messageLeft, end - i);
            if (body != null) {
                System.arraycopy(b, i, body, bodyFill, k);
                bodyFill += k;
            }
            messageLeft -= k;
            i += k;
            if (messageLeft == 0) {
                finish();
            }
        }
    }

    private boolean wanted(int type) {
        return server ? type == 1 : type == 2 || type == 12 || type == 13 || type == 14;
    }

    private void finish() {
        messageHeaderFill = 0;
        byte[] m = body;
        body = null;
        if (messageType == 14) {
            done = true; // ServerHelloDone: TLS 1.2's server flight is over
            return;
        }
        if (m == null) {
            return;
        }
        try {
            switch (messageType) {
                case 1 -> clientHello(new Reader(m));
                case 2 -> serverHello(new Reader(m));
                case 12 -> serverKeyExchange(new Reader(m));
                case 13 -> certificateRequest(new Reader(m));
                default -> {
                }
            }
        } catch (IndexOutOfBoundsException malformed) {
            // the engine refuses it; weft reports nothing of it
        }
    }

    private void clientHello(Reader r) {
        done = true;
        r.skip(2 + 32);
        r.skip(r.u8());
        r.skip(r.u16());
        r.skip(r.u8());
        if (r.left() == 0) {
            return;
        }
        Reader ext = r.sub(r.u16());
        while (ext.left() > 0) {
            int type = ext.u16();
            Reader data = ext.sub(ext.u16());
            if (type == 13 || type == 10) { // signature_algorithms, supported_groups
                Reader list = data.sub(data.u16());
                int[] codes = new int[list.left() / 2];
                for (int j = 0; j < codes.length; j++) {
                    codes[j] = list.u16();
                }
                if (type == 13) {
                    peerSchemes = codes;
                } else {
                    offeredGroups = codes;
                }
            } else if (type == 43) { // supported_versions
                Reader list = data.sub(data.u8());
                while (list.left() > 0) {
                    offersTls13 |= list.u16() == 0x0304;
                }
            } else if (type == 51) { // key_share: the groups the client sent a key for
                Reader list = data.sub(data.u16());
                List<Integer> groups = new ArrayList<>();
                while (list.left() > 0) {
                    groups.add(list.u16());
                    list.skip(list.u16());
                }
                keyShares = groups.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    private void serverHello(Reader r) {
        r.skip(2);
        boolean retry = java.util.Arrays.equals(r.bytes(32), HELLO_RETRY);
        r.skip(r.u8());
        r.skip(2 + 1);
        if (retry) {
            return; // a HelloRetryRequest: the real ServerHello follows
        }
        serverHelloSeen = true;
        if (r.left() == 0) {
            return;
        }
        Reader ext = r.sub(r.u16());
        int chosen = -1;
        boolean v13 = false;
        while (ext.left() > 0) {
            int type = ext.u16();
            Reader data = ext.sub(ext.u16());
            if (type == 51) { // key_share
                chosen = data.u16();
            } else if (type == 43) { // supported_versions
                v13 = data.u16() == 0x0304;
            }
        }
        if (v13) {
            tls13 = true;
            group = chosen;
            done = true; // the rest of the server's flight is encrypted
        }
    }

    private void serverKeyExchange(Reader r) {
        if (r.u8() == 3) { // named_curve
            group = r.u16();
        }
    }

    private void certificateRequest(Reader r) {
        r.skip(r.u8());
        Reader list = r.sub(r.u16());
        int[] schemes = new int[list.left() / 2];
        for (int j = 0; j < schemes.length; j++) {
            schemes[j] = list.u16();
        }
        peerSchemes = schemes;
    }

    /** A bounds-checked reader over part of a message: reading past its end throws IndexOutOfBoundsException. */
    static final class Reader {
        private final byte[] b;
        private int p;
        private final int end;

        Reader(byte[] b) {
            this(b, 0, b.length);
        }

        private Reader(byte[] b, int p, int end) {
            this.b = b;
            this.p = p;
            this.end = end;
        }

        int left() {
            return end - p;
        }

        private void need(int n) {
            if (n < 0 || n > end - p) {
                throw new IndexOutOfBoundsException("need " + n + " of " + (end - p));
            }
        }

        int u8() {
            need(1);
            return b[p++] & 0xff;
        }

        int u16() {
            need(2);
            int v = ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
            p += 2;
            return v;
        }

        void skip(int n) {
            need(n);
            p += n;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] out = java.util.Arrays.copyOfRange(b, p, p + n);
            p += n;
            return out;
        }

        Reader sub(int n) {
            need(n);
            Reader r = new Reader(b, p, p + n);
            p += n;
            return r;
        }
    }
}
