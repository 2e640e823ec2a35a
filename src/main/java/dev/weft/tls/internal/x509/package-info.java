/**
 * A certificate as Node shows it: the fields of {@code getPeerCertificate()} ({@code CertificateFields}) and the
 * host-name check of {@code checkServerIdentity} ({@code ServerIdentity}). May use {@code internal.json}; nothing
 * here decides whether a chain is trusted ({@code internal.trust} does).
 */
package dev.weft.tls.internal.x509;
