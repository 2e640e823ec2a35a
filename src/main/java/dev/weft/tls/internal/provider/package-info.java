/**
 * The JSSE providers weft runs on, one class each behind {@link dev.weft.tls.internal.provider.ProviderSupport}:
 * SunJSSE, Bouncy Castle JSSE and Conscrypt. Everything a provider does differently is here, and nothing outside
 * this package asks which provider it is.
 */
package dev.weft.tls.internal.provider;
