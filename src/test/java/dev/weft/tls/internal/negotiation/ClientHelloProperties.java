package dev.weft.tls.internal.negotiation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.testing.RawPeers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The ClientHello reader takes the first bytes of every connection from anyone: random bytes and mutated real
 * ClientHellos never make it throw anything but an I/O error, never make it read more than its bound, and every
 * fact it reports (SNI, status_request, fallback, versions, signature schemes) is answered without an exception;
 * the signature check it feeds never throws either.
 */
class ClientHelloProperties {
    private static final byte[] REAL = RawPeers.realClientHello("h2", "http/1.1");
    private static final List<PublicKey> KEYS = List.of(
            Certs.selfSigned("ec").build().certificate().getPublicKey(),
            Certs.selfSigned("rsa").keyType(dev.weft.cert.KeyType.RSA_2048).build().certificate().getPublicKey());

    @Property(tries = 400)
    void randomBytesAreReadOrRefusedWithoutARuntimeException(@ForAll @Size(max = 2000) byte[] bytes) {
        readAndAskEverything(bytes);
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
        Arbitrary<byte[]> cuts = Arbitraries.integers().between(0, REAL.length).map(n -> java.util.Arrays.copyOf(REAL,
                n));
        Arbitrary<byte[]> overwrites = Arbitraries.integers().between(0, REAL.length - 1)
                .flatMap(at -> Arbitraries.bytes().map(v -> {
                    byte[] b = REAL.clone();
                    b[at] = v;
                    return b;
                }));
        return Arbitraries.oneOf(flips, cuts, overwrites);
    }

    @Property(tries = 600)
    void mutatedClientHellosAreReadOrRefusedWithoutARuntimeException(@ForAll("mutatedHellos") byte[] bytes) {
        readAndAskEverything(bytes);
    }

    @Property(tries = 300)
    void theSignatureCheckAnswersAnyListForAnyVersion(@ForAll @Size(max = 40) List<@IntRange(max = 0xffff) Integer> list,
            @ForAll boolean tls13, @ForAll boolean absent) {
        int[] schemes = absent ? null : list.stream().mapToInt(Integer::intValue).toArray();
        for (PublicKey key : KEYS) {
            SignatureSchemes.refusal(schemes, tls13 ? 0x0304 : 0x0303, key);
        }
    }

    @Property(tries = 1)
    void theRealHelloIsWellFormedAndUnrefused() throws IOException {
        ClientHello hello = ClientHello.read(new ByteArrayInputStream(REAL));
        assertEquals(ClientHello.Kind.TLS, hello.kind());
        assertEquals(null, hello.refusal());
        assertEquals("localhost", hello.serverName());
        assertEquals(0x0304, hello.bestVersion());
        assertTrue(hello.signatureSchemes().length > 0);
        for (PublicKey key : KEYS) {
            assertEquals(null, SignatureSchemes.refusal(hello.signatureSchemes(), 0x0304, key), key.getAlgorithm());
        }
    }

    private static void readAndAskEverything(byte[] bytes) {
        ClientHello hello;
        try {
            hello = ClientHello.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            return; // an I/O error is how a stream may end
        }
        assertTrue(hello.consumed().length <= ClientHello.MAX_BYTES + 5 * 33, "read past its bound");
        hello.kind();
        hello.refusal();
        hello.serverName();
        hello.statusRequest();
        hello.offersOnlyOldVersions();
        hello.inappropriateFallback(0x0304);
        int[] schemes = hello.signatureSchemes();
        for (PublicKey key : KEYS) {
            SignatureSchemes.refusal(schemes, Math.max(0x0303, Math.min(0x0304, hello.bestVersion())), key);
        }
    }
}
