package dev.weft.tls;

import dev.weft.tls.internal.ErrorCodes;
import dev.weft.tls.internal.Errors;
import dev.weft.tls.internal.HandshakeScope;
import dev.weft.tls.internal.trust.Verifier;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
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
 * <p>Contract: one {@code SSLEngine}, driven by one virtual thread of the pair's own, which runs the handshake
 * (and the certificate check, with weft's verification and Node's codes), wraps and unwraps. The four streams
 * block: a read waits for bytes; a write waits while the pair's bounded buffers are full, so a writer that gets
 * ahead of the transport, or of the reader at the other end, is held back rather than buffered without bound.
 * Each stream may be used by its own thread; one thread per direction is needed in general (as with sockets).
 * {@code flush()} on the cleartext output waits until what was written is encrypted and ready for the transport.
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

    private static final int MIN_BUFFER = 64 * 1024;

    private final SSLEngine engine;
    private final SecureContext context;
    private final JsseProvider provider;
    private final boolean server;
    private final boolean verifyPeer;
    private final boolean reject;
    private final HandshakeScope scope;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // engine input: encrypted bytes from the transport (write mode)
    private final ByteBuffer netIn;
    // engine output: encrypted bytes for the transport (read mode between operations)
    private final ByteBuffer netOut;
    // cleartext from the peer (read mode between operations)
    private final ByteBuffer appIn;
    // cleartext for the peer (write mode)
    private final ByteBuffer appOut;
    private final int packetSize;
    private final int appSize;

    private boolean transportEnded;      // encrypted().output() closed
    private boolean cleartextEnded;      // cleartext().output() closed: close_notify wanted
    private boolean inboundDone;         // close_notify received (or the transport ended quietly)
    private boolean outboundDone;        // close_notify sent and drained into netOut
    private boolean secure;
    private boolean stopped;
    private TlsException failure;
    private Verifier.Result verification;
    private List<X509Certificate> peerChain = List.of();

    private final Duplex cleartext;
    private final Duplex encrypted;

    SecurePair(SSLEngine engine, SecureContext context, JsseProvider provider, boolean server, boolean requestCert,
            boolean rejectUnauthorized) {
        this.engine = engine;
        this.context = context;
        this.provider = provider;
        this.server = server;
        this.verifyPeer = !server || requestCert;
        this.reject = rejectUnauthorized;
        this.scope = new HandshakeScope(rejectUnauthorized);
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.appSize = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(MIN_BUFFER, 2 * packetSize));
        this.netOut = ByteBuffer.allocate(Math.max(MIN_BUFFER, 2 * packetSize)).flip();
        this.appIn = ByteBuffer.allocate(Math.max(MIN_BUFFER, 2 * appSize)).flip();
        this.appOut = ByteBuffer.allocate(Math.max(MIN_BUFFER, 2 * appSize));
        this.cleartext = new Duplex(new Reader(appIn, true), new Writer(appOut, true));
        this.encrypted = new Duplex(new Reader(netOut, false), new Writer(netIn, false));
    }

    /** Starts the pair's engine thread; the handshake begins at once. */
    SecurePair start() {
        Thread.ofVirtual().name("weft-securepair-" + (server ? "server" : "client")).start(this::drive);
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
        return isSecure() ? engine.getSession().getProtocol() : null;
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
     * ends, the cleartext input ends. Node's {@code pair.destroy()}, but graceful.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            cleartextEnded = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops at once, without close_notify; blocked reads and writes fail with {@code EPIPE}. */
    public void destroy() {
        lock.lock();
        try {
            fail(new TlsException(ErrorCodes.EPIPE, "the SecurePair was destroyed"));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SecurePair[" + (server ? "server" : "client") + ", " + provider.cliName() + "]";
    }

    // ---- the engine thread ----

    private void drive() {
        try {
            scope.run(() -> {
                lock.lock();
                try {
                    engine.beginHandshake();
                    while (!stopped) {
                        if (!step()) {
                            if (finished()) {
                                break;
                            }
                            changed.await();
                        }
                    }
                } catch (SSLException e) {
                    onEngineFailure(e);
                } catch (RuntimeException e) {
                    onEngineFailure(new SSLException(e));
                } finally {
                    stopped = true;
                    changed.signalAll();
                    lock.unlock();
                }
                return null;
            });
        } catch (Exception e) {
            lock.lock();
            try {
                fail(new TlsException(ErrorCodes.TLS_PROTOCOL, "SecurePair engine thread failed: " + e, e));
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether there is nothing more the engine can ever do. */
    private boolean finished() {
        return failure != null || (outboundDone && inboundDone);
    }

    /** One round of work under the lock; true when something moved. */
    private boolean step() throws SSLException {
        boolean progress = false;
        HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == HandshakeStatus.NEED_TASK) {
            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                task.run(); // on this thread: inside the handshake scope, where the trust manager records
            }
            return true;
        }
        // wrap: handshake messages, cleartext, close_notify
        boolean wantWrap = hs == HandshakeStatus.NEED_WRAP
                || (secure && appOut.position() > 0)
                || (cleartextEnded && appOut.position() == 0 && !engine.isOutboundDone());
        if (wantWrap && !outboundDone && netOutSpace() >= packetSize) {
            if (cleartextEnded && appOut.position() == 0 && hs != HandshakeStatus.NEED_WRAP) {
                engine.closeOutbound();
            }
            appOut.flip();
            netOut.compact();
            SSLEngineResult r;
            try {
                r = engine.wrap(secure ? appOut : ByteBuffer.allocate(0), netOut);
            } finally {
                netOut.flip();
                appOut.compact();
            }
            progress |= r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || engine.isOutboundDone()) {
                if (engine.isOutboundDone()) {
                    outboundDone = true;
                    progress = true;
                }
            }
            onHandshakeStatus(r.getHandshakeStatus());
        }
        // unwrap: what the transport delivered
        if (netIn.position() > 0 && !inboundDone && appInSpace() >= appSize) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            progress |= r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                inboundDone = true;
                progress = true;
            }
            onHandshakeStatus(r.getHandshakeStatus());
        }
        if (!progress && transportEnded && !inboundDone && appInSpace() >= appSize
                && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
            // Nothing more will arrive, and what is buffered is not a whole record.
            if (netIn.position() > 0) {
                fail(new TlsException(ErrorCodes.TRUNCATED, "the transport ended in the middle of a TLS record ("
                        + netIn.position() + " byte(s) of it)"));
            } else if (!secure) {
                fail(Errors.disconnected("SecurePair transport", null));
            } else {
                inboundDone = true; // ended without close_notify between records: the cleartext input ends
                try {
                    engine.closeInbound();
                } catch (SSLException ignored) {
                    // "without close_notify": expected here
                }
            }
            progress = true;
        }
        if (!secure && !engine.isInboundDone() && hs != HandshakeStatus.NOT_HANDSHAKING
                && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
            onHandshakeStatus(HandshakeStatus.FINISHED);
        }
        if (progress) {
            changed.signalAll();
        }
        return progress;
    }

    private int netOutSpace() {
        return netOut.capacity() - netOut.remaining();
    }

    private int appInSpace() {
        return appIn.capacity() - appIn.remaining();
    }

    private void onHandshakeStatus(HandshakeStatus hs) throws SSLException {
        if (secure || hs != HandshakeStatus.FINISHED) {
            return;
        }
        List<X509Certificate> chain = chain();
        Verifier.Result result = scope.result();
        if (verifyPeer && result == null) {
            // the trust manager did not run: a resumed session, or a client that sent no certificate
            result = context.verifier().verify(chain, server ? Verifier.Purpose.CLIENT : Verifier.Purpose.SERVER,
                    new Date());
        }
        peerChain = chain;
        verification = result;
        if (verifyPeer && reject && !result.authorized()) {
            boolean noCertificate = server && chain.isEmpty();
            fail(noCertificate ? new TlsException(ErrorCodes.PEER_DID_NOT_RETURN_A_CERTIFICATE,
                    "peer did not return a certificate") : new TlsException(result.code(), result.message()));
            return;
        }
        secure = true;
        changed.signalAll();
    }

    private List<X509Certificate> chain() {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : engine.getSession().getPeerCertificates()) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private void onEngineFailure(SSLException e) {
        TlsException t = secure
                ? new TlsException(ErrorCodes.TLS_PROTOCOL, "TLS failure in SecurePair: " + e.getMessage(), e)
                : Errors.handshakeFailure(e, scope.result(), "SecurePair peer");
        // Let the engine put its alert on the wire before giving up.
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone() && netOutSpace() >= packetSize; i++) {
                netOut.compact();
                try {
                    if (engine.wrap(ByteBuffer.allocate(0), netOut).bytesProduced() == 0) {
                        break;
                    }
                } finally {
                    netOut.flip();
                }
            }
        } catch (SSLException | RuntimeException ignored) {
            // no alert then
        }
        fail(t);
    }

    /** Records the first failure and wakes everyone; the caller holds the lock. */
    private void fail(TlsException e) {
        if (failure == null) {
            failure = e;
        }
        stopped = true;
        outboundDone = true; // nothing more will be produced: the encrypted input ends once drained
        changed.signalAll();
    }

    // ---- the streams ----

    /** Reads from a buffer in read mode; the cleartext reader fails with the pair's failure. */
    private final class Reader extends InputStream {
        private final ByteBuffer buffer;
        private final boolean isCleartext;

        Reader(ByteBuffer buffer, boolean isCleartext) {
            this.buffer = buffer;
            this.isCleartext = isCleartext;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                while (!buffer.hasRemaining()) {
                    if (isCleartext) {
                        if (failure != null) {
                            throw failure;
                        }
                        if (inboundDone || stopped) {
                            return -1;
                        }
                    } else if (outboundDone || stopped) {
                        return -1;
                    }
                    await();
                }
                int n = Math.min(len, buffer.remaining());
                buffer.get(b, off, n);
                changed.signalAll();
                return n;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return buffer.remaining();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writes into a buffer in write mode, blocking while it is full (back-pressure). */
    private final class Writer extends OutputStream {
        private final ByteBuffer buffer;
        private final boolean isCleartext;

        Writer(ByteBuffer buffer, boolean isCleartext) {
            this.buffer = buffer;
            this.isCleartext = isCleartext;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            lock.lock();
            try {
                while (len > 0) {
                    checkWritable();
                    if (!buffer.hasRemaining()) {
                        await();
                        continue;
                    }
                    int n = Math.min(len, buffer.remaining());
                    buffer.put(b, off, n);
                    off += n;
                    len -= n;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        private void checkWritable() throws TlsException {
            if (failure != null) {
                throw isCleartext ? failure : new TlsException(ErrorCodes.EPIPE, "the SecurePair has stopped: "
                        + failure.getMessage(), failure);
            }
            if (isCleartext ? cleartextEnded || outboundDone : transportEnded) {
                throw new TlsException(ErrorCodes.EPIPE, "write after end");
            }
            if (stopped) {
                throw new TlsException(ErrorCodes.EPIPE, "the SecurePair has stopped");
            }
        }

        /** The cleartext side waits until everything written is encrypted; the encrypted side returns. */
        @Override
        public void flush() throws IOException {
            if (!isCleartext) {
                return;
            }
            lock.lock();
            try {
                while (buffer.position() > 0) {
                    checkWritable();
                    await();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            lock.lock();
            try {
                if (isCleartext) {
                    cleartextEnded = true;
                } else {
                    transportEnded = true;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits for a change; the caller holds the lock. */
    private void await() throws IOException {
        try {
            changed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting on a SecurePair");
        }
    }
}
