package dev.weft.trust;

/** Which side of a TLS connection presents a {@link ChainCase}'s chain, and so which purpose verifies it. */
public enum Direction {
    /** A server presents the chain; a client verifies it for the purpose sslserver (EKU serverAuth). */
    SERVER_CHAIN("sslserver", "1.3.6.1.5.5.7.3.1"),
    /** A client presents the chain as its certificate; a server verifies it for sslclient (EKU clientAuth). */
    CLIENT_CHAIN("sslclient", "1.3.6.1.5.5.7.3.2");

    private final String opensslPurpose;
    private final String purposeOid;

    Direction(String opensslPurpose, String purposeOid) {
        this.opensslPurpose = opensslPurpose;
        this.purposeOid = purposeOid;
    }

    /** {@return the purpose {@code openssl verify -purpose} takes for this direction} */
    public String opensslPurpose() {
        return opensslPurpose;
    }

    /** {@return the extended key usage OID this direction needs (serverAuth or clientAuth)} */
    public String purposeOid() {
        return purposeOid;
    }
}
