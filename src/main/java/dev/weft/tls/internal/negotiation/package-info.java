/**
 * What a handshake may agree on, decided before the provider sees a byte: the ClientHello read from the client's
 * own bytes with OpenSSL's record-layer rules ({@code ClientHello}), the signature schemes weft accepts
 * ({@code SignatureSchemes}), OpenSSL's cipher names and strings mapped to the suites JSSE knows
 * ({@code CipherNames}), and OpenSSL's group lists ({@code ecdhCurve}: {@code Groups}) and signature-algorithm lists
 * ({@code sigalgs}, and the names of {@code getSharedSigalgs()}: {@code SigAlgs}) mapped to JSSE's names.
 *
 * <p>May use: the JDK and the public API's value types only; parsers here read untrusted bytes and have property
 * tests ({@code ClientHelloProperties}).
 */
package dev.weft.tls.internal.negotiation;
