/**
 * The application's side of a connection: the plaintext {@code InputStream}/{@code OutputStream} a
 * {@code TlsSocket} or {@code SecurePair} hands out ({@code CleartextStreams}), with Node's stream semantics
 * ({@code end()}, write after end, the peer's alert as the read's error).
 *
 * <p>May use: {@code internal.engine} (the bytes underneath) and {@code internal.errors} (what a failure reads as).
 */
package dev.weft.tls.internal.streams;
