package dev.weft.trust;

import dev.weft.tls.JsseProvider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * Where weft may refuse a chain Node accepts, or refuse it with another code: the places a maintained component
 * below weft is stricter than OpenSSL and weft does not override it. Each is read from the chain itself, never from a
 * list of case names, so a new case that hits one is recognised, and a case that hits none is held to Node's exact
 * verdict. weft must refuse wherever one applies: none of them may make it accept more than Node.
 */
final class KnownStricter {
    private KnownStricter() {
    }

    /**
     * Why weft (on {@code provider}, or through {@code Tls.verify} when null) may refuse {@code c} where Node accepts
     * it or refuse it with another code; null when it must give Node's verdict and code.
     */
    static String reason(JsseProvider provider, Direction d, ChainCase c) {
        List<X509Certificate> all = new ArrayList<>(c.sent());
        all.addAll(c.trusted());
        for (X509Certificate x : all) {
            String nc = bouncyCastleNameConstraint(x);
            if (nc != null) {
                return nc;
            }
        }
        if (provider == null) {
            return null;
        }
        X509Certificate leaf = c.leaf();
        boolean[] ku = leaf.getKeyUsage();
        if ((provider == JsseProvider.BC || provider == JsseProvider.CONSCRYPT) && ku != null && !ku[0]) {
            return provider + " refuses a handshake signed by a key whose keyUsage lacks digitalSignature";
        }
        if ((provider == JsseProvider.SUN || provider == JsseProvider.BC) && d == Direction.CLIENT_CHAIN
                && c.sent().size() > 8) {
            return provider + " takes at most 8 certificates from a client";
        }
        if (provider == JsseProvider.SUN && leaf.getSigAlgName().toUpperCase(java.util.Locale.ROOT).startsWith("MD5")) {
            return "SunJSSE offers no MD5 in signature_algorithms_cert, so the peer does not send an MD5-signed "
                    + "certificate (a server ends the handshake, a client sends none)";
        }
        if (provider == JsseProvider.CONSCRYPT && leaf.getPublicKey().getAlgorithm().startsWith("Ed")) {
            return "Conscrypt 2.5.2 takes no Ed25519 certificate";
        }
        return null;
    }

    /** Name constraints Bouncy Castle's PKIX validator refuses and OpenSSL does not. */
    private static String bouncyCastleNameConstraint(X509Certificate x) {
        byte[] ext = x.getExtensionValue(Extension.nameConstraints.getId());
        if (ext == null) {
            return null;
        }
        NameConstraints nc;
        try {
            nc = NameConstraints.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets());
        } catch (RuntimeException e) {
            return null;
        }
        GeneralSubtree[] permitted = nc.getPermittedSubtrees();
        for (GeneralSubtree[] trees : new GeneralSubtree[][] {permitted, nc.getExcludedSubtrees()}) {
            for (GeneralSubtree t : trees == null ? new GeneralSubtree[0] : trees) {
                GeneralName base = t.getBase();
                int tag = base.getTagNo();
                if (tag == GeneralName.registeredID || tag == GeneralName.x400Address
                        || tag == GeneralName.ediPartyName) {
                    return "Bouncy Castle's PKIX validator cannot build subtrees of name type " + tag
                            + " (OpenSSL ignores a constraint type no name of the chain has)";
                }
                if (tag == GeneralName.dNSName && trees == permitted
                        && ASN1IA5String.getInstance(base.getName()).getString().isEmpty()) {
                    return "Bouncy Castle's PKIX validator takes an empty permitted dNSName as matching nothing "
                            + "(OpenSSL: everything, as RFC 5280's 'zero or more labels' reads)";
                }
            }
        }
        return null;
    }
}
