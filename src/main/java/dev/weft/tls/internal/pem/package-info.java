/**
 * Reading keys, certificates, CRLs and PKCS#12 files as Node's options give them ({@code PemReader}, with Bouncy
 * Castle's PEM and PKCS code), with OpenSSL's error codes ({@code ERR_OSSL_PEM_NO_START_LINE}, ...). Depends on
 * nothing else of weft but the public API's value types.
 */
package dev.weft.tls.internal.pem;
