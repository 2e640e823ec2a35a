package dev.weft.tls.internal.engine;

/**
 * Follows the TLS record headers a client sends, to see a renegotiation no provider lets weft refuse otherwise
 * (design from the hostile-peers work, issue 7): after the client's change_cipher_spec, its first handshake record
 * is its Finished (TLS 1.2) or a second ClientHello (TLS 1.3 after a HelloRetryRequest); any further handshake
 * record opens a new handshake. TLS 1.3 hides post-handshake messages (KeyUpdate) inside application_data records,
 * so they pass.
 */
final class RecordWatch {
    private final byte[] header = new byte[5];
    private int headerFill;
    private int skip;
    private boolean changeCipherSpec;
    private int handshakeRecordsAfterChangeCipherSpec;

    /** Takes the next {@code n} bytes the client sent; true when they start a second handshake. */
    boolean observe(byte[] b, int off, int n) {
        boolean renegotiation = false;
        for (int i = off, end = off + n; i < end; ) {
            if (skip > 0) {
                int k = Math.min(skip, end - i);
                skip -= k;
                i += k;
                continue;
            }
            header[headerFill++] = b[i++];
            if (headerFill == 5) {
                headerFill = 0;
                skip = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                int type = header[0] & 0xff;
                if (type == 20) {
                    changeCipherSpec = true;
                } else if (type == 22 && changeCipherSpec) {
                    renegotiation |= ++handshakeRecordsAfterChangeCipherSpec > 1;
                }
            }
        }
        return renegotiation;
    }
}
