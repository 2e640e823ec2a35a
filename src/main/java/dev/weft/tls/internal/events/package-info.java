/**
 * weft's JFR events ({@code dev.weft.Handshake}, {@code dev.weft.ClientError}, {@code dev.weft.Drop}): their
 * definitions and the one place that commits them. Depends on nothing else of weft.
 */
package dev.weft.tls.internal.events;
