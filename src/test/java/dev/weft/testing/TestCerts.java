package dev.weft.testing;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;

/** Certificates shared by the tests, made once per test JVM by {@code dev.weft.cert}: nothing is checked in. */
public final class TestCerts {
    private TestCerts() {
    }

    /** A root CA. */
    public static final HeldCertificate ROOT = Certs.ca("Weft Test Root CA").build();
    /** An intermediate CA under {@link #ROOT}, path length 0. */
    public static final HeldCertificate INTERMEDIATE = Certs.intermediate("Weft Intermediate CA").pathLength(0)
            .signedBy(ROOT).build();
    /** A server certificate for localhost, 127.0.0.1 and ::1, signed by {@link #ROOT}. */
    public static final HeldCertificate SERVER = Certs.server("localhost", "127.0.0.1", "::1").signedBy(ROOT).build();
    /** A server certificate for localhost and 127.0.0.1, signed by {@link #INTERMEDIATE}. */
    public static final HeldCertificate CHAINED_SERVER = Certs.server("localhost", "127.0.0.1")
            .signedBy(INTERMEDIATE).build();
    /** A client certificate (CN client1) signed by {@link #ROOT}. */
    public static final HeldCertificate CLIENT = Certs.client("client1").signedBy(ROOT).build();
}
