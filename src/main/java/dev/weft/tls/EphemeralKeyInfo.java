package dev.weft.tls;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The key exchange of a connection, as Node's {@code tlsSocket.getEphemeralKeyInfo()} reports it on a client:
 * {@code type} {@code ECDH} with the curve's OpenSSL name and size ({@code X25519}/253, {@code prime256v1}/256,
 * {@code secp384r1}/384, {@code secp521r1}/521, {@code X448}/448), {@code DH} with the size only (the RFC 7919
 * groups, {@code ffdhe2048}: 2048), or {@code TLSGroup} with the name only (the ML-KEM groups,
 * {@code X25519MLKEM768}).
 *
 * @param type {@code ECDH}, {@code DH} or {@code TLSGroup}
 * @param name the group's name as OpenSSL reports it, where Node gives one
 * @param size the key size in bits, where Node gives one
 */
public record EphemeralKeyInfo(String type, Optional<String> name, OptionalInt size) {
    /**
     * Checks the parts.
     *
     * @param type {@code ECDH}, {@code DH} or {@code TLSGroup}
     * @param name the group's name, or empty
     * @param size the size in bits, or empty
     */
    public EphemeralKeyInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(size, "size");
    }
}
