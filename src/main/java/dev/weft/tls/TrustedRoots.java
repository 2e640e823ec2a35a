package dev.weft.tls;

/**
 * Which roots a secure context trusts besides its own {@code ca} (Node's most requested trust feature: "the
 * defaults plus mine").
 *
 * <p>Differences from Node: Node (until v22's {@code --use-system-ca}) has only {@link #REPLACED_BY_CA}: {@code ca}
 * replaces its bundled roots.
 */
public enum TrustedRoots {
    /** The default, as in Node: {@code ca} when given, else the JDK's roots. */
    REPLACED_BY_CA,
    /** The JDK's roots (its {@code cacerts}) and {@code ca}. */
    JDK_PLUS_CA,
    /**
     * The operating system's bundle ({@code /etc/ssl/certs/ca-certificates.crt}, {@code
     * /etc/pki/tls/certs/ca-bundle.crt}
     * or {@code /etc/ssl/cert.pem}, the first that exists) and {@code ca}.
     */
    SYSTEM_PLUS_CA
}
