package dev.weft.tls.internal.engine;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * weft's own {@link SSLSocket}: any provider's {@link SSLEngine} driven over a connected socket by the thread that
 * reads or writes, one path for SunJSSE, Bouncy Castle and Conscrypt.
 *
 * <p>Reading takes as many TLS records as the kernel holds in one call and decrypts them straight into the
 * caller's array when it is large enough; writing wraps a large write into many records and sends them in one
 * call. The arrays for this come from a pool and go back before the socket waits for its peer: an idle connection
 * holds a five-byte array and the engine's own state. A server's socket starts from the bytes weft already read
 * (the ClientHello it chose the context by), so nothing is replayed through another socket. As a server it
 * watches the client's record headers and refuses a TLS 1.2 renegotiation on every provider.
 *
 * <p>Threading: one thread may read while another writes (the engine's wrap and unwrap may run at once); the
 * handshake runs on the thread that starts it, delegated tasks inline. {@link #close()} from any thread sends
 * close_notify when no write is under way and closes the connection, releasing blocked reads and writes.
 * {@link #shutdownOutput()} sends close_notify and keeps reading (a TLS half-close) where the engine goes on
 * unwrapping after {@code closeOutbound()} (SunJSSE's; see {@code ProviderSupport.canHalfClose()}).
 */
public final class EngineSocket extends SSLSocket implements Wire {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** The most plaintext a record this socket sends carries (setMaxSendFragment). */
    private volatile int maxSendFragment = 16384;
    /** {@link #unwrapInto}'s answer when the caller's array was too small for the engine. */
    private static final int UNWRAP_AGAIN_INTO_PLAIN = Integer.MIN_VALUE;
    private static final int HEADER = 5;
    private static final AtomicIntegerFieldUpdater<EngineSocket> STREAMING =
            AtomicIntegerFieldUpdater.newUpdater(EngineSocket.class, "streaming");

    private final Socket raw;
    private SSLEngine engine; // replaced only before the handshake, under the handshake lock (adopt)
    private final boolean server;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock handshakeLock = new ReentrantLock();
    private final RecordWatch records = new RecordWatch();
    private final PeerHandshake peerHandshake; // what the group and signature schemes were, as the peer sent them
    private final List<HandshakeCompletedListener> listeners = new CopyOnWriteArrayList<>();

    // inbound, guarded by readLock: received bytes not yet unwrapped, and decrypted bytes not yet read
    private byte[] prefill;
    private byte[] in;
    private int inStart;
    private int inEnd;
    private final byte[] header = new byte[HEADER];
    private boolean lastReadFilled;
    private int readSinceTurn; // bytes read since this connection's last turn (Turns)
    private ByteBuffer plain;
    private boolean inboundDone;

    private final byte[] first = new byte[HEADER];
    private volatile int firstCount;
    private volatile Runnable beforeWaiting;
    private volatile boolean peerEnded;
    private volatile TlsException failure;
    private volatile boolean handshaken;
    private volatile HandshakePolicy policy;
    private volatile boolean ready; // the handshake and what the policy does after it are done
    private boolean inPolicy;
    private IOException policyFailure;
    private volatile boolean autoClose = true;
    private volatile boolean closed;
    private volatile boolean outboundDone;
    private volatile boolean truncated;
    private volatile boolean endedMidRecord;
    private int writtenSinceTurn; // guarded by writeLock
    private volatile int streaming; // 1 while counted in Turns
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    private EngineSocket(Socket raw, SSLEngine engine, boolean server, byte[] prefill) throws IOException {
        this.raw = raw;
        this.engine = engine;
        this.server = server;
        this.rawIn = raw.getInputStream();
        this.rawOut = raw.getOutputStream();
        this.prefill = prefill.length == 0 ? null : prefill.clone();
        this.peerHandshake = new PeerHandshake(server);
        peerHandshake.observe(prefill, 0, prefill.length);
    }

    @Override
    public int keyExchangeGroup() {
        return peerHandshake.group();
    }

    @Override
    public int[] peerSignatureSchemes() {
        return peerHandshake.peerSchemes();
    }

    /** A client over the connected {@code raw}; closing it closes {@code raw}. */
    public static EngineSocket client(Socket raw, SSLEngine engine) throws IOException {
        engine.setUseClientMode(true);
        return new EngineSocket(raw, engine, false, new byte[0]);
    }

    /**
     * A server over the connected {@code raw}, whose first bytes weft has read already ({@code consumed}, the
     * ClientHello); {@code beforeWaiting} runs once, when those are used up and the handshake first waits for the
     * client (the handshake gate's permit goes back then). Closing it closes {@code raw}.
     */
    public static EngineSocket server(Socket raw, SSLEngine engine, byte[] consumed, Runnable beforeWaiting)
            throws IOException {
        engine.setUseClientMode(false);
        EngineSocket s = new EngineSocket(raw, engine, true, consumed);
        s.beforeWaiting = beforeWaiting;
        return s;
    }

    /**
     * Caps the plaintext of each record this socket sends at {@code size} bytes (OpenSSL's
     * {@code SSL_set_max_send_fragment}); 16384, a whole record, by default.
     */
    public void setMaxSendFragment(int size) {
        maxSendFragment = size;
    }

    /** {@return the engine this socket drives} */
    public SSLEngine engine() {
        return engine;
    }

    // ---- the handshake

    /**
     * Hands the handshake to {@code policy}: the first {@link #startHandshake()} (explicit, or the first read or
     * write) runs {@link HandshakePolicy#handshake} once, which runs the engine's handshake by calling
     * {@link #startHandshake()} again and may then refuse the peer; reads and writes wait until it is done, and a
     * refusal fails them all. For sockets handed to code that drives {@link SSLSocket} itself.
     */
    public void handshakeWith(HandshakePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Whether closing this socket closes the connection underneath (true unless set otherwise). */
    public void autoClose(boolean autoClose) {
        this.autoClose = autoClose;
    }

    /** {@return whether closing this socket closes the connection underneath (see {@link #closeLingering})} */
    public boolean closesConnection() {
        return autoClose;
    }

    /**
     * Before the handshake, replaces the engine with {@code replacement} (a server's engine for the context the
     * ClientHello chose) keeping what the application set on this socket (client authentication, ALPN), and
     * gives it the bytes already read from the client ({@code consumed}). Only from a {@link HandshakePolicy}.
     */
    public void adopt(SSLEngine replacement, byte[] consumed, Runnable beforeWaiting) {
        if (!handshakeLock.isHeldByCurrentThread() || handshaken) {
            throw new IllegalStateException("an engine is adopted only by the handshake policy, before the handshake");
        }
        if (replacement != engine) {
            SSLParameters set = engine.getSSLParameters();
            if (set.getNeedClientAuth()) {
                replacement.setNeedClientAuth(true);
            } else if (set.getWantClientAuth()) {
                replacement.setWantClientAuth(true);
            }
            if (set.getApplicationProtocols().length > 0) {
                SSLParameters p = replacement.getSSLParameters();
                p.setApplicationProtocols(set.getApplicationProtocols());
                replacement.setSSLParameters(p);
            }
            if (engine.getHandshakeApplicationProtocolSelector() != null) {
                replacement.setHandshakeApplicationProtocolSelector(engine.getHandshakeApplicationProtocolSelector());
            }
            replacement.setUseClientMode(engine.getUseClientMode());
            engine = replacement;
        }
        readLock.lock();
        try {
            prefill = consumed.length == 0 ? null : consumed.clone();
        } finally {
            readLock.unlock();
        }
        this.beforeWaiting = beforeWaiting;
    }

    @Override
    public void startHandshake() throws IOException {
        if (ready) {
            return; // renegotiation is not offered
        }
        handshakeLock.lock();
        try {
            if (ready) {
                return;
            }
            if (policyFailure != null) {
                throw policyFailure;
            }
            HandshakePolicy p = policy;
            if (inPolicy) {
                engineHandshake(); // the policy's own call
                return;
            }
            if (p == null) {
                engineHandshake();
                ready = true;
            } else {
                runPolicy(p);
            }
        } finally {
            handshakeLock.unlock();
        }
        if (!listeners.isEmpty()) {
            HandshakeCompletedEvent event = new HandshakeCompletedEvent(this, engine.getSession());
            for (HandshakeCompletedListener l : listeners) {
                l.handshakeCompleted(event);
            }
        }
    }

    private void runPolicy(HandshakePolicy p) throws IOException {
        inPolicy = true;
        try {
            p.handshake(this);
            if (!handshaken) {
                throw new SSLException("the handshake policy did not run the handshake");
            }
            ready = true;
        } catch (IOException | RuntimeException e) {
            policyFailure = e instanceof IOException io ? io : new SSLException(e);
            closeQuietly(raw);
            throw e;
        } finally {
            inPolicy = false;
        }
    }

    /** The engine's handshake, under the handshake lock; once. */
    private void engineHandshake() throws IOException {
        if (handshaken) {
            return;
        }
        readLock.lock();
        writeLock.lock();
        try {
            if (handshaken) {
                return;
            }
            checkOpen();
            engine.beginHandshake();
            byte[] out = null;
            int outLen = 0;
            try {
                HandshakeStatus hs = engine.getHandshakeStatus();
                while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
                    switch (hs) {
                        case NEED_WRAP -> {
                            if (out == null) {
                                out = BufferPool.SHARED.borrowIn(); // a flight is a few KiB: the small size
                            }
                            ByteBuffer dst = ByteBuffer.wrap(out, outLen, out.length - outLen);
                            SSLEngineResult r = engine.wrap(EMPTY, dst);
                            outLen = dst.position();
                            hs = r.getHandshakeStatus();
                            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                                rawOut.write(out, 0, outLen); // a flight larger than the buffer: send a part
                                outLen = 0;
                            } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                                rawOut.write(out, 0, outLen); // an alert the engine decided to send
                                outLen = 0;
                                throw new SSLException("the TLS engine closed during the handshake");
                            }
                        }
                        case NEED_TASK -> {
                            runTasks();
                            hs = engine.getHandshakeStatus();
                        }
                        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                            if (outLen > 0) { // one flight, one write
                                rawOut.write(out, 0, outLen);
                                outLen = 0;
                            }
                            hs = unwrapHandshake();
                        }
                        default -> throw new SSLException("unexpected handshake status " + hs);
                    }
                }
                if (outLen > 0) {
                    rawOut.write(out, 0, outLen);
                }
            } catch (IOException | RuntimeException e) {
                if (outLen > 0) {
                    flushAlert(out, outLen);
                }
                if (e instanceof SSLException) {
                    sendPendingAlert(); // the engine's word on why (no_application_protocol, bad_certificate, ...)
                }
                throw e;
            } finally {
                if (out != null) {
                    BufferPool.SHARED.giveBack(out);
                }
                releaseInIfEmpty();
            }
            handshaken = true;
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    /**
     * After the engine failed, wraps and sends the alert it has for the peer, best effort: a JSSE engine that
     * throws from {@code unwrap} leaves its fatal alert to be taken with {@code wrap}. SunJSSE and Bouncy Castle
     * say so with NEED_WRAP; Conscrypt closes both directions and reports no handshake, but its outbound side is
     * not done while BoringSSL's alert waits in its buffer.
     */
    private void sendPendingAlert() {
        try {
            byte[] out = new byte[engine.getSession().getPacketBufferSize()];
            ByteBuffer dst = ByteBuffer.wrap(out);
            for (int i = 0; i < 4 && (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                    || !engine.isOutboundDone()); i++) {
                SSLEngineResult r = engine.wrap(EMPTY, dst);
                if (r.getStatus() != SSLEngineResult.Status.OK && r.getStatus() != SSLEngineResult.Status.CLOSED) {
                    break;
                }
                if (r.bytesProduced() == 0 || r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    break;
                }
            }
            if (dst.position() > 0) {
                rawOut.write(out, 0, dst.position());
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer learns nothing more; the failure is reported to the caller either way
        }
    }

    /** Sends what the engine wrapped before it failed (its alert), best effort. */
    private void flushAlert(byte[] out, int len) {
        try {
            rawOut.write(out, 0, len);
        } catch (IOException ignored) {
            // the peer is gone: nothing more to tell it
        }
    }

    private HandshakeStatus unwrapHandshake() throws IOException {
        while (true) {
            if (inEnd - inStart < HEADER || inEnd - inStart < recordLength()) {
                if (!readMore()) {
                    throw new EOFException("the peer closed the connection during the TLS handshake");
                }
                continue;
            }
            ByteBuffer src = ByteBuffer.wrap(in, inStart, inEnd - inStart);
            ByteBuffer dst = plainForUnwrap();
            SSLEngineResult r = engine.unwrap(src, dst);
            inStart = src.position();
            dst.flip();
            plain = dst; // data that came with the last handshake flight is kept for the first read
            releasePlainIfEmpty();
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    if (!readMore()) {
                        throw new EOFException("the peer closed the connection during the TLS handshake");
                    }
                }
                case BUFFER_OVERFLOW -> growPlain();
                case CLOSED -> throw new SSLException("the peer closed the TLS connection during the handshake");
                case OK -> {
                    return r.getHandshakeStatus();
                }
            }
        }
    }

    private void runTasks() {
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
            t.run();
        }
    }

    // ---- reading

    /** The length of the record at the head of what was received, header included; 0 when unknown yet. */
    private int recordLength() {
        if (inEnd - inStart < HEADER) {
            return 0;
        }
        return HEADER + (((in[inStart + 3] & 0xff) << 8) | (in[inStart + 4] & 0xff));
    }

    /**
     * Reads what the peer sent into the inbound array (borrowing it if needed): as much as the kernel holds, in one
     * call. An idle wait reads a record header into a five-byte array first, so no large array is held while the
     * peer says nothing. Returns false at the end of the peer's stream.
     */
    private boolean readMore() throws IOException {
        if (prefill != null) {
            ensureIn(prefill.length);
            System.arraycopy(prefill, 0, in, inEnd, prefill.length);
            inEnd += prefill.length;
            prefill = null;
            return true;
        }
        Runnable hook = beforeWaiting;
        if (hook != null) {
            beforeWaiting = null;
            hook.run(); // what weft read first is used up: from here the handshake waits for the peer
        }
        int n;
        if (in == null && !lastReadFilled) {
            streams(false);
            n = rawIn.read(header, 0, HEADER); // waits holding five bytes, not an inbound array
            if (n > 0) {
                observe(header, 0, n);
                ensureIn(n);
                System.arraycopy(header, 0, in, inEnd, n);
                inEnd += n;
                return true; // the caller reads the rest, as much as has arrived, into the array now borrowed
            }
        } else {
            ensureIn(1);
            n = readInto(in.length - inEnd);
            if (n > 0) {
                return true;
            }
        }
        if (n < 0) {
            peerEnded = true;
            return false;
        }
        return true;
    }

    private int readInto(int room) throws IOException {
        int n = rawIn.read(in, inEnd, room);
        if (n > 0) {
            observe(in, inEnd, n);
            inEnd += n;
            lastReadFilled = n == room;
            streams(lastReadFilled); // filled: the kernel may hold more
            readSinceTurn = Turns.take(readSinceTurn, n, lastReadFilled);
        } else {
            lastReadFilled = false;
            streams(false);
        }
        return n;
    }

    /** Counts this connection in {@link Turns} while it keeps its thread busy, and no longer once it is not. */
    private void streams(boolean now) {
        int want = now && !closed ? 1 : 0;
        if (streaming != want && STREAMING.compareAndSet(this, 1 - want, want)) {
            Turns.streaming(want == 1 ? 1 : -1);
        }
    }

    /** Room for {@code need} more received bytes, borrowing or compacting the inbound array. */
    private void ensureIn(int need) {
        if (in == null) {
            in = BufferPool.SHARED.borrowIn();
            inStart = 0;
            inEnd = 0;
        }
        if (in.length - inEnd >= need) {
            return;
        }
        int held = inEnd - inStart;
        if (held + need <= in.length) {
            System.arraycopy(in, inStart, in, 0, held);
        } else {
            byte[] bigger = new byte[Math.max(in.length * 2, held + need)];
            System.arraycopy(in, inStart, bigger, 0, held);
            in = bigger; // a record larger than the pooled size: kept only until it is used up
        }
        inStart = 0;
        inEnd = held;
    }

    private void releaseInIfEmpty() {
        if (in != null && inStart == inEnd) {
            BufferPool.SHARED.giveBack(in);
            in = null;
            inStart = 0;
            inEnd = 0;
        }
    }

    /** The plaintext buffer in write mode, holding what is left unread, with room for a record's plaintext. */
    private ByteBuffer plainForUnwrap() {
        int size = engine.getSession().getApplicationBufferSize();
        if (plain == null) {
            return BufferPool.SHARED.borrowPlain(size);
        }
        if (plain.capacity() < size) {
            ByteBuffer b = ByteBuffer.allocate(size + plain.remaining());
            b.put(plain);
            return b;
        }
        plain.compact();
        return plain;
    }

    /** Lets the plaintext buffer go once it is read up: an idle connection holds none. */
    private void releasePlainIfEmpty() {
        if (plain != null && !plain.hasRemaining()) {
            BufferPool.SHARED.giveBack(plain);
            plain = null;
        }
    }

    /** A larger plaintext buffer, in read mode, holding what the current one holds. */
    private void growPlain() {
        int size = Math.max(engine.getSession().getApplicationBufferSize(), plain == null ? 0 : plain.capacity() * 2);
        ByteBuffer b = ByteBuffer.allocate(size);
        if (plain != null) {
            b.put(plain);
        }
        b.flip();
        plain = b;
    }

    private void observe(byte[] b, int off, int n) throws TlsException {
        int c = firstCount;
        if (c < first.length) {
            int take = Math.min(first.length - c, n);
            System.arraycopy(b, off, first, c, take);
            firstCount = c + take;
        }
        peerHandshake.observe(b, off, n);
        if (server && records.observe(b, off, n)) {
            TlsException why = new TlsException(ErrorCode.SESSION_ATTACK, "client-initiated renegotiation "
                    + "refused: " + peer() + " started a second handshake");
            fail(why);
            throw new TlsException(why.code(), why.getMessage());
        }
    }

    private void fail(TlsException why) {
        if (failure == null) {
            failure = why;
        }
        closeQuietly(raw);
    }

    /** Reads decrypted bytes: Node's {@code 'data'}; -1 at close_notify or at the end of the peer's stream. */
    private int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!ready) {
            startHandshake();
        }
        readLock.lock();
        try {
            TlsException why = failure;
            if (why != null) {
                throw new TlsException(why.code(), why.getMessage());
            }
            boolean direct = true;
            while (true) {
                if (plain != null && plain.hasRemaining()) {
                    int n = Math.min(len, plain.remaining());
                    plain.get(b, off, n);
                    releasePlainIfEmpty();
                    if (n < len && plain == null) {
                        n += readDecryptable(b, off + n, len - n);
                    }
                    return n;
                }
                if (inboundDone) {
                    return -1;
                }
                if (inEnd - inStart < HEADER || inEnd - inStart < recordLength()) {
                    releaseInIfEmpty();
                    if (!readMore()) {
                        endOfStream();
                        return -1;
                    }
                    continue;
                }
                int n = unwrapInto(b, off, direct ? len : 0);
                if (n == UNWRAP_AGAIN_INTO_PLAIN) {
                    direct = false; // the engine wants more room than the caller's array: use the own buffer
                    continue;
                }
                direct = true;
                if (n > 0) {
                    n += readDecryptable(b, off + n, len - n);
                }
                if (n != 0) {
                    releaseInIfEmpty();
                    return n;
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * After a read has data for the caller, the records that are already here and fit whole in the rest of its array,
     * decrypted straight into it, without waiting for more: a large read takes everything received, and an echo
     * writes it back in one go.
     */
    private int readDecryptable(byte[] b, int off, int len) throws IOException {
        int n = 0;
        while (!inboundDone && plain == null && inEnd - inStart >= HEADER && inEnd - inStart >= recordLength()
                && len - n >= recordLength() - HEADER) {
            int got = unwrapInto(b, off + n, len - n);
            if (got < 0 || got == UNWRAP_AGAIN_INTO_PLAIN) {
                break;
            }
            n += got;
        }
        return n;
    }

    /**
     * Reads what is decrypted already or can be decrypted from the records received whole, without waiting for the
     * peer: 0 when nothing is, -1 at the end.
     */
    int readNow(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0 || !ready) {
            return 0;
        }
        readLock.lock();
        try {
            int n = 0;
            if (plain != null && plain.hasRemaining()) {
                n = Math.min(len, plain.remaining());
                plain.get(b, off, n);
                releasePlainIfEmpty();
                if (plain != null) {
                    return n;
                }
            }
            while (n < len && plain == null && !inboundDone && inEnd - inStart >= HEADER
                    && inEnd - inStart >= recordLength()) {
                int got = unwrapInto(b, off + n, len - n);
                if (got == UNWRAP_AGAIN_INTO_PLAIN) {
                    got = unwrapInto(b, off + n, 0);
                }
                if (got < 0) {
                    break;
                }
                n += got;
                if (plain != null) { // decrypted into the own buffer: copy what fits
                    int k = Math.min(len - n, plain.remaining());
                    plain.get(b, off + n, k);
                    n += k;
                    releasePlainIfEmpty();
                }
            }
            releaseInIfEmpty();
            return n == 0 && inboundDone && plain == null ? -1 : n;
        } finally {
            readLock.unlock();
        }
    }

    /** What a read returns without waiting: decrypted bytes held, and the payloads of the whole records received. */
    private int decryptable() {
        readLock.lock();
        try {
            int n = plain == null ? 0 : plain.remaining();
            if (in != null && !inboundDone) {
                for (int i = inStart; inEnd - i >= HEADER; ) {
                    int payload = ((in[i + 3] & 0xff) << 8) | (in[i + 4] & 0xff);
                    if (inEnd - i < HEADER + payload) {
                        break;
                    }
                    if ((in[i] & 0xff) == 23) { // application_data (TLS 1.3 wraps everything so; an upper bound)
                        n += payload;
                    }
                    i += HEADER + payload;
                }
            }
            return n;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Unwraps the next record: into the caller's array when it has room for a whole record's plaintext, else into
     * the socket's own plaintext buffer. Returns the bytes given to the caller, -1 at close_notify, 0 when the record
     * held no application data (a handshake message, a ticket, a key update) or is not complete yet.
     */
    private int unwrapInto(byte[] b, int off, int len) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(in, inStart, inEnd - inStart);
        // the record's plaintext is never longer than its payload: a caller's array that holds the payload holds it
        boolean direct = len > 0 && len >= recordLength() - HEADER;
        ByteBuffer dst = direct ? ByteBuffer.wrap(b, off, len) : plainForUnwrap();
        SSLEngineResult r = engine.unwrap(src, dst);
        inStart = src.position();
        int produced = r.bytesProduced();
        if (!direct) {
            dst.flip();
            plain = dst;
            releasePlainIfEmpty();
        }
        switch (r.getStatus()) {
            case CLOSED -> {
                inboundDone = true; // close_notify
                answerHandshake(r.getHandshakeStatus());
                if (direct && produced > 0) {
                    return produced;
                }
                return plain != null ? 0 : -1;
            }
            case BUFFER_OVERFLOW -> {
                if (!direct) {
                    growPlain();
                }
                return UNWRAP_AGAIN_INTO_PLAIN;
            }
            case BUFFER_UNDERFLOW -> {
                if (!readMore()) {
                    endOfStream();
                    return -1;
                }
                return 0;
            }
            default -> {
                answerHandshake(r.getHandshakeStatus());
                return direct ? produced : 0;
            }
        }
    }

    /** Post-handshake messages (a TLS 1.3 key update, a close_notify to answer) may need a reply or a task. */
    private void answerHandshake(HandshakeStatus hs) throws IOException {
        while (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                hs = engine.getHandshakeStatus();
            } else {
                writeLock.lock();
                try {
                    hs = wrapAndSend(EMPTY);
                } finally {
                    writeLock.unlock();
                }
            }
        }
    }

    /** The peer's TCP stream ended: after close_notify that is the end; without it, a truncation. */
    private void endOfStream() {
        peerEnded = true;
        endedMidRecord = inEnd > inStart; // part of a record arrived, the rest never will
        // without close_notify first, a truncation: read as -1 (the caller tells it by peerEnded()); as OpenSSL
        // does, the connection is then over and nothing more is written on it
        truncated = !inboundDone;
        inboundDone = true;
        try {
            engine.closeInbound();
        } catch (SSLException truncation) {
            truncated = true;
        }
    }

    // ---- writing

    private void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        if (!ready) {
            startHandshake();
        }
        writeLock.lock();
        try {
            checkOpen();
            if (outboundDone) {
                throw new SocketException("the TLS connection's output is closed");
            }
            if (truncated) {
                throw new SocketException(peer() + " ended the connection without close_notify: nothing more is "
                        + "written on it");
            }
            ByteBuffer src = ByteBuffer.wrap(b, off, len);
            while (src.hasRemaining()) {
                HandshakeStatus hs = wrapAndSend(src);
                if (hs == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Wraps as much of {@code src} as fits in one outbound array (many records) and sends it in one call; with an
     * empty {@code src}, sends what the engine has to say (a handshake reply, close_notify). Under the write lock.
     */
    private HandshakeStatus wrapAndSend(ByteBuffer src) throws IOException {
        // a few records fit the small size; a large write takes the array that sends many records in one call
        byte[] out = src.remaining() <= BufferPool.IN / 2 ? BufferPool.SHARED.borrowIn()
                : BufferPool.SHARED.borrowOut();
        try {
            ByteBuffer dst = ByteBuffer.wrap(out);
            int packet = engine.getSession().getPacketBufferSize();
            HandshakeStatus hs;
            do {
                int limit = src.limit();
                src.limit(Math.min(limit, src.position() + maxSendFragment)); // at most that much per record
                SSLEngineResult r;
                try {
                    r = engine.wrap(src, dst);
                } finally {
                    src.limit(limit);
                }
                hs = r.getHandshakeStatus();
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    if (dst.position() == 0) {
                        throw new SSLException("the TLS engine needs more than " + out.length + " bytes for a record");
                    }
                    break;
                }
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    if (src.hasRemaining() && dst.position() == 0) {
                        throw new SocketException("the TLS connection is closed: " + peer() + " ended it");
                    }
                    break;
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    if (src.hasRemaining() && hs == HandshakeStatus.NOT_HANDSHAKING && dst.position() == 0) {
                        throw new SSLException("the TLS engine takes no more data");
                    }
                    break;
                }
                if (hs == HandshakeStatus.NEED_TASK) {
                    break;
                }
            } while ((src.hasRemaining() || hs == HandshakeStatus.NEED_WRAP) && dst.remaining() >= packet);
            if (dst.position() > 0) {
                rawOut.write(out, 0, dst.position());
                boolean bulk = dst.position() > BufferPool.IN / 2;
                if (bulk) {
                    streams(true);
                }
                writtenSinceTurn = Turns.take(writtenSinceTurn, dst.position(), bulk);
            }
            return hs;
        } finally {
            BufferPool.SHARED.giveBack(out);
        }
    }

    // ---- closing

    @Override
    public void shutdownOutput() throws IOException {
        writeLock.lock();
        try {
            if (outboundDone || closed) {
                return;
            }
            outboundDone = true;
            engine.closeOutbound();
            wrapAndSend(EMPTY); // close_notify
            raw.shutdownOutput();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        raw.shutdownInput();
    }

    /** Closes as {@link SSLSocket#close()} does: with autoClose, the connection underneath is closed on return. */
    @Override
    public void close() throws IOException {
        close(false);
    }

    /**
     * Closes without losing what this end wrote: as {@link #close()}, but the connection underneath (with
     * autoClose) is let go only once the peer has ended it or {@code LINGER} (2 s) has passed; see
     * the lingering close below. weft's own sockets close this way; the {@code SSLSocket} API's callers, who may
     * check their socket's {@code isClosed()}, get {@link #close()}.
     */
    public void closeLingering() throws IOException {
        close(true);
    }

    private void close(boolean linger) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        streams(false);
        if (handshaken && !outboundDone && writeLock.tryLock()) {
            try {
                outboundDone = true;
                engine.closeOutbound();
                wrapAndSend(EMPTY); // close_notify, when no write is blocked on a peer that does not read
            } catch (IOException | RuntimeException ignored) {
                // the peer is gone: closing goes on
            } finally {
                writeLock.unlock();
            }
        } else {
            engine.closeOutbound();
        }
        if (linger && handshaken && autoClose && !(raw instanceof PipeConnection) && readLock.tryLock()) {
            try {
                lingerThenClose(raw); // no read is under way: none is left waiting on the connection
            } finally {
                readLock.unlock();
            }
        } else if (autoClose || !handshaken) {
            closeQuietly(raw); // a connection left half-way through a handshake is of no use to anyone
        }
        release();
    }

    /** How long a closed connection keeps reading, and dropping, what the peer still sends before it lets go. */
    static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

    /**
     * Closes {@code raw} without losing what this end sent: the write side ends at once (FIN after the last record),
     * then, on a virtual thread of its own, whatever the peer still sends is read and dropped until its FIN (or
     * {@link #LINGER}), and only then is the socket closed. Closing a TCP socket that holds unread bytes makes the
     * kernel send RST instead of FIN, and a peer that receives RST drops what it had received but not yet read —
     * the end of what this side wrote (measured: a weft client writing 256 KiB and closing while a Node 24 server
     * had sent it data it never read lost a third of it on every provider; Node's own client, which reads until the
     * peer's FIN after {@code end()}, lost nothing). This is the lingering close of Apache httpd and nginx.
     */
    private static void lingerThenClose(Socket raw) {
        try {
            raw.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            return;
        }
        Thread.ofVirtual().name("weft-linger").start(() -> {
            long deadline = System.nanoTime() + LINGER.toNanos();
            byte[] sink = BufferPool.SHARED.borrowIn();
            try {
                InputStream in = raw.getInputStream();
                for (long left = LINGER.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                    raw.setSoTimeout((int) Math.max(1, left / 1_000_000));
                    if (in.read(sink) < 0) {
                        break; // the peer's FIN: nothing of ours is lost now
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the peer reset, or LINGER passed: close
            } finally {
                BufferPool.SHARED.giveBack(sink);
                closeQuietly(raw);
            }
        });
    }

    /**
     * Ends the connection at once, without close_notify, and frees what the engine holds (Conscrypt's native SSL
     * object and its pipe pair are freed when both directions are closed, not when a collection finds the engine):
     * for a connection refused or abandoned. Blocked reads and writes fail. Any thread; calling it again does nothing.
     */
    public void destroy() {
        closed = true;
        streams(false);
        outboundDone = true;
        closeQuietly(raw);
        release();
    }

    /**
     * Closes both directions of the engine and discards what it still has to send, so that it frees its state now:
     * Conscrypt frees its native SSL object (and the pipe pair BoringSSL's glue made for it) only once both
     * directions are closed and no encrypted byte is pending, a close_notify or the alert of a failed handshake
     * included; otherwise the object waits for a garbage collection to run its finalizer. Measured in
     * {@code ResourceLeakIT}.
     */
    private void release() {
        SSLEngine e = engine;
        e.closeOutbound();
        try {
            e.closeInbound();
        } catch (SSLException ignored) {
            // no close_notify from the peer: nothing to report on close
        }
        try {
            // a write under way fails at once on the closed socket; one blocked on a peer that does not read keeps
            // the engine, which a collection then frees
            if (!writeLock.tryLock(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        }
        byte[] scratch = null;
        try {
            for (int i = 0; i < 4 && !e.isOutboundDone(); i++) {
                if (scratch == null) {
                    scratch = BufferPool.SHARED.borrowIn();
                }
                if (e.wrap(EMPTY, ByteBuffer.wrap(scratch)).bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException ignored) {
            // an engine that cannot wrap any more has nothing left to free
        } finally {
            writeLock.unlock();
            if (scratch != null) {
                BufferPool.SHARED.giveBack(scratch);
            }
        }
    }

    private void checkOpen() throws SocketException {
        if (closed || raw.isClosed()) {
            throw new SocketException("Socket is closed");
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    // ---- Wire

    @Override
    public boolean peerEnded() {
        return peerEnded;
    }

    @Override
    public TlsException failure() {
        return failure;
    }

    @Override
    public String peer() {
        return raw.getInetAddress() == null ? (raw instanceof PipeConnection ? raw.toString() : "unconnected socket")
                : raw.getInetAddress().getHostAddress() + ":" + raw.getPort();
    }

    /** {@return whether the peer's stream ended part way through a TLS record} */
    public boolean endedMidRecord() {
        return endedMidRecord;
    }

    @Override
    public byte[] firstBytes() {
        return java.util.Arrays.copyOf(first, firstCount);
    }

    // ---- streams

    @Override
    public InputStream getInputStream() throws IOException {
        checkOpen();
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        checkOpen();
        return output;
    }

    private final class Input extends InputStream implements NonBlockingInput {
        @Override
        public int readNow(byte[] b, int off, int len) throws IOException {
            return EngineSocket.this.readNow(b, off, len);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = EngineSocket.this.read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return EngineSocket.this.read(b, off, len);
        }

        /**
         * At most what a read returns without waiting: the decrypted bytes held and the payloads of the complete
         * records received (an estimate from above: a record's plaintext is a little shorter than its payload, and a
         * TLS 1.3 record may hold a handshake message instead).
         */
        @Override
        public int available() {
            return decryptable();
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            EngineSocket.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            EngineSocket.this.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }

    // ---- SSLSocket, delegated to the engine

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    /** As the JDK's sockets do: runs the handshake first when it has not run; after a failed one, a null session. */
    @Override
    public SSLSession getSession() {
        if (!ready && !inPolicy) {
            try {
                startHandshake();
            } catch (IOException e) {
                // the handshake failed: the session says so (SSL_NULL_WITH_NULL_NULL)
            }
        }
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        if (!listeners.remove(listener)) {
            throw new IllegalArgumentException("listener not registered");
        }
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        engine.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        engine.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
        engine.setHandshakeApplicationProtocolSelector(selector == null ? null
                : (e, offered) -> selector.apply(this, offered));
    }

    @Override
    public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
        var s = engine.getHandshakeApplicationProtocolSelector();
        return s == null ? null : (sock, offered) -> s.apply(engine, offered);
    }

    // ---- Socket, delegated to the connection underneath

    @Override
    public boolean isConnected() {
        return raw.isConnected();
    }

    @Override
    public boolean isBound() {
        return raw.isBound();
    }

    @Override
    public boolean isClosed() {
        return closed || raw.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return raw.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return outboundDone || raw.isOutputShutdown();
    }

    @Override
    public InetAddress getInetAddress() {
        return raw.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return raw.getLocalAddress();
    }

    @Override
    public int getPort() {
        return raw.getPort();
    }

    @Override
    public int getLocalPort() {
        return raw.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return raw.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return raw.getLocalSocketAddress();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        raw.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return raw.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        raw.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return raw.getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        raw.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return raw.getKeepAlive();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        raw.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return raw.getSoLinger();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        raw.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return raw.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        raw.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return raw.getReceiveBufferSize();
    }

    @Override
    public String toString() {
        return "EngineSocket[" + engine.getClass().getSimpleName() + ", " + peer() + "]";
    }
}
