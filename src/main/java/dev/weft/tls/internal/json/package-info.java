/**
 * The one JSON writer and reader weft uses ({@code Json}): {@code toJson()} of peer certificates, {@code weft bench
 * --json}, the conformance report. Depends on nothing else of weft.
 */
package dev.weft.tls.internal.json;
