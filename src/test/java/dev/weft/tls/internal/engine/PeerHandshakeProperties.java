package dev.weft.tls.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.testing.RawPeers;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The reader of the peer's plaintext handshake sees every byte a peer sends before the engine does: random and
 * mutated bytes, cut anywhere, never make it throw; generated server flights (TLS 1.3 with and without a
 * HelloRetryRequest, TLS 1.2 with a ServerKeyExchange and CertificateRequest) and ClientHellos, split into records
 * and reads at random places, give back exactly the group, schemes and key shares they were built with.
 */
class PeerHandshakeProperties {
    private static final byte[] REAL = RawPeers.realClientHello("h2", "http/1.1");
    private static final byte[] RETRY = java.util.HexFormat.of().parseHex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    /** Feeds {@code bytes} in reads cut at random places. */
    private static void feed(PeerHandshake p, byte[] bytes, long cuts) {
        Random r = new Random(cuts);
        for (int i = 0; i < bytes.length; ) {
            int n = Math.min(bytes.length - i, 1 + r.nextInt(40));
            p.observe(bytes, i, n);
            i += n;
        }
    }

    @Property(tries = 400)
    void randomBytesNeverThrow(@ForAll @Size(max = 3000) byte[] bytes, @ForAll long cuts, @ForAll boolean server) {
        PeerHandshake p = new PeerHandshake(server);
        feed(p, bytes, cuts);
        p.group();
        p.peerSchemes();
        PeerHandshake.offered(bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedHellos() {
        Arbitrary<byte[]> flips = Arbitraries.integers().between(0, REAL.length * 8 - 1).list().ofMinSize(1)
                .ofMaxSize(8).map(bits -> {
                    byte[] b = REAL.clone();
                    for (int bit : bits) {
                        b[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                    return b;
                });
        Arbitrary<byte[]> cuts = Arbitraries.integers().between(0, REAL.length)
                .map(n -> java.util.Arrays.copyOf(REAL, n));
        return Arbitraries.oneOf(flips, cuts);
    }

    @Property(tries = 400)
    void mutatedClientHellosNeverThrow(@ForAll("mutatedHellos") byte[] bytes, @ForAll long cuts) {
        PeerHandshake p = new PeerHandshake(true);
        feed(p, bytes, cuts);
        p.peerSchemes();
        PeerHandshake.offered(bytes);
    }

    // ---- generated messages

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static byte[] vec16(byte[] body) {
        return cat(u16(body.length), body);
    }

    private static byte[] ext(int type, byte[] data) {
        return cat(u16(type), vec16(data));
    }

    private static byte[] message(int type, byte[] body) {
        return cat(new byte[] {(byte) type, (byte) (body.length >> 16), (byte) (body.length >> 8),
            (byte) body.length}, body);
    }

    /** Handshake messages as records of type 22, cut at the given sizes. */
    private static byte[] records(byte[] handshake, long cuts) {
        Random r = new Random(cuts);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < handshake.length; ) {
            int n = Math.min(handshake.length - i, 1 + r.nextInt(300));
            o.writeBytes(new byte[] {22, 3, 3, (byte) (n >> 8), (byte) n});
            o.write(handshake, i, n);
            i += n;
        }
        return o.toByteArray();
    }

    private static byte[] codes(List<Integer> list) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int c : list) {
            o.writeBytes(u16(c));
        }
        return o.toByteArray();
    }

    private static byte[] serverHello(byte[] random, int sessionIdLength, List<byte[]> extensions) {
        return message(2, cat(u16(0x0303), random, new byte[] {(byte) sessionIdLength}, new byte[sessionIdLength],
                u16(0x1301), new byte[] {0}, vec16(cat(extensions.toArray(byte[][]::new)))));
    }

    @Property(tries = 300)
    void aTls13ServerHelloGivesItsGroup(@ForAll @IntRange(max = 0xffff) int group,
            @ForAll @IntRange(max = 32) int sessionId, @ForAll @Size(max = 1200) byte[] keyShare,
            @ForAll boolean retryFirst, @ForAll @IntRange(max = 0xffff) int retryGroup, @ForAll long cuts) {
        byte[] random = new byte[32];
        new Random(cuts).nextBytes(random);
        List<byte[]> flight = new ArrayList<>();
        if (retryFirst) {
            flight.add(records(serverHello(RETRY, sessionId, List.of(ext(43, u16(0x0304)), ext(51,
                    u16(retryGroup)))), cuts));
            flight.add(new byte[] {20, 3, 3, 0, 1, 1}); // change_cipher_spec
        }
        flight.add(records(serverHello(random, sessionId, List.of(ext(43, u16(0x0304)),
                ext(51, cat(u16(group), vec16(keyShare))))), cuts + 1));
        flight.add(new byte[] {20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 3, 9, 9, 9}); // then encrypted
        PeerHandshake p = new PeerHandshake(false);
        feed(p, cat(flight.toArray(byte[][]::new)), cuts);
        assertEquals(group, p.group());
        assertNull(p.peerSchemes());
    }

    @Property(tries = 300)
    void aTls12FlightGivesItsCurveAndCertificateRequest(@ForAll @IntRange(max = 0xffff) int curve,
            @ForAll @Size(max = 5000) byte[] certificate,
            @ForAll @Size(max = 30) List<@IntRange(max = 0xffff) Integer> schemes,
            @ForAll boolean request, @ForAll long cuts) {
        byte[] random = new byte[32];
        byte[] hs = cat(serverHello(random, 32, List.of(ext(0xff01, new byte[] {0}))), message(11, certificate),
                message(12, cat(new byte[] {3}, u16(curve), new byte[] {65}, new byte[65], u16(0x0403),
                        vec16(new byte[72]))),
                request ? message(13, cat(new byte[] {1, 64}, vec16(codes(schemes)), u16(0))) : new byte[0],
                message(14, new byte[0]));
        PeerHandshake p = new PeerHandshake(false);
        feed(p, cat(records(hs, cuts), new byte[] {20, 3, 3, 0, 1, 1}), cuts);
        assertEquals(curve, p.group());
        if (request) {
            assertArrayEquals(schemes.stream().mapToInt(Integer::intValue).toArray(), p.peerSchemes());
        } else {
            assertNull(p.peerSchemes());
        }
    }

    @Property(tries = 300)
    void aClientHelloGivesItsSchemesGroupsAndKeyShares(
            @ForAll @Size(max = 40) List<@IntRange(max = 0xffff) Integer> schemes,
            @ForAll @Size(max = 20) List<@IntRange(max = 0xffff) Integer> groups,
            @ForAll @Size(max = 3) List<@IntRange(max = 0xffff) Integer> shares, @ForAll boolean tls13,
            @ForAll long cuts) {
        ByteArrayOutputStream keyShares = new ByteArrayOutputStream();
        for (int s : shares) {
            keyShares.writeBytes(cat(u16(s), vec16(new byte[32])));
        }
        byte[] versions = tls13 ? new byte[] {4, 3, 4, 3, 3} : new byte[] {2, 3, 3};
        byte[] body = cat(u16(0x0303), new byte[32], new byte[] {0}, vec16(u16(0x1301)), new byte[] {1, 0},
                vec16(cat(ext(0, new byte[0]), ext(43, versions), ext(10, vec16(codes(groups))),
                        ext(51, vec16(keyShares.toByteArray())), ext(13, vec16(codes(schemes))))));
        byte[] wire = records(message(1, body), cuts);
        PeerHandshake p = new PeerHandshake(true);
        feed(p, wire, cuts);
        int[] expected = schemes.stream().mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, p.peerSchemes());
        PeerHandshake.Offer offer = PeerHandshake.offered(wire);
        assertArrayEquals(groups.stream().mapToInt(Integer::intValue).toArray(), offer.groups());
        assertArrayEquals(shares.stream().mapToInt(Integer::intValue).toArray(), offer.keyShares());
        assertEquals(tls13, offer.tls13());
    }
}
