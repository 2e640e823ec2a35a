package dev.weft.tls.internal.handshake;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding exactly one key and its chain, as a Node secure context does. It answers without locks
 * or caches (the JDK's default SunX509 manager has a synchronized alias cache that contends under load), and it
 * ignores the peer's list of acceptable issuers, as OpenSSL does: the configured certificate is always sent.
 */
public final class FixedKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "weft";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final String algorithm;
    private final String curve;

    public FixedKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = chain.toArray(X509Certificate[]::new);
        this.algorithm = key.getAlgorithm();
        this.curve = key instanceof ECKey ec ? curveName(ec.getParams().getCurve().getField().getFieldSize()) : null;
    }

    private static String curveName(int fieldSize) {
        return switch (fieldSize) {
            case 256 -> "secp256r1";
            case 384 -> "secp384r1";
            case 521 -> "secp521r1";
            default -> "unknown";
        };
    }

    private boolean matches(String keyType) {
        if (keyType == null) {
            return true;
        }
        return switch (algorithm) {
            // SunJSSE and Conscrypt ask for "EC" (or "EC_EC"...); Bouncy Castle in TLS 1.3 asks "EC/secp256r1"
            case "EC" -> keyType.equals("EC") || keyType.startsWith("EC_") || keyType.equals("ECDSA")
                    || keyType.equals("ECDHE_ECDSA")
                    || keyType.equals("EC/" + curve);
            case "RSA" -> keyType.equals("RSA") || keyType.equals("DHE_RSA") || keyType.equals("ECDHE_RSA");
            case "EdDSA", "Ed25519", "Ed448" -> keyType.equals("EdDSA") || keyType.equals("Ed25519")
                    || keyType.equals("Ed448");
            default -> keyType.equalsIgnoreCase(algorithm);
        };
    }

    private String aliasFor(String... keyTypes) {
        if (keyTypes == null || keyTypes.length == 0) {
            return ALIAS;
        }
        for (String t : keyTypes) {
            if (matches(t)) {
                return ALIAS;
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chosen(aliasFor(keyType));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chosen(aliasFor(keyType));
    }

    private static String chosen(String alias) {
        if (alias != null) {
            HandshakeScope.markKeyChosen(); // a full handshake: a resumed one presents no certificate
        }
        return alias;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
