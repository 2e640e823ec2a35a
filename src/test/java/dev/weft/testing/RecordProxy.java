package dev.weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a server that reads the TLS records passing each way and writes each one on whole, noting
 * its content type and length, in the order it forwarded them (one sequence over both directions, so a record sent
 * in answer to another comes after it). One {@link Connection} per accepted client, in the order accepted.
 */
public final class RecordProxy implements AutoCloseable {
    /** One record: which way, its content type, its length (the header's, without the 5 header bytes). */
    public record Rec(long seq, boolean fromClient, int type, int length) {
    }

    /** The records of one proxied connection. */
    public static final class Connection {
        private final List<Rec> records = new CopyOnWriteArrayList<>();
        private volatile boolean done;

        /** {@return the records forwarded so far, in order} */
        public List<Rec> records() {
            return List.copyOf(records);
        }

        /** {@return whether both directions have ended} */
        public boolean done() {
            return done;
        }
    }

    private final ServerSocket listener;
    private final int target;
    private final AtomicLong seq = new AtomicLong();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private RecordProxy(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
    }

    /** A proxy on a free 127.0.0.1 port forwarding to 127.0.0.1:{@code targetPort}. */
    public static RecordProxy start(int targetPort) throws IOException {
        RecordProxy p = new RecordProxy(RawPeers.listen(), targetPort);
        Thread.ofVirtual().start(p::acceptLoop);
        return p;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@return the connections accepted so far, in order} */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = RawPeers.connect(target);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Connection c = new Connection();
                connections.add(c);
                int[] ended = {0};
                Runnable end = () -> {
                    synchronized (ended) {
                        if (++ended[0] == 2) {
                            c.done = true;
                        }
                    }
                };
                Thread.ofVirtual().start(() -> pump(client, server, true, c, end));
                Thread.ofVirtual().start(() -> pump(server, client, false, c, end));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient, Connection c, Runnable end) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                byte[] header = in.readNBytes(5);
                if (header.length < 5) {
                    break;
                }
                int len = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                byte[] body = in.readNBytes(len);
                // noted before it is forwarded: whoever reacts to it comes later in the sequence
                c.records.add(new Rec(seq.incrementAndGet(), fromClient, header[0] & 0xff, len));
                byte[] whole = new byte[5 + body.length];
                System.arraycopy(header, 0, whole, 0, 5);
                System.arraycopy(body, 0, whole, 5, body.length);
                out.write(whole);
                out.flush();
                if (body.length < len) {
                    break;
                }
            }
            to.shutdownOutput();
        } catch (IOException ignored) {
            // one side went away
        } finally {
            end.run();
        }
    }

    /** {@return the lengths of {@code records}} */
    public static List<Integer> lengths(List<Rec> records) {
        List<Integer> out = new ArrayList<>();
        records.forEach(r -> out.add(r.length()));
        return out;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
