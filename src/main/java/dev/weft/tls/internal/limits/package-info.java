/**
 * What keeps one peer from holding a server's resources: the permits for handshakes in progress
 * ({@code HandshakeGate}), deadlines on a connection's handshake and idle time ({@code Watchdog}) and the process's
 * descriptor budget ({@code Descriptors}). Used at "admit" on the connection's path. Depends on nothing else of
 * weft.
 */
package dev.weft.tls.internal.limits;
