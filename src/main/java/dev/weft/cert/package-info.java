/**
 * Certificates and keys without openssl: {@link dev.weft.cert.Certs} makes CAs, servers and clients in one line
 * ({@link dev.weft.cert.HeldCertificate}), {@link dev.weft.cert.CertificateRequests} and {@link dev.weft.cert.Crls}
 * do CSRs and CRLs, {@link dev.weft.cert.Pem} and {@link dev.weft.cert.PemFiles} write them as OpenSSL 3 does.
 */
package dev.weft.cert;
