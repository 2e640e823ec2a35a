/**
 * How a failure reads to the application: a provider's exception (SunJSSE's, Bouncy Castle's or BoringSSL's wording of
 * the same event) mapped to the {@link dev.weft.tls.TlsException} and {@link dev.weft.tls.ErrorCode} Node reports for
 * it — received alerts, refused certificates, a peer gone before the handshake finished, failed connects.
 *
 * <p>May use: {@code internal.engine} (whether the peer ended its stream), {@code internal.handshake} (the trust
 * manager's refusal) and {@code internal.trust} (the verdict); nothing above.
 */
package dev.weft.tls.internal.errors;
