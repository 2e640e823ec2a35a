package dev.weft.bench;

import dev.weft.tls.ClientOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsSession;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run's client side, shared by its workers: how to connect, the echo deadlines, the failures, and what the
 * connections negotiated.
 */
final class Client {
    final BenchSettings settings;
    final Failures failures = new Failures();
    final Reaper reaper;
    private final Set<String> negotiated = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> serverKey = new AtomicReference<>();

    Client(BenchSettings settings, Reaper reaper) {
        this.settings = settings;
        this.reaper = reaper;
    }

    /** Client options with a new secure context (so an empty session cache), as Node's tls.connect makes. */
    ClientOptions fresh() throws TlsException {
        return builder().secureContext(Tls.createSecureContext(settings.context())).build();
    }

    /** Client options resuming {@code session}, which brings its own secure context. */
    ClientOptions resuming(TlsSession session) {
        return builder().session(session).build();
    }

    private ClientOptions.Builder builder() {
        return ClientOptions.builder().provider(settings.provider()).rejectUnauthorized(!settings.insecure())
                .servername(settings.servername()).alpnProtocols(settings.alpn().toArray(String[]::new))
                .handshakeTimeout(settings.timeout());
    }

    TlsSocket connect(ClientOptions options) throws TlsException {
        TlsSocket s = Tls.connect(settings.port(), settings.host(), options);
        if (serverKey.get() == null && !s.peerCertificateChain().isEmpty()) {
            serverKey.compareAndSet(null, s.peerCertificateChain().getFirst().getPublicKey().getAlgorithm());
        }
        return s;
    }

    void noteNegotiated(TlsSocket s) {
        negotiated.add(s.cipher().standardName() + " " + s.protocol()); // as the Go harness writes it
    }

    /** The suites and versions seen, sorted. */
    List<String> negotiated() {
        return negotiated.stream().sorted().toList();
    }

    /** The server certificate's key algorithm, or null when no connection got one. */
    String serverKey() {
        return serverKey.get();
    }

    /** Opens {@code n} connections for throughput, latency or rate (with one echo each); none open when one fails. */
    List<TlsSocket> openAll(int n) throws InterruptedException {
        List<TlsSocket> open = new ArrayList<>();
        byte[] message = message(settings.msg());
        byte[] buf = new byte[message.length];
        try {
            ClientOptions options = fresh();
            for (int i = 0; i < n; i++) {
                TlsSocket s = connect(options);
                open.add(s);
                reaper.echo(s, message, buf);
                noteNegotiated(s);
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
            closeAll(open);
            open.clear();
        }
        return open;
    }

    /** Closes every socket (close_notify), in parallel so a slow peer costs one close's bound, not n. */
    static void closeAll(List<TlsSocket> sockets) throws InterruptedException {
        List<Thread> closing = new ArrayList<>();
        synchronized (sockets) {
            for (TlsSocket s : sockets) {
                closing.add(Thread.ofVirtual().start(s::close));
            }
        }
        for (Thread t : closing) {
            t.join();
        }
    }

    static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The Go harness's message: a palindrome of {@code n} bytes ending in a newline, so a line-reversing echo
     * ({@code openssl s_server -rev}) sends the same bytes back.
     */
    static byte[] message(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n - 1; i++) {
            b[i] = (byte) ('a' + Math.min(i, n - 2 - i) % 26);
        }
        b[n - 1] = '\n';
        return b;
    }
}
