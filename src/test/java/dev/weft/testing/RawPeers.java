package dev.weft.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/** Hostile peers' raw bytes over plain sockets: crafted hellos, and how a raw connection ended. */
public final class RawPeers {
    private RawPeers() {
    }

    /** How a raw connection ended, what came before, and when. */
    public record End(How how, byte[] received, Duration after) {
        public boolean closed() {
            return how == How.EOF || how == How.RESET;
        }

        /** Whether what arrived before the end is one or more TLS alert records (or nothing). */
        public boolean nothingOrAlert() {
            return received.length == 0 || received[0] == 21;
        }
    }

    public enum How { EOF, RESET, STILL_OPEN }

    /** A connected plain socket to {@code port} on 127.0.0.1. */
    public static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    /** Reads until the peer closes (EOF or reset) or {@code bound} passes; never throws for the end itself. */
    public static End awaitEnd(Socket s, Duration bound) throws IOException {
        long start = System.nanoTime();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        while (true) {
            long left = bound.toMillis() - (System.nanoTime() - start) / 1_000_000;
            if (left <= 0) {
                return new End(How.STILL_OPEN, got.toByteArray(), since(start));
            }
            s.setSoTimeout((int) left);
            try {
                int n = in.read(buf);
                if (n < 0) {
                    return new End(How.EOF, got.toByteArray(), since(start));
                }
                got.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                return new End(How.STILL_OPEN, got.toByteArray(), since(start));
            } catch (SocketException e) {
                return new End(How.RESET, got.toByteArray(), since(start));
            }
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Writes {@code bytes} and flushes; a peer that already closed is not an error here. */
    public static void send(Socket s, byte[] bytes) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException ignored) {
            // the server refused first: what the test checks is how it ended
        }
    }

    /** A real TLS 1.3/1.2 ClientHello record from SunJSSE asking for localhost by SNI, as a client sends first. */
    public static byte[] realClientHello() {
        return realClientHello(new String[0]);
    }

    /** As {@link #realClientHello()}, offering {@code alpn} (when not empty) by ALPN. */
    public static byte[] realClientHello(String... alpn) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, null, null);
            SSLEngine e = c.createSSLEngine("localhost", 443);
            e.setUseClientMode(true);
            javax.net.ssl.SSLParameters params = e.getSSLParameters();
            params.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("localhost"))); // not sent alone
            if (alpn.length > 0) {
                params.setApplicationProtocols(alpn);
            }
            e.setSSLParameters(params);
            ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
            e.beginHandshake();
            e.wrap(ByteBuffer.allocate(0), out);
            return Arrays.copyOf(out.array(), out.position());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A well-formed ClientHello record offering only {@code version} (0x0300 SSLv3, 0x0301 TLS 1.0, 0x0302 TLS 1.1),
     * with CBC suites and no extensions, as an old client sends.
     */
    public static byte[] legacyClientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // session id
        body.writeBytes(new byte[] {0, 6, 0, 0x2f, 0, 0x35, 0, (byte) 0xff}); // AES128-SHA, AES256-SHA, SCSV
        body.writeBytes(new byte[] {1, 0}); // null compression
        byte[] b = body.toByteArray();
        byte[] hs = new byte[4 + b.length];
        hs[0] = 1;
        hs[1] = 0;
        hs[2] = (byte) (b.length >> 8);
        hs[3] = (byte) b.length;
        System.arraycopy(b, 0, hs, 4, b.length);
        return record(22, Math.min(version, 0x0301), hs);
    }

    /** An SSLv2-format ClientHello (as very old clients send), offering SSLv3/TLS 1.0. */
    public static byte[] sslv2ClientHello() {
        byte[] challenge = new byte[16];
        new SecureRandom().nextBytes(challenge);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(1); // CLIENT-HELLO
        m.writeBytes(new byte[] {3, 1}); // up to TLS 1.0
        m.writeBytes(new byte[] {0, 3, 0, 0, 0, 16}); // cipher specs length 3, session id 0, challenge 16
        m.writeBytes(new byte[] {0, 0, 0x2f});
        m.writeBytes(challenge);
        byte[] b = m.toByteArray();
        byte[] out = new byte[2 + b.length];
        out[0] = (byte) (0x80 | (b.length >> 8));
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    /**
     * Where the data of extension {@code type} starts in a one-record ClientHello (as {@link #realClientHello}
     * makes), or -1 when it has none.
     */
    public static int extensionData(byte[] hello, int type) {
        int p = 5 + 4 + 2 + 32; // record header, handshake header, client_version, random
        p += 1 + (hello[p] & 0xff); // session_id
        p += 2 + u16(hello, p); // cipher_suites
        p += 1 + (hello[p] & 0xff); // compression_methods
        int end = p + 2 + u16(hello, p);
        for (p += 2; p + 4 <= end; p += 4 + u16(hello, p + 2)) {
            if (u16(hello, p) == type) {
                return p + 4;
            }
        }
        return -1;
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    /** One TLS record of {@code type} and record version {@code version} around {@code payload}. */
    public static byte[] record(int type, int version, byte[] payload) {
        byte[] r = new byte[5 + payload.length];
        r[0] = (byte) type;
        r[1] = (byte) (version >> 8);
        r[2] = (byte) version;
        r[3] = (byte) (payload.length >> 8);
        r[4] = (byte) payload.length;
        System.arraycopy(payload, 0, r, 5, payload.length);
        return r;
    }

    /** A plain server socket on 127.0.0.1 with a free port. */
    public static ServerSocket listen() throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress("127.0.0.1", 0));
        return ss;
    }
}
