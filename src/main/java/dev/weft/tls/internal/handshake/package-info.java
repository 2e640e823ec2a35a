/**
 * What the provider calls during a handshake: the trust manager that hands every chain to weft's validator and
 * records its verdict and the stapled OCSP response ({@code RecordingTrustManager}), the key manager that presents the
 * context's one key ({@code FixedKeyManager}), and the per-handshake scope they report into
 * ({@code HandshakeScope}).
 *
 * <p>May use: {@code internal.engine} (the engine socket a handshake runs on) and {@code internal.trust} (the
 * verdict). Provider-independent: a provider's difference goes in {@code internal.provider}.
 */
package dev.weft.tls.internal.handshake;
