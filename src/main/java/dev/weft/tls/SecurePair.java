package dev.weft.tls;

import dev.weft.tls.internal.engine.ArrayOutputStream;
import dev.weft.tls.internal.engine.EngineSocket;
import dev.weft.tls.internal.engine.Pipe;
import dev.weft.tls.internal.engine.PipeConnection;
import dev.weft.tls.internal.errors.Errors;
import dev.weft.tls.internal.handshake.HandshakeScope;
import dev.weft.tls.internal.streams.CleartextStreams;
import dev.weft.tls.internal.trust.Verifier;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS over any pair of byte streams, with no socket: Node's {@code tls.createSecurePair()}. The application reads
 * and writes {@link #cleartext()}; whatever carries the connection (a socket, a pipe, a message queue) moves bytes
 * between {@link #encrypted()} and the peer: everything read from {@code encrypted().input()} goes to the peer,
 * everything the peer sends is written to {@code encrypted().output()}.
 *
 * <pre>{@code
 * SecurePair pair = Tls.createSecurePair(context, false, false, true);
 * Thread.ofVirtual().start(() -> pair.encrypted().input().transferTo(transportOut));
 * Thread.ofVirtual().start(() -> transportIn.transferTo(pair.encrypted().output()));
 * pair.awaitSecure(Duration.ofSeconds(10));          // Node's 'secure' event
 * pair.cleartext().output().write("hello".getBytes());
 * }</pre>
 *
 * <p>Contract: one {@code SSLEngine}, driven by the same code that drives weft's sockets (its
 * {@code EngineSocket}) over two bounded in-memory pipes instead of a connection. A virtual thread of the pair's
 * own starts the handshake at once (and the certificate check, with weft's verification and Node's codes); after
 * it, the thread that reads the cleartext unwraps and the thread that writes it wraps, as on a socket. The four
 * streams block: a read waits for bytes; a write waits while the pipes are full, so a writer that gets ahead of the
 * transport, or of the reader at the other end, is held back rather than buffered without bound. Cleartext written
 * before the handshake finishes waits in a bounded buffer and is sent once it has. Each stream may be used by its
 * own thread; one thread per direction is needed in general (as with sockets). {@code flush()} on the cleartext
 * output waits until what was written is encrypted and ready for the transport.
 * Closing the cleartext output sends close_notify, after which the encrypted input ends (-1) once drained;
 * closing the encrypted output tells the pair the transport ended. A close_notify from the peer ends the
 * cleartext input. A transport that ends in the middle of a record, or before the handshake finished, fails the
 * cleartext streams with {@code ERR_WEFT_TLS_TRUNCATED} or {@code ECONNRESET}; it never hangs them.
 * {@link #close()} sends close_notify and stops the pair.
 *
 * <p>Differences from Node: the pair starts its handshake at once (a v20 client-mode pair waits for an internal
 * {@code _start()}); {@code 'secure'} is {@link #awaitSecure(Duration)}; {@link #authorized()} reports the
 * verification of the peer, where v20's {@code pair.cleartext.authorized} stays {@code false}; there is no
 * server-identity check, since a pair has no host name (as in Node); a transport ending without close_notify at a
 * record boundary after the handshake ends the cleartext input quietly, as Node's stream does.
 */
public final class SecurePair implements Closeable {
    /**
     * A byte stream in each direction.
     *
     * @param input what the peer sends
     * @param output what goes to the peer
     */
    public record Duplex(InputStream input, OutputStream output) {
    }

    /** Bytes each pipe holds, and cleartext held back until the handshake finishes. */
    private static final int BUFFER = 64 * 1024;
    private static final String PEER = "SecurePair transport";

    private final SecureContext context;
    private final JsseProvider provider;
    private final boolean server;
    private final boolean verifyPeer;
    private final boolean reject;
    private final Pipe fromPeer = new Pipe(BUFFER);
    private final Pipe toPeer = new Pipe(BUFFER);
    private final EngineSocket socket;
    private final Duplex cleartext;
    private final Duplex encrypted;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean secure;
    private TlsException failure;
    private Verifier.Result verification;
    private List<X509Certificate> peerChain = List.of();

    SecurePair(SSLEngine engine, SecureContext context, JsseProvider provider, boolean server, boolean requestCert,
            boolean rejectUnauthorized) {
        this.context = context;
        this.provider = provider;
        this.server = server;
        this.verifyPeer = !server || requestCert;
        this.reject = rejectUnauthorized;
        try {
            PipeConnection transport = new PipeConnection(fromPeer, toPeer, PEER);
            socket = server ? EngineSocket.server(transport, engine, new byte[0], null)
                    : EngineSocket.client(transport, engine);
            socket.handshakeWith(s -> handshake());
            cleartext = new Duplex(new CleartextInput(CleartextStreams.input(socket.getInputStream(), socket,
                    () -> { }, () -> { })), new CleartextOutput(socket.getOutputStream()));
        } catch (IOException e) {
            throw new IllegalStateException("a pipe connection cannot fail to open", e);
        }
        this.encrypted = new Duplex(toPeer.source(), fromPeer.sink());
    }

    /** Starts the handshake at once, on a virtual thread of the pair's own. */
    SecurePair start() {
        Thread.ofVirtual().name("weft-securepair-" + (server ? "server" : "client")).start(() -> {
            try {
                socket.startHandshake();
                ((CleartextOutput) cleartext.output()).afterHandshake();
            } catch (IOException e) {
                // recorded by handshake(): awaitSecure and the cleartext streams report it
            }
        });
        return this;
    }

    /** {@return the application's side: cleartext to and from the peer} */
    public Duplex cleartext() {
        return cleartext;
    }

    /** {@return the transport's side: encrypted bytes for the peer ({@code input}) and from it ({@code output})} */
    public Duplex encrypted() {
        return encrypted;
    }

    /**
     * Waits for the handshake to finish: Node's {@code 'secure'} event. Returns false when {@code timeout} passes
     * first.
     *
     * @param timeout how long to wait
     * @return true when the handshake finished, false when {@code timeout} passed first
     * @throws TlsException the handshake failed: a certificate code (with {@code rejectUnauthorized}),
     *                      {@code ERR_WEFT_HANDSHAKE_FAILURE}, {@code ECONNRESET} (the transport ended), ...
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitSecure(Duration timeout) throws TlsException, InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!secure && failure == null) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            if (!secure) {
                throw failure;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether the handshake has finished} */
    public boolean isSecure() {
        lock.lock();
        try {
            return secure;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@return whether the peer's certificate verified (a client pair: always checked; a server pair: with
     * {@code requestCert})} False before the handshake finishes.
     */
    public boolean authorized() {
        Verifier.Result v = result();
        return verifyPeer && v != null && v.authorized();
    }

    /**
     * {@return why the peer is not {@link #authorized()}: a code such as {@code DEPTH_ZERO_SELF_SIGNED_CERT}, or null}
     */
    public String authorizationError() {
        Verifier.Result v = result();
        return verifyPeer && v != null ? v.code() : null;
    }

    /** {@return the peer's certificate as Node's {@code getPeerCertificate()} describes it; empty when it sent none} */
    public Optional<PeerCertificate> peerCertificate() {
        lock.lock();
        try {
            return peerChain.isEmpty() ? Optional.empty() : Optional.of(PeerCertificate.of(peerChain.getFirst()));
        } finally {
            lock.unlock();
        }
    }

    /** {@return the negotiated protocol ({@code TLSv1.3}); null before the handshake finishes} */
    public String protocol() {
        return isSecure() ? socket.getSession().getProtocol() : null;
    }

    /** {@return whether this is the server end} */
    public boolean isServer() {
        return server;
    }

    /** {@return the provider running this pair} */
    public JsseProvider provider() {
        return provider;
    }

    private Verifier.Result result() {
        lock.lock();
        try {
            return secure ? verification : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends close_notify (once what was written is encrypted) and stops the pair: the encrypted input drains and
     * ends, the cleartext input ends when the peer answers. Node's {@code pair.destroy()}, but graceful.
     */
    @Override
    public void close() {
        try {
            cleartext.output().close();
        } catch (IOException e) {
            // the pair failed already: nothing more to send
        }
    }

    /** Stops at once, without close_notify; blocked reads and writes fail with {@code EPIPE}. */
    public void destroy() {
        TlsException why = new TlsException(ErrorCode.EPIPE, "the SecurePair was destroyed");
        fail(why);
        fromPeer.fail(why);
        toPeer.fail(why);
        try {
            socket.close();
        } catch (IOException ignored) {
            // the pipes are failed already
        }
    }

    @Override
    public String toString() {
        return "SecurePair[" + (server ? "server" : "client") + ", " + provider.cliName() + "]";
    }

    // ---- the handshake, run once by the socket for whichever thread needs it first

    private void handshake() throws IOException {
        HandshakeScope scope = new HandshakeScope(reject);
        try {
            scope.run(() -> {
                socket.startHandshake();
                return null;
            });
        } catch (Exception e) {
            TlsException t = e instanceof TlsException te ? te : Errors.handshakeFailure(e, scope.result(), PEER,
                    socket);
            fail(t);
            throw t;
        }
        List<X509Certificate> chain = chain();
        Verifier.Result result = scope.result();
        if (verifyPeer && result == null) {
            // the trust manager did not run: a resumed session, or a client that sent no certificate
            result = context.verifier().verify(chain, server ? Verifier.Purpose.CLIENT : Verifier.Purpose.SERVER,
                    new Date());
        }
        if (verifyPeer && reject && !result.authorized()) {
            boolean noCertificate = server && chain.isEmpty();
            TlsException t = noCertificate ? new TlsException(ErrorCode.PEER_DID_NOT_RETURN_A_CERTIFICATE,
                    "peer did not return a certificate") : new TlsException(result.code(), result.message());
            fail(t);
            throw t;
        }
        lock.lock();
        try {
            peerChain = chain;
            verification = result;
            secure = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private List<X509Certificate> chain() {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : socket.getSession().getPeerCertificates()) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** Records the first failure and wakes everyone waiting on the pair. */
    private void fail(TlsException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        toPeer.closeSink(); // nothing more will be produced: the encrypted input ends once drained
    }

    private TlsException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    // ---- the cleartext streams

    /** The socket's cleartext input, failing with the pair's failure and with a code for a cut-off record. */
    private final class CleartextInput extends InputStream {
        private final InputStream in;

        CleartextInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                TlsException why = failure();
                throw why != null ? why : e;
            }
            if (n < 0 && socket.endedMidRecord()) {
                throw new TlsException(ErrorCode.TRUNCATED, "the transport ended in the middle of a TLS record");
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }

    /**
     * The socket's cleartext output; what is written before the handshake finishes waits (up to {@value #BUFFER}
     * bytes) and goes first once it has.
     */
    private final class CleartextOutput extends ArrayOutputStream {
        private final OutputStream out;
        private final ReentrantLock order = new ReentrantLock(); // writes leave in the order they were made
        private final ByteArrayOutputStream early = new ByteArrayOutputStream();
        private boolean ended;

        CleartextOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        protected void writeArray(byte[] b, int off, int len) throws IOException {
            order.lock();
            try {
                if (ended) {
                    throw new TlsException(ErrorCode.EPIPE, "write after end");
                }
                if (!isSecure() && failure() == null && early.size() + len <= BUFFER) {
                    early.write(b, off, len); // sent once the handshake finishes
                    return;
                }
                sendEarly();
                send(b, off, len);
            } finally {
                order.unlock();
            }
        }

        /** Waits for the handshake, then sends what was written before it; under {@link #order}. */
        private void sendEarly() throws IOException {
            lock.lock();
            try {
                while (!secure && failure == null) {
                    changed.await();
                }
                if (failure != null) {
                    throw failure;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the SecurePair's handshake");
            } finally {
                lock.unlock();
            }
            if (early.size() > 0) {
                byte[] held = early.toByteArray();
                early.reset();
                send(held, 0, held.length);
            }
        }

        /** Sends what was written before the handshake, once it has finished (the pair's thread calls this). */
        void afterHandshake() throws IOException {
            order.lock();
            try {
                sendEarly();
            } finally {
                order.unlock();
            }
        }

        private void send(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                TlsException why = failure();
                throw why != null ? why : e instanceof SocketException ? new TlsException(ErrorCode.EPIPE,
                        "the SecurePair has stopped: " + e.getMessage(), e) : e;
            }
        }

        /** Waits until everything written is encrypted and handed to the transport's pipe. */
        @Override
        public void flush() throws IOException {
            afterHandshake();
        }

        /** Sends what is held back, then close_notify; the peer's side of the pair reads the end. */
        @Override
        public void close() throws IOException {
            order.lock();
            try {
                if (ended) {
                    return;
                }
                ended = true;
                sendEarly();
                socket.shutdownOutput();
            } finally {
                order.unlock();
            }
        }
    }
}
