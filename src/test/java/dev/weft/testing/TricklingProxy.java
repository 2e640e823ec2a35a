package dev.weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server that re-cuts what the client sends first: its first TLS record (the
 * ClientHello) into records of one byte each, or its first bytes into one-byte TCP writes. Everything after, and
 * everything the server sends, passes as it comes.
 */
public final class TricklingProxy implements AutoCloseable {
    /** How the client's first bytes are cut. */
    public enum Mode {
        /** The first record becomes one record per payload byte. */
        TINY_RECORDS,
        /** The first 4 KiB go out one byte per write, with TCP_NODELAY. */
        SINGLE_BYTE_WRITES
    }

    private final ServerSocket listener;
    private final int target;
    private final Mode mode;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TricklingProxy(ServerSocket listener, int target, Mode mode) {
        this.listener = listener;
        this.target = target;
        this.mode = mode;
    }

    /** A proxy on a free 127.0.0.1 port forwarding to 127.0.0.1:{@code targetPort}. */
    public static TricklingProxy start(int targetPort, Mode mode) throws IOException {
        TricklingProxy p = new TricklingProxy(RawPeers.listen(), targetPort, mode);
        Thread.ofVirtual().start(p::acceptLoop);
        return p;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = RawPeers.connect(target);
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().start(() -> io(() -> pump(server.getInputStream(), client.getOutputStream(),
                        client, server), client, server));
                Thread.ofVirtual().start(() -> io(() -> {
                    InputStream in = client.getInputStream();
                    OutputStream out = server.getOutputStream();
                    if (mode == Mode.TINY_RECORDS) {
                        byte[] header = in.readNBytes(5);
                        int len = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                        byte[] payload = in.readNBytes(len);
                        for (byte b : payload) {
                            out.write(RawPeers.record(header[0], ((header[1] & 0xff) << 8) | (header[2] & 0xff),
                                    new byte[] {b}));
                            out.flush();
                        }
                    } else {
                        for (int i = 0, c; i < 4096 && (c = in.read()) >= 0; i++) {
                            out.write(c);
                            out.flush();
                        }
                    }
                    pump(in, out, client, server);
                }, client, server));
            } catch (IOException e) {
                return;
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action, Socket a, Socket b) {
        try {
            action.run();
        } catch (IOException ignored) {
            // one side went away
        } finally {
            closeQuietly(a);
            closeQuietly(b);
        }
    }

    private static void pump(InputStream in, OutputStream out, Socket a, Socket b) throws IOException {
        in.transferTo(out);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(TricklingProxy::closeQuietly);
    }
}
