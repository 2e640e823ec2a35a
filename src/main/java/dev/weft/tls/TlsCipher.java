package dev.weft.tls;

/**
 * A negotiated cipher suite as Node's {@code tlsSocket.getCipher()} reports it.
 *
 * @param name         OpenSSL's name, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256} ({@code TLS_AES_128_GCM_SHA256}
 *                     for TLS 1.3 suites, whose names are the same in both)
 * @param standardName the IANA name JSSE uses, e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}
 * @param version      the lowest protocol version the suite runs on ({@code TLSv1.2}, {@code TLSv1.3}), as Node
 *                     reports it; {@link TlsSocket#protocol()} is the version negotiated
 */
public record TlsCipher(String name, String standardName, String version) {
}
