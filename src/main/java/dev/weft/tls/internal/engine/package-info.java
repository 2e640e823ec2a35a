/**
 * weft's one data path: {@link dev.weft.tls.internal.engine.EngineSocket}, an {@code SSLSocket} that drives any
 * provider's {@code SSLEngine} over a connection (a socket, or a {@link dev.weft.tls.internal.engine.PipeConnection}
 * for a {@code SecurePair}), with arrays from a {@link dev.weft.tls.internal.engine.BufferPool} held only while
 * bytes flow.
 */
package dev.weft.tls.internal.engine;
