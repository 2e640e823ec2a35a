/**
 * Node.js's {@code tls} module for Java: {@link dev.weft.tls.Tls#createServer} and {@link dev.weft.tls.Tls#connect}
 * give blocking {@link dev.weft.tls.TlsSocket}s, one virtual thread per connection, over SunJSSE, Bouncy Castle
 * JSSE or Conscrypt ({@link dev.weft.tls.JsseProvider}).
 *
 * <p>Options follow Node's names ({@link dev.weft.tls.ServerOptions}, {@link dev.weft.tls.ClientOptions},
 * {@link dev.weft.tls.ContextOptions}); failures are {@link dev.weft.tls.TlsException}s carrying Node's error
 * codes. Each type says where it differs from Node under "Differences from Node".
 */
package dev.weft.tls;
