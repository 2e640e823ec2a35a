package dev.weft.tls.internal.engine;

import java.io.IOException;

/** An input stream that can hand over what it holds without waiting for its peer. */
public interface NonBlockingInput {
    /**
     * Reads what is available now, without waiting.
     *
     * @return the bytes read, 0 when none are available now, -1 at the end of the stream
     * @throws IOException the connection failed
     */
    int readNow(byte[] b, int off, int len) throws IOException;
}
