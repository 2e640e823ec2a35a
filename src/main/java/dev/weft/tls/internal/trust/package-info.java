/**
 * Certificate chain verification: what decides {@code authorized} and {@code authorizationError}, for every provider,
 * in both directions, and for {@code Tls.verify}.
 *
 * <p>Owns: {@link dev.weft.tls.internal.trust.Verifier} (the one entry point), building the chain OpenSSL would build
 * ({@code ChainBuilder}, {@code TrustStore}), Bouncy Castle's RFC 5280 validator ({@code PkixValidation}, the
 * maintained code no chain passes without), OpenSSL's checks on top in its order ({@code OpensslChecks},
 * {@code NameConstraintsCheck}) and OpenSSL's error table with Node's codes ({@code X509Error}).
 *
 * <p>May use: the JDK and Bouncy Castle only. Nothing here knows about providers, sockets or handshakes; the
 * provider-facing trust manager ({@code dev.weft.tls.internal.handshake.RecordingTrustManager}) calls in.
 */
package dev.weft.tls.internal.trust;
