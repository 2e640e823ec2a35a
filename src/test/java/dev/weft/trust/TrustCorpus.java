package dev.weft.trust;

import dev.weft.cert.Certs;
import dev.weft.cert.Crls;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;

/**
 * The differential corpus: certificate chains, generated in code on every run (valid from about now), each varying
 * one rule of certificate-chain verification, plus valid controls and multi-rule chains for the order in which
 * OpenSSL reports errors. Node's verify callback lets {@code X509_verify_cert} go on after every error, and Node
 * reports the last one, in OpenSSL's check order: chain building (an issuer not found does not stop it); extensions
 * and purpose per certificate from the leaf up; key and signature security level; CRLs; then from the top down each
 * certificate's issuer keyCertSign, signature and validity; name constraints last.
 *
 * <p>No expected verdict is written here: {@link NodeOracle} and {@link OpensslVerify} judge every case live.
 * {@link #cases()} builds the list once per JVM (a few seconds; RSA keys are made once and shared).
 *
 * <p>Not in the corpus: a key with explicit EC curve parameters. The JDK's CertificateFactory refuses such a
 * certificate ({@code CertificateParsingException: Only named ECParameters supported}, JDK 25), so it cannot be an
 * {@link X509Certificate} in a {@link ChainCase}.
 */
public final class TrustCorpus {
    private static final String UNKNOWN_OID = "1.3.6.1.4.1.55555.1.1";
    private static final String UPN_OID = "1.3.6.1.4.1.311.20.2.3";
    private static List<ChainCase> cached;

    private final List<ChainCase> out = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final KeyPair rsaRoot = KeyType.RSA_2048.generate();
    private final KeyPair rsaInter = KeyType.RSA_2048.generate();
    private final KeyPair rsaLeaf = KeyType.RSA_2048.generate();
    private final KeyPair rsa1024 = KeyType.rsaKeyPair(1024);
    private final KeyPair rsa768 = KeyType.rsaKeyPair(768);
    private final KeyPair rsa512 = KeyType.rsaKeyPair(512);

    private TrustCorpus() {
    }

    /** {@return every case, built once per JVM; names are unique} */
    public static synchronized List<ChainCase> cases() {
        if (cached == null) {
            TrustCorpus c = new TrustCorpus();
            c.controls();
            c.nameConstraints();
            c.criticalExtensions();
            c.basicConstraints();
            c.keyUsage();
            c.extendedKeyUsage();
            c.validity();
            c.signatures();
            c.weakCrypto();
            c.crls();
            c.pathBuilding();
            c.multiRule();
            cached = List.copyOf(c.out);
        }
        return cached;
    }

    // ---- controls ----

    private void controls() {
        Chain c = chain("control-root-leaf", r -> r, null, leaf());
        add("control-root-leaf", "control: root -> leaf, EC P-256").send(c.leaf).trust(c.root).done();
        c = chain("control-root-inter-leaf", r -> r, i -> i, leaf());
        std("control-root-inter-leaf", "control: root -> intermediate -> leaf, EC P-256", c);
        HeldCertificate root = Certs.ca("control-two-inters root").build();
        HeldCertificate i1 = Certs.intermediate("control-two-inters inter 1").signedBy(root).build();
        HeldCertificate i2 = Certs.intermediate("control-two-inters inter 2").signedBy(i1).build();
        HeldCertificate leaf = leaf().signedBy(i2).build();
        add("control-root-inter-inter-leaf", "control: root -> intermediate -> intermediate -> leaf")
                .send(leaf, i2, i1).trust(root).done();
        c = chain("control-rsa", r -> r.keyPair(rsaRoot), i -> i.keyPair(rsaInter), leaf().keyPair(rsaLeaf));
        std("control-rsa-2048-chain", "control: RSA-2048 root -> intermediate -> leaf, SHA-256", c);
        c = chain("control-p384", r -> r.keyType(KeyType.EC_P384), i -> i.keyType(KeyType.EC_P384),
                leaf().keyType(KeyType.EC_P384));
        std("control-ec-p384-chain", "control: EC P-384 chain, signed with ECDSA SHA-256", c);
        c = chain("control-mixed", r -> r.keyPair(rsaRoot), i -> i, leaf());
        std("control-rsa-root-ec-leaf", "control: RSA-2048 root -> EC intermediate -> EC leaf", c);
        c = chain("control-ed25519", r -> r, i -> i, leaf().keyType(KeyType.ED25519));
        std("control-ed25519-leaf", "control: Ed25519 leaf under EC CAs", c);
        c = chain("control-eku-both", r -> r, i -> i, leaf());
        std("control-leaf-eku-server-and-client", "control: leaf EKU serverAuth + clientAuth", c);
        c = chain("control-no-eku", r -> r, i -> i, leaf().withoutExtension("extendedKeyUsage"));
        std("control-leaf-without-eku", "control: leaf without extended key usage (any purpose)", c);
        c = chain("control-server-eku", r -> r, i -> i, leaf().extendedKeyUsage("serverAuth"));
        std("control-leaf-eku-server-only", "control: leaf EKU serverAuth only (valid as a server chain)", c);
        c = chain("control-client-eku", r -> r, i -> i, leaf().extendedKeyUsage("clientAuth"));
        std("control-leaf-eku-client-only", "control: leaf EKU clientAuth only (valid as a client chain)", c);
        HeldCertificate self = Certs.selfSigned("self.example.com").clientAuth().build();
        add("control-trusted-self-signed-leaf", "control: self-signed leaf that is itself in ca").send(self)
                .trust(self).done();
        c = chain("control-partial", r -> r, i -> i, leaf());
        add("control-partial-chain-trusted-intermediate",
                "control: ca holds only the intermediate, allowPartialTrustChain: true").send(c.leaf, c.inter)
                .trust(c.inter).partial().done();
        c = chain("control-crl", r -> r, i -> i, leaf());
        add("control-crls-for-every-issuer", "control: CRLs from the root and the intermediate, nothing revoked")
                .send(c.leaf, c.inter).trust(c.root).crl(Crls.create(c.root, List.of()), Crls.create(c.inter, List.of()))
                .done();
        c = chain("control-ip", r -> r, i -> i, Certs.leaf("127.0.0.1").ip("127.0.0.1")
                .extendedKeyUsage("serverAuth", "clientAuth"));
        std("control-leaf-ip-san-only", "control: leaf with only an IP SAN (no host name is checked)", c);
    }

    // ---- name constraints ----

    private void nameConstraints() {
        // DNS
        nc("nc-dns-permitted-root-match", "root permits DNS:example.com; SAN a.example.com", true,
                List.of("DNS:example.com"), List.of(), leaf("a.example.com"));
        nc("nc-dns-permitted-root-violation", "root permits DNS:example.com; SAN a.other.test", true,
                List.of("DNS:example.com"), List.of(), leaf("a.other.test"));
        nc("nc-dns-permitted-inter-match", "intermediate permits DNS:example.com; SAN a.example.com", false,
                List.of("DNS:example.com"), List.of(), leaf("a.example.com"));
        nc("nc-dns-permitted-inter-violation", "intermediate permits DNS:example.com; SAN a.other.test", false,
                List.of("DNS:example.com"), List.of(), leaf("a.other.test"));
        nc("nc-dns-permitted-apex-match", "intermediate permits DNS:example.com; SAN example.com itself", false,
                List.of("DNS:example.com"), List.of(), leaf("example.com"));
        nc("nc-dns-excluded-root-violation", "root excludes DNS:bad.example.com; SAN bad.example.com", true,
                List.of(), List.of("DNS:bad.example.com"), leaf("bad.example.com"));
        nc("nc-dns-excluded-inter-subdomain-violation",
                "intermediate excludes DNS:bad.example.com; SAN x.bad.example.com", false,
                List.of(), List.of("DNS:bad.example.com"), leaf("x.bad.example.com"));
        nc("nc-dns-excluded-inter-other-name-ok", "intermediate excludes DNS:bad.example.com; SAN good.example.com",
                false, List.of(), List.of("DNS:bad.example.com"), leaf("good.example.com"));
        nc("nc-dns-leading-dot-subdomain-match", "intermediate permits DNS:.example.com; SAN a.example.com", false,
                List.of("DNS:.example.com"), List.of(), leaf("a.example.com"));
        nc("nc-dns-leading-dot-apex-violation", "intermediate permits DNS:.example.com; SAN example.com", false,
                List.of("DNS:.example.com"), List.of(), leaf("example.com"));
        nc("nc-dns-suffix-not-on-label-boundary-violation",
                "intermediate permits DNS:example.com; SAN badexample.com", false,
                List.of("DNS:example.com"), List.of(), leaf("badexample.com"));
        nc("nc-dns-wildcard-san-match", "intermediate permits DNS:example.com; SAN *.example.com", false,
                List.of("DNS:example.com"), List.of(), leaf("*.example.com"));
        nc("nc-dns-wildcard-san-violation", "intermediate permits DNS:example.com; SAN *.other.test", false,
                List.of("DNS:example.com"), List.of(), leaf("*.other.test"));
        nc("nc-dns-wildcard-san-excluded", "intermediate excludes DNS:example.com; SAN *.example.com", false,
                List.of(), List.of("DNS:example.com"), leaf("*.example.com"));
        nc("nc-dns-excluded-one-of-several-sans",
                "intermediate excludes DNS:bad.example.com; SANs good.example.com, bad.example.com", false,
                List.of(), List.of("DNS:bad.example.com"), leaf("good.example.com", "bad.example.com"));
        nc("nc-dns-permitted-one-of-several-sans-outside",
                "intermediate permits DNS:example.com; SANs a.example.com, b.other.test", false,
                List.of("DNS:example.com"), List.of(), leaf("a.example.com", "b.other.test"));
        nc("nc-dns-case-insensitive-match", "intermediate permits DNS:EXAMPLE.com; SAN a.Example.COM", false,
                List.of("DNS:EXAMPLE.com"), List.of(), leaf("a.Example.COM"));
        nc("nc-dns-empty-permitted-matches-all", "intermediate permits DNS: (empty); SAN a.other.test", false,
                List.of("DNS:"), List.of(), leaf("a.other.test"));
        nc("nc-dns-empty-excluded-excludes-all", "intermediate excludes DNS: (empty); SAN a.example.com", false,
                List.of(), List.of("DNS:"), leaf("a.example.com"));
        nc("nc-dns-permitted-and-excluded-inside-both",
                "intermediate permits DNS:example.com, excludes DNS:bad.example.com; SAN x.bad.example.com", false,
                List.of("DNS:example.com"), List.of("DNS:bad.example.com"), leaf("x.bad.example.com"));
        nc("nc-dns-constraint-ip-san-unconstrained",
                "intermediate permits DNS:example.com; SANs a.example.com and IP 192.0.2.1 (no IP constraint)",
                false, List.of("DNS:example.com"), List.of(), leaf("a.example.com").ip("192.0.2.1"));
        nc("nc-dns-noncritical-still-enforced",
                "intermediate permits DNS:example.com, extension NOT critical; SAN a.other.test", false,
                List.of("DNS:example.com"), List.of(), leaf("a.other.test"), b -> b.critical("nameConstraints", false));
        // the common-name fallback
        nc("nc-cn-hostlike-no-san-violation", "root permits DNS:example.com; no SAN, CN evil.test", true,
                List.of("DNS:example.com"), List.of(), Certs.leaf("evil.test").extendedKeyUsage("serverAuth", "clientAuth"));
        nc("nc-cn-hostlike-no-san-match", "root permits DNS:example.com; no SAN, CN a.example.com", true,
                List.of("DNS:example.com"), List.of(),
                Certs.leaf("a.example.com").extendedKeyUsage("serverAuth", "clientAuth"));
        nc("nc-cn-not-hostlike-no-san-ok", "root permits DNS:example.com; no SAN, CN 'John Smith'", true,
                List.of("DNS:example.com"), List.of(), Certs.leaf("John Smith").extendedKeyUsage("serverAuth", "clientAuth"));
        nc("nc-cn-violates-but-dns-san-matches", "root permits DNS:example.com; SAN a.example.com, CN evil.test",
                true, List.of("DNS:example.com"), List.of(),
                Certs.leaf("evil.test").dns("a.example.com").extendedKeyUsage("serverAuth", "clientAuth"));
        nc("nc-cn-excluded-no-san-violation", "intermediate excludes DNS:evil.test; no SAN, CN evil.test", false,
                List.of(), List.of("DNS:evil.test"), Certs.leaf("evil.test").extendedKeyUsage("serverAuth", "clientAuth"));
        nc("nc-cn-hostlike-ip-san-only", "intermediate permits DNS:example.com; only an IP SAN, CN evil.test", false,
                List.of("DNS:example.com"), List.of(),
                Certs.leaf("evil.test").ip("192.0.2.1").extendedKeyUsage("serverAuth", "clientAuth"));
        // IP
        nc("nc-ipv4-permitted-in-range", "intermediate permits IP:192.0.2.0/24; SAN IP 192.0.2.10", false,
                List.of("IP:192.0.2.0/24"), List.of(), leaf("a.example.com").ip("192.0.2.10"));
        nc("nc-ipv4-permitted-out-of-range", "intermediate permits IP:192.0.2.0/24; SAN IP 198.51.100.7", false,
                List.of("IP:192.0.2.0/24"), List.of(), leaf("a.example.com").ip("198.51.100.7"));
        nc("nc-ipv4-permitted-mask-form-match", "root permits IP:192.0.2.0/255.255.255.0; SAN IP 192.0.2.99", true,
                List.of("IP:192.0.2.0/255.255.255.0"), List.of(), leaf("a.example.com").ip("192.0.2.99"));
        nc("nc-ipv4-excluded-in-range", "intermediate excludes IP:192.0.2.0/24; SAN IP 192.0.2.10", false,
                List.of(), List.of("IP:192.0.2.0/24"), leaf("a.example.com").ip("192.0.2.10"));
        nc("nc-ipv4-excluded-out-of-range-ok", "intermediate excludes IP:192.0.2.0/24; SAN IP 198.51.100.7", false,
                List.of(), List.of("IP:192.0.2.0/24"), leaf("a.example.com").ip("198.51.100.7"));
        nc("nc-ipv6-permitted-in-range", "intermediate permits IP:2001:db8::/32; SAN IP 2001:db8::1", false,
                List.of("IP:2001:db8::/32"), List.of(), leaf("a.example.com").ip("2001:db8::1"));
        nc("nc-ipv6-permitted-out-of-range", "intermediate permits IP:2001:db8::/32; SAN IP 2001:db9::1", false,
                List.of("IP:2001:db8::/32"), List.of(), leaf("a.example.com").ip("2001:db9::1"));
        nc("nc-ipv6-excluded-in-range", "root excludes IP:2001:db8::/32; SAN IP 2001:db8:1::5", true,
                List.of(), List.of("IP:2001:db8::/32"), leaf("a.example.com").ip("2001:db8:1::5"));
        nc("nc-ipv6-excluded-out-of-range-ok", "intermediate excludes IP:2001:db8::/32; SAN IP 2001:db9::1", false,
                List.of(), List.of("IP:2001:db8::/32"), leaf("a.example.com").ip("2001:db9::1"));
        nc("nc-ipv4-san-against-ipv6-only-permitted",
                "intermediate permits only IP:2001:db8::/32; SAN IP 192.0.2.10", false,
                List.of("IP:2001:db8::/32"), List.of(), leaf("a.example.com").ip("192.0.2.10"));
        // email
        nc("nc-email-host-match", "intermediate permits email:example.com; SAN user@example.com", false,
                List.of("email:example.com"), List.of(), leaf("a.example.com").email("user@example.com"));
        nc("nc-email-host-subdomain-violation", "intermediate permits email:example.com; SAN user@sub.example.com",
                false, List.of("email:example.com"), List.of(), leaf("a.example.com").email("user@sub.example.com"));
        nc("nc-email-domain-match", "intermediate permits email:.example.com; SAN user@sub.example.com", false,
                List.of("email:.example.com"), List.of(), leaf("a.example.com").email("user@sub.example.com"));
        nc("nc-email-mailbox-match", "intermediate permits email:user@example.com; SAN user@example.com", false,
                List.of("email:user@example.com"), List.of(), leaf("a.example.com").email("user@example.com"));
        nc("nc-email-mailbox-violation", "intermediate permits email:user@example.com; SAN other@example.com", false,
                List.of("email:user@example.com"), List.of(), leaf("a.example.com").email("other@example.com"));
        nc("nc-email-excluded-violation", "intermediate excludes email:example.com; SAN user@example.com", false,
                List.of(), List.of("email:example.com"), leaf("a.example.com").email("user@example.com"));
        nc("nc-email-subject-emailaddress-violation",
                "intermediate permits email:example.com; subject emailAddress=user@other.test, no email SAN", false,
                List.of("email:example.com"), List.of(),
                leaf("a.example.com").subject("/emailAddress=user@other.test/CN=a.example.com"));
        // URI
        nc("nc-uri-domain-match", "intermediate permits URI:.example.com; SAN https://a.example.com/path", false,
                List.of("URI:.example.com"), List.of(), leaf("a.example.com").uri("https://a.example.com/path"));
        nc("nc-uri-domain-violation", "intermediate permits URI:.example.com; SAN https://other.test/", false,
                List.of("URI:.example.com"), List.of(), leaf("a.example.com").uri("https://other.test/"));
        nc("nc-uri-host-match", "intermediate permits URI:example.com; SAN https://example.com:8443/x", false,
                List.of("URI:example.com"), List.of(), leaf("a.example.com").uri("https://example.com:8443/x"));
        nc("nc-uri-excluded-violation", "intermediate excludes URI:.example.com; SAN https://a.example.com/", false,
                List.of(), List.of("URI:.example.com"), leaf("a.example.com").uri("https://a.example.com/"));
        // directoryName
        nc("nc-dirname-permitted-match", "intermediate permits dirName:/O=Good; subject /O=Good/CN=a.example.com",
                false, List.of("dirName:/O=Good"), List.of(), leaf("a.example.com").subject("/O=Good/CN=a.example.com"));
        nc("nc-dirname-permitted-violation", "intermediate permits dirName:/O=Good; subject /O=Bad/CN=a.example.com",
                false, List.of("dirName:/O=Good"), List.of(), leaf("a.example.com").subject("/O=Bad/CN=a.example.com"));
        nc("nc-dirname-excluded-violation",
                "intermediate excludes dirName:/O=Bad; subject /O=Bad/OU=x/CN=a.example.com", false,
                List.of(), List.of("dirName:/O=Bad"), leaf("a.example.com").subject("/O=Bad/OU=x/CN=a.example.com"));
        dirNameOnRoot();
        // constraints on both the root and the intermediate
        bothConstrained("nc-root-and-inter-both-match",
                "root permits DNS:example.com, intermediate DNS:.a.example.com; SAN x.a.example.com", "x.a.example.com");
        bothConstrained("nc-root-and-inter-root-violation",
                "root permits DNS:example.com, intermediate DNS:.a.example.com; SAN x.a.other.test"
                        + " (intermediate permits .a.other.test too)", "x.a.other.test");
        bothConstrained("nc-root-and-inter-inter-violation",
                "root permits DNS:example.com, intermediate DNS:.a.example.com; SAN b.example.com", "b.example.com");
        // raw subtrees: minimum/maximum, unsupported types
        rawNc("nc-subtree-minimum-set", "intermediate permits DNS:example.com with minimum 1 (RFC 5280: must be 0)",
                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "example.com"),
                        BigInteger.ONE, null)}, null, leaf("a.example.com"));
        rawNc("nc-subtree-maximum-set", "intermediate permits DNS:example.com with maximum 2 (RFC 5280: absent)",
                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "example.com"),
                        BigInteger.ZERO, BigInteger.TWO)}, null, leaf("a.example.com"));
        rawNc("nc-unsupported-registeredid-constraint-dns-san",
                "intermediate permits RID:1.2.3.4 (unsupported type); leaf has only a DNS SAN",
                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.registeredID, "1.2.3.4"))}, null,
                leaf("a.example.com"));
        rawNc("nc-unsupported-registeredid-constraint-rid-san",
                "intermediate permits RID:1.2.3.4 (unsupported type); leaf SAN registeredID 1.2.3.4",
                new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.registeredID, "1.2.3.4"))}, null,
                Certs.leaf("a.example.com").extendedKeyUsage("serverAuth", "clientAuth").extension("subjectAltName",
                        false, der(new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName,
                                "a.example.com"), new GeneralName(GeneralName.registeredID, "1.2.3.4")}))));
        GeneralName upn = new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
                new ASN1ObjectIdentifier(UPN_OID), new DERTaggedObject(true, 0, new DERUTF8String("user@example.com"))}));
        rawNc("nc-unsupported-othername-constraint",
                "intermediate permits otherName UPN user@example.com (unsupported type); leaf SAN otherName UPN",
                new GeneralSubtree[] {new GeneralSubtree(upn)}, null,
                Certs.leaf("a.example.com").extendedKeyUsage("serverAuth", "clientAuth").extension("subjectAltName",
                        false, der(new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName,
                                "a.example.com"), upn}))));
        selfIssuedIntermediate();
        nc("nc-on-leaf-is-not-applied", "the leaf itself carries nameConstraints permitting DNS:other.test", false,
                List.of("DNS:example.com"), List.of(),
                leaf("a.example.com").nameConstraints(List.of("DNS:other.test"), List.of()));
        workLimit();
    }

    private void dirNameOnRoot() {
        HeldCertificate root = Certs.ca("nc-dirname-root").subject("/O=Good/CN=nc-dirname-root")
                .nameConstraints(List.of("dirName:/O=Good"), List.of()).build();
        HeldCertificate okInter = Certs.intermediate("x").subject("/O=Good/CN=nc-dirname-root inter").signedBy(root)
                .build();
        HeldCertificate leaf = leaf("a.example.com").subject("/O=Good/CN=a.example.com").signedBy(okInter).build();
        add("nc-dirname-root-match-intermediate-and-leaf",
                "name-constraints: root permits dirName:/O=Good; intermediate and leaf subjects are under O=Good")
                .send(leaf, okInter).trust(root).done();
        HeldCertificate badInter = Certs.intermediate("x").subject("/O=Other/CN=nc-dirname-root inter").signedBy(root)
                .build();
        leaf = leaf("a.example.com").subject("/O=Good/CN=a.example.com").signedBy(badInter).build();
        add("nc-dirname-root-intermediate-subject-violation",
                "name-constraints: root permits dirName:/O=Good; intermediate subject O=Other, leaf under O=Good")
                .send(leaf, badInter).trust(root).done();
    }

    private void bothConstrained(String name, String rule, String san) {
        HeldCertificate root = Certs.ca(name + " root").nameConstraints(List.of("DNS:example.com"), List.of()).build();
        HeldCertificate inter = Certs.intermediate(name + " inter")
                .nameConstraints(List.of("DNS:.a.example.com", "DNS:.a.other.test"), List.of()).signedBy(root).build();
        HeldCertificate leaf = leaf(san).signedBy(inter).build();
        add(name, "name-constraints: " + rule).send(leaf, inter).trust(root).done();
    }

    private void selfIssuedIntermediate() {
        String dn = "/O=Root Org/CN=nc-self-issued root";
        HeldCertificate root = Certs.ca("x").subject(dn).nameConstraints(List.of("dirName:/O=Good"), List.of())
                .build();
        HeldCertificate selfIssued = Certs.intermediate("x").subject(dn).signedBy(root).build(); // key rollover
        HeldCertificate leaf = leaf("a.example.com").subject("/O=Good/CN=a.example.com").signedBy(selfIssued).build();
        add("nc-self-issued-intermediate-exempt",
                "name-constraints: root permits dirName:/O=Good; a self-issued intermediate (subject = issuer = the"
                        + " root's, outside O=Good, new key) is exempt; leaf under O=Good")
                .send(leaf, selfIssued).trust(root).done();
    }

    private void workLimit() {
        List<String> subtrees = new ArrayList<>();
        subtrees.add("DNS:example.com");
        for (int i = 1; i < 1000; i++) {
            subtrees.add("DNS:other-" + i + ".test");
        }
        HeldCertificate root = Certs.ca("nc-work-limit root").nameConstraints(subtrees, List.of()).build();
        HeldCertificate inter = Certs.intermediate("nc-work-limit inter").signedBy(root).build();
        Certs.Builder lb = Certs.leaf("h0.example.com").extendedKeyUsage("serverAuth", "clientAuth");
        for (int i = 0; i < 1100; i++) {
            lb.dns("h" + i + ".example.com");
        }
        HeldCertificate leaf = lb.signedBy(inter).build();
        add("nc-work-limit-names-times-subtrees",
                "name-constraints: 1100 SANs x 1000 permitted subtrees > 2^20 (every SAN is permitted by"
                        + " DNS:example.com)").send(leaf, inter).trust(root).tooLarge().done();
    }

    private void nc(String name, String rule, boolean onRoot, List<String> permitted, List<String> excluded,
            Certs.Builder leaf) {
        nc(name, rule, onRoot, permitted, excluded, leaf, b -> b);
    }

    private void nc(String name, String rule, boolean onRoot, List<String> permitted, List<String> excluded,
            Certs.Builder leaf, UnaryOperator<Certs.Builder> more) {
        UnaryOperator<Certs.Builder> constrained = b -> more.apply(b.nameConstraints(permitted, excluded));
        Chain c = chain(name, onRoot ? constrained : r -> r, onRoot ? i -> i : constrained, leaf);
        std(name, "name-constraints: " + rule, c);
    }

    private void rawNc(String name, String rule, GeneralSubtree[] permitted, GeneralSubtree[] excluded,
            Certs.Builder leaf) {
        byte[] value = der(new NameConstraints(permitted, excluded));
        Chain c = chain(name, r -> r, i -> i.extension("nameConstraints", true, value), leaf);
        std(name, "name-constraints: " + rule, c);
    }

    // ---- critical extensions ----

    private void criticalExtensions() {
        byte[] nul = der(DERNull.INSTANCE);
        Chain c = chain("crit-leaf", r -> r, i -> i, leaf().extension(UNKNOWN_OID, true, nul));
        std("crit-unknown-on-leaf", "critical-extensions: unknown critical extension on the leaf", c);
        c = chain("crit-inter", r -> r, i -> i.extension(UNKNOWN_OID, true, nul), leaf());
        std("crit-unknown-on-intermediate", "critical-extensions: unknown critical extension on the intermediate", c);
        c = chain("crit-root", r -> r.extension(UNKNOWN_OID, true, nul), i -> i, leaf());
        std("crit-unknown-on-root", "critical-extensions: unknown critical extension on the trusted root", c);
        c = chain("noncrit-unknown", r -> r, i -> i.extension(UNKNOWN_OID, false, nul),
                leaf().extension(UNKNOWN_OID, false, nul));
        std("crit-unknown-noncritical-ok", "critical-extensions: unknown NON-critical extension on leaf and"
                + " intermediate", c);
        c = chain("crit-eku", r -> r, i -> i, leaf().critical("extendedKeyUsage", true));
        std("crit-known-eku-critical", "critical-extensions: leaf extendedKeyUsage marked critical", c);
        c = chain("crit-san", r -> r, i -> i, leaf().critical("subjectAltName", true));
        std("crit-known-san-critical", "critical-extensions: leaf subjectAltName marked critical", c);
        byte[] crldp = der(new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "http://crl.example.com/x.crl"))),
                null, null)}));
        c = chain("crit-crldp", r -> r, i -> i, leaf().extension("crlDistributionPoints", true, crldp));
        std("crit-known-crl-distribution-points-critical", "critical-extensions: leaf crlDistributionPoints critical",
                c);
        byte[] policyConstraints = der(new PolicyConstraints(null, BigInteger.ZERO));
        c = chain("crit-policy-constraints", r -> r, i -> i.extension("policyConstraints", true, policyConstraints),
                leaf());
        std("crit-known-policy-constraints-critical",
                "critical-extensions: intermediate policyConstraints (inhibitPolicyMapping 0) critical", c);
        byte[] anyPolicy = der(new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier("2.5.29.32.0"))));
        c = chain("crit-policies", r -> r, i -> i, leaf().extension("certificatePolicies", true, anyPolicy));
        std("crit-known-certificate-policies-critical", "critical-extensions: leaf certificatePolicies anyPolicy"
                + " critical", c);
        byte[] nsCertType = der(new DERBitString(new byte[] {(byte) 0xc0}, 6)); // sslClient | sslServer
        c = chain("crit-ns", r -> r, i -> i, leaf().extension("nsCertType", true, nsCertType));
        std("crit-known-netscape-cert-type-critical",
                "critical-extensions: leaf netscape cert type (SSL client + server) critical", c);
        c = chain("crit-akid", r -> r, i -> i, leaf().critical("authorityKeyIdentifier", true));
        std("crit-known-akid-critical", "critical-extensions: leaf authorityKeyIdentifier critical", c);
        c = chain("crit-skid", r -> r, i -> i, leaf().critical("subjectKeyIdentifier", true));
        std("crit-known-skid-critical", "critical-extensions: leaf subjectKeyIdentifier critical", c);
        c = chain("crit-aia", r -> r, i -> i, leaf().ocsp("http://ocsp.example.com/").critical("authorityInfoAccess",
                true));
        std("crit-known-aia-critical", "critical-extensions: leaf authorityInfoAccess critical", c);
        c = chain("crit-ku-noncritical", r -> r, i -> i, leaf().critical("keyUsage", false));
        std("crit-keyusage-noncritical-ok", "critical-extensions: leaf keyUsage NOT critical", c);
    }

    // ---- basicConstraints ----

    private void basicConstraints() {
        Chain c = chain("bc-no-bc", r -> r, i -> i.withoutExtension("basicConstraints"), leaf());
        std("bc-inter-without-bc-with-keycertsign",
                "basic-constraints: intermediate without basicConstraints, keyUsage keyCertSign", c);
        c = chain("bc-no-bc-no-ku", r -> r, i -> i.withoutExtension("basicConstraints").keyUsage("digitalSignature"),
                leaf());
        std("bc-inter-without-bc-without-keycertsign",
                "basic-constraints: intermediate without basicConstraints, keyUsage digitalSignature only", c);
        c = chain("bc-inter-ca-false", r -> r, i -> i.basicConstraints(false), leaf());
        std("bc-inter-ca-false", "basic-constraints: intermediate CA:FALSE (keyUsage keyCertSign kept)", c);
        c = chain("bc-leaf-ca-true", r -> r, i -> i, leaf().basicConstraints(true));
        std("bc-leaf-ca-true", "basic-constraints: leaf CA:TRUE", c);
        c = chain("bc-inter-noncrit", r -> r, i -> i.critical("basicConstraints", false), leaf());
        std("bc-inter-bc-not-critical", "basic-constraints: intermediate CA:TRUE not critical", c);
        c = chain("bc-root-pathlen0", r -> r.pathLength(0), i -> i, leaf());
        std("bc-root-pathlen0-exceeded", "basic-constraints: root pathLen 0 with an intermediate below it", c);
        c = chain("bc-inter-pathlen0-ok", r -> r, i -> i.pathLength(0), leaf());
        std("bc-inter-pathlen0-ok", "basic-constraints: intermediate pathLen 0 directly above the leaf", c);
        HeldCertificate root = Certs.ca("bc-inter-pathlen0-exceeded root").build();
        HeldCertificate i1 = Certs.intermediate("bc-inter-pathlen0-exceeded i1").pathLength(0).signedBy(root).build();
        HeldCertificate i2 = Certs.intermediate("bc-inter-pathlen0-exceeded i2").signedBy(i1).build();
        add("bc-inter-pathlen0-exceeded", "basic-constraints: intermediate pathLen 0 with another intermediate below")
                .send(leaf().signedBy(i2).build(), i2, i1).trust(root).done();
        root = Certs.ca("bc-root-pathlen1 root").pathLength(1).build();
        i1 = Certs.intermediate("bc-root-pathlen1 i1").signedBy(root).build();
        add("bc-root-pathlen1-one-inter-ok", "basic-constraints: root pathLen 1 with one intermediate")
                .send(leaf().signedBy(i1).build(), i1).trust(root).done();
        i2 = Certs.intermediate("bc-root-pathlen1 i2").signedBy(i1).build();
        add("bc-root-pathlen1-two-inters-exceeded", "basic-constraints: root pathLen 1 with two intermediates")
                .send(leaf().signedBy(i2).build(), i2, i1).trust(root).done();
        c = chain("bc-v1-root", r -> r.version1(), i -> i, leaf());
        std("bc-v1-root", "basic-constraints: trusted root is an X.509 v1 certificate (no extensions)", c);
        c = chain("bc-v1-inter", r -> r, i -> i.version1(), leaf());
        std("bc-v1-intermediate", "basic-constraints: intermediate is an X.509 v1 certificate (no extensions)", c);
        c = chain("bc-root-no-bc", r -> r.withoutExtension("basicConstraints"), i -> i, leaf());
        std("bc-root-without-bc-keycertsign", "basic-constraints: root without basicConstraints, keyUsage keyCertSign",
                c);
        c = chain("bc-root-ca-false", r -> r.basicConstraints(false), i -> i, leaf());
        std("bc-root-ca-false", "basic-constraints: trusted root CA:FALSE (keyUsage keyCertSign kept)", c);
    }

    // ---- keyUsage ----

    private void keyUsage() {
        Chain c = chain("ku-inter", r -> r, i -> i.keyUsage("digitalSignature", "cRLSign"), leaf());
        std("ku-inter-without-keycertsign", "key-usage: intermediate keyUsage digitalSignature, cRLSign (no"
                + " keyCertSign)", c);
        c = chain("ku-root", r -> r.keyUsage("digitalSignature", "cRLSign"), i -> i, leaf());
        std("ku-root-without-keycertsign", "key-usage: trusted root keyUsage without keyCertSign", c);
        c = chain("ku-inter-none", r -> r, i -> i.withoutExtension("keyUsage"), leaf());
        std("ku-inter-without-keyusage", "key-usage: intermediate CA:TRUE without keyUsage", c);
        c = chain("ku-leaf-certsign", r -> r, i -> i, leaf().keyUsage("keyCertSign"));
        std("ku-leaf-only-keycertsign", "key-usage: leaf keyUsage keyCertSign only", c);
        c = chain("ku-leaf-agreement", r -> r, i -> i, leaf().keyUsage("keyAgreement"));
        std("ku-leaf-only-keyagreement", "key-usage: EC leaf keyUsage keyAgreement only", c);
        c = chain("ku-leaf-encipher", r -> r, i -> i, leaf().keyUsage("keyEncipherment"));
        std("ku-leaf-without-digitalsignature", "key-usage: EC leaf keyUsage keyEncipherment only (no"
                + " digitalSignature)", c);
        c = chain("ku-leaf-nonrep", r -> r, i -> i, leaf().keyUsage("nonRepudiation"));
        std("ku-leaf-only-nonrepudiation", "key-usage: leaf keyUsage nonRepudiation only", c);
        c = chain("ku-leaf-none", r -> r, i -> i, leaf().withoutExtension("keyUsage"));
        std("ku-leaf-without-keyusage", "key-usage: leaf without keyUsage", c);
        c = chain("ku-crl", r -> r, i -> i.keyUsage("keyCertSign", "digitalSignature"), leaf());
        add("ku-crl-issuer-without-crlsign",
                "key-usage: the intermediate signs the leaf's CRL but its keyUsage lacks cRLSign")
                .send(c.leaf, c.inter).trust(c.root).crl(Crls.create(c.root, List.of()), Crls.create(c.inter, List.of()))
                .done();
    }

    // ---- extended key usage ----

    private void extendedKeyUsage() {
        Chain c = chain("eku-leaf-any", r -> r, i -> i, leaf().extendedKeyUsage("anyExtendedKeyUsage"));
        std("eku-leaf-any-only", "eku: leaf EKU anyExtendedKeyUsage only", c);
        c = chain("eku-leaf-codesign", r -> r, i -> i, leaf().extendedKeyUsage("codeSigning"));
        std("eku-leaf-codesigning-only", "eku: leaf EKU codeSigning only", c);
        c = chain("eku-leaf-server", r -> r, i -> i, leaf().extendedKeyUsage("serverAuth"));
        std("eku-leaf-serverauth-only", "eku: leaf EKU serverAuth only (a client chain needs clientAuth)", c);
        c = chain("eku-leaf-client", r -> r, i -> i, leaf().extendedKeyUsage("clientAuth"));
        std("eku-leaf-clientauth-only", "eku: leaf EKU clientAuth only (a server chain needs serverAuth)", c);
        c = chain("eku-inter-client", r -> r, i -> i.extendedKeyUsage("clientAuth"), leaf());
        std("eku-inter-clientauth-only", "eku: intermediate EKU clientAuth only", c);
        c = chain("eku-inter-server", r -> r, i -> i.extendedKeyUsage("serverAuth"), leaf());
        std("eku-inter-serverauth-only", "eku: intermediate EKU serverAuth only", c);
        c = chain("eku-inter-any", r -> r, i -> i.extendedKeyUsage("anyExtendedKeyUsage"), leaf());
        std("eku-inter-any-only", "eku: intermediate EKU anyExtendedKeyUsage only", c);
        c = chain("eku-inter-both", r -> r, i -> i.extendedKeyUsage("serverAuth", "clientAuth"), leaf());
        std("eku-inter-server-and-client", "eku: intermediate EKU serverAuth + clientAuth", c);
        c = chain("eku-root-codesign", r -> r.extendedKeyUsage("codeSigning"), i -> i, leaf());
        std("eku-root-codesigning-only", "eku: trusted root EKU codeSigning only (mismatch for both purposes)", c);
        c = chain("eku-root-server", r -> r.extendedKeyUsage("serverAuth"), i -> i, leaf());
        std("eku-root-serverauth-only", "eku: trusted root EKU serverAuth only", c);
    }

    // ---- validity ----

    private void validity() {
        Map<String, UnaryOperator<Certs.Builder>> windows = Map.of("expired", Certs.Builder::expired,
                "not-yet-valid", Certs.Builder::notYetValid);
        for (String w : List.of("expired", "not-yet-valid")) {
            UnaryOperator<Certs.Builder> f = windows.get(w);
            Chain c = chain("validity-leaf-" + w, r -> r, i -> i, f.apply(leaf()));
            std("validity-leaf-" + w, "validity: leaf " + w, c);
            c = chain("validity-inter-" + w, r -> r, f, leaf());
            std("validity-inter-" + w, "validity: intermediate " + w, c);
            c = chain("validity-root-" + w, f, i -> i, leaf());
            std("validity-root-" + w, "validity: trusted root " + w, c);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Chain c = chain("validity-leaf-outlives-issuer", r -> r, i -> i.validity(now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(2))), leaf().validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(400))));
        std("validity-leaf-outlives-intermediate", "validity: leaf valid longer than its intermediate (both valid now)",
                c);
    }

    // ---- signatures and issuers ----

    private void signatures() {
        Chain c = chain("sig-leaf", r -> r, i -> i, leaf());
        add("sig-leaf-corrupted", "signatures: a bit of the leaf's signature flipped").sendRaw(corrupt(c.leaf.certificate()),
                c.leaf.privateKey(), c.inter).trust(c.root).done();
        c = chain("sig-inter", r -> r, i -> i, leaf());
        add("sig-intermediate-corrupted", "signatures: a bit of the intermediate's signature flipped")
                .sendRaw(c.leaf.certificate(), c.leaf.privateKey(), corrupt(c.inter.certificate())).trust(c.root).done();
        c = chain("sig-root", r -> r, i -> i, leaf());
        add("sig-root-self-signature-corrupted",
                "signatures: a bit of the trusted root's self-signature flipped (trust anchors' own signatures)")
                .send(c.leaf, c.inter).trust(corrupt(c.root.certificate())).done();
        c = chain("sig-issuer-name", r -> r, i -> i, leaf().issuerName("/CN=Someone Else"));
        std("sig-issuer-name-mismatch", "signatures: leaf issuer field names a CA that is not there (signed by the"
                + " intermediate)", c);
        c = chain("sig-impostor", r -> r, i -> i, leaf());
        HeldCertificate impostor = Certs.intermediate(c.inter.certificate().getSubjectX500Principal().getName())
                .subject(c.inter.certificate().getSubjectX500Principal().getName()).signedBy(c.root).build();
        HeldCertificate leaf = leaf().signedBy(impostor).build();
        add("sig-leaf-signed-by-other-key-same-name",
                "signatures: leaf signed by another key under the intermediate's name (AKID names that key)")
                .send(leaf, c.inter).trust(c.root).done();
        leaf = leaf().withoutExtension("authorityKeyIdentifier").signedBy(impostor).build();
        add("sig-leaf-signed-by-other-key-same-name-no-akid",
                "signatures: leaf signed by another key under the intermediate's name, no AKID")
                .send(leaf, c.inter).trust(c.root).done();
        c = chain("sig-akid", r -> r, i -> i, leaf().authorityKeyIdentifier(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        std("sig-akid-mismatch", "signatures: leaf authorityKeyIdentifier does not match the intermediate's SKID", c);
        c = chain("sig-no-ids", r -> r.withoutExtension("subjectKeyIdentifier").withoutExtension("authorityKeyIdentifier"),
                i -> i.withoutExtension("subjectKeyIdentifier").withoutExtension("authorityKeyIdentifier"),
                leaf().withoutExtension("subjectKeyIdentifier").withoutExtension("authorityKeyIdentifier"));
        std("sig-no-key-identifiers", "signatures: no certificate has subject or authority key identifiers", c);
        c = chain("sig-inter-sha384", r -> r.keyType(KeyType.EC_P384), i -> i.signatureAlgorithm("SHA384withECDSA"),
                leaf().signatureAlgorithm("SHA384withECDSA"));
        std("sig-ecdsa-sha384", "signatures: ECDSA with SHA-384 throughout", c);
    }

    // ---- weak keys and hashes ----

    private void weakCrypto() {
        Chain c = chain("weak-leaf-1024", r -> r, i -> i, leaf().keyPair(rsa1024));
        std("weak-leaf-rsa1024", "weak-crypto: leaf RSA-1024 key", c);
        c = chain("weak-leaf-768", r -> r, i -> i, leaf().keyPair(rsa768));
        std("weak-leaf-rsa768", "weak-crypto: leaf RSA-768 key", c);
        c = chain("weak-inter-1024", r -> r, i -> i.keyPair(rsa1024), leaf());
        std("weak-inter-rsa1024", "weak-crypto: intermediate RSA-1024 key", c);
        c = chain("weak-inter-512", r -> r, i -> i.keyPair(rsa512), leaf());
        std("weak-inter-rsa512", "weak-crypto: intermediate RSA-512 key", c);
        c = chain("weak-root-1024", r -> r.keyPair(rsa1024), i -> i, leaf());
        std("weak-root-rsa1024", "weak-crypto: trusted root RSA-1024 key", c);
        c = chain("weak-leaf-sha1", r -> r, i -> i, leaf().signatureAlgorithm("SHA1withECDSA"));
        std("weak-leaf-sha1-signature", "weak-crypto: leaf signed with ECDSA SHA-1", c);
        c = chain("weak-inter-sha1", r -> r, i -> i.signatureAlgorithm("SHA1withECDSA"), leaf());
        std("weak-inter-sha1-signature", "weak-crypto: intermediate signed with ECDSA SHA-1", c);
        c = chain("weak-leaf-md5", r -> r.keyPair(rsaRoot), i -> i.keyPair(rsaInter),
                leaf().keyPair(rsaLeaf).signatureAlgorithm("MD5withRSA"));
        std("weak-leaf-md5-signature", "weak-crypto: leaf signed with RSA MD5", c);
        c = chain("weak-inter-md5", r -> r.keyPair(rsaRoot), i -> i.keyPair(rsaInter).signatureAlgorithm("MD5withRSA"),
                leaf().keyPair(rsaLeaf));
        std("weak-inter-md5-signature", "weak-crypto: intermediate signed with RSA MD5", c);
        c = chain("weak-leaf-rsa-sha1", r -> r.keyPair(rsaRoot), i -> i.keyPair(rsaInter),
                leaf().keyPair(rsaLeaf).signatureAlgorithm("SHA1withRSA"));
        std("weak-leaf-rsa-sha1-signature", "weak-crypto: leaf signed with RSA SHA-1", c);
        c = chain("weak-root-sha1", r -> r.signatureAlgorithm("SHA1withECDSA"), i -> i, leaf());
        std("weak-root-sha1-self-signature", "weak-crypto: trusted root self-signed with ECDSA SHA-1", c);
    }

    // ---- CRLs ----

    private void crls() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Chain c = chain("crl-leaf-revoked", r -> r, i -> i, leaf());
        add("crl-leaf-revoked", "crl: the intermediate's CRL lists the leaf").send(c.leaf, c.inter).trust(c.root)
                .crl(Crls.create(c.root, List.of()), Crls.create(c.inter, List.of(c.leaf.serial()))).done();
        c = chain("crl-inter-revoked", r -> r, i -> i, leaf());
        add("crl-intermediate-revoked", "crl: the root's CRL lists the intermediate").send(c.leaf, c.inter)
                .trust(c.root).crl(Crls.create(c.root, List.of(c.inter.serial())), Crls.create(c.inter, List.of()))
                .done();
        c = chain("crl-leaf-revoked-other-serial", r -> r, i -> i, leaf());
        add("crl-other-serial-revoked-ok", "crl: the intermediate's CRL lists another serial only")
                .send(c.leaf, c.inter).trust(c.root)
                .crl(Crls.create(c.root, List.of()), Crls.create(c.inter, List.of(BigInteger.valueOf(4242)))).done();
        c = chain("crl-missing", r -> r, i -> i, leaf());
        add("crl-missing-for-intermediate-issuer", "crl: only the root's CRL is given (none from the intermediate)")
                .send(c.leaf, c.inter).trust(c.root).crl(Crls.create(c.root, List.of())).done();
        c = chain("crl-missing-root", r -> r, i -> i, leaf());
        add("crl-missing-for-root-issuer", "crl: only the intermediate's CRL is given (none from the root)")
                .send(c.leaf, c.inter).trust(c.root).crl(Crls.create(c.inter, List.of())).done();
        c = chain("crl-expired", r -> r, i -> i, leaf());
        add("crl-expired", "crl: the intermediate's CRL nextUpdate is a day ago").send(c.leaf, c.inter).trust(c.root)
                .crl(Crls.create(c.root, List.of()), Crls.create(c.inter, Map.of(), BigInteger.ONE,
                        now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(1)))).done();
        c = chain("crl-not-yet", r -> r, i -> i, leaf());
        add("crl-not-yet-valid", "crl: the intermediate's CRL thisUpdate is a day from now").send(c.leaf, c.inter)
                .trust(c.root).crl(Crls.create(c.root, List.of()), Crls.create(c.inter, Map.of(), BigInteger.ONE,
                        now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(31)))).done();
        c = chain("crl-bad-sig", r -> r, i -> i, leaf());
        add("crl-bad-signature", "crl: a bit of the intermediate's CRL signature flipped").send(c.leaf, c.inter)
                .trust(c.root).crl(Crls.create(c.root, List.of()), corrupt(Crls.create(c.inter, List.of()))).done();
        c = chain("crl-forged", r -> r, i -> i, leaf());
        HeldCertificate forger = Certs.intermediate("x").subject(c.inter.certificate().getSubjectX500Principal()
                .getName()).signedBy(c.root).build();
        add("crl-signed-by-other-key-same-name",
                "crl: the intermediate's CRL is signed by another key under its name (AKID names that key)")
                .send(c.leaf, c.inter).trust(c.root).crl(Crls.create(c.root, List.of()), Crls.create(forger, List.of()))
                .done();
        c = chain("crl-direct", r -> r, null, leaf());
        add("crl-root-leaf-revoked", "crl: root -> leaf, the root's CRL lists the leaf").send(c.leaf).trust(c.root)
                .crl(Crls.create(c.root, List.of(c.leaf.serial()))).done();
    }

    // ---- path building ----

    private void pathBuilding() {
        HeldCertificate root = Certs.ca("path root").build();
        HeldCertificate i1 = Certs.intermediate("path inter 1").signedBy(root).build();
        HeldCertificate i2 = Certs.intermediate("path inter 2").signedBy(i1).build();
        HeldCertificate leaf = leaf().signedBy(i2).build();
        HeldCertificate unrelated = Certs.ca("path unrelated").build();
        add("path-out-of-order-intermediates", "path-building: intermediates sent top first (leaf, inter1, inter2)")
                .send(leaf, i1, i2).trust(root).done();
        add("path-extra-unrelated-certificates", "path-building: an unrelated CA and leaf sent among the chain")
                .send(leaf, unrelated, i2, Certs.server("other.example.com").signedBy(unrelated).build(), i1)
                .trust(root).done();
        add("path-duplicate-intermediates", "path-building: each intermediate sent twice").send(leaf, i2, i2, i1, i1)
                .trust(root).done();
        add("path-root-sent-and-trusted", "path-building: the trusted root sent too").send(leaf, i2, i1, root)
                .trust(root).done();
        add("path-root-sent-not-trusted", "path-building: a self-signed root sent but not in ca (ca holds another CA)")
                .send(leaf, i2, i1, root).trust(unrelated).done();
        add("path-missing-intermediate", "path-building: the upper intermediate is not sent").send(leaf, i2)
                .trust(root).done();
        add("path-leaf-only-sent", "path-building: only the leaf is sent, its issuers are not trusted")
                .send(leaf).trust(root).done();
        add("path-ca-intermediate-only-no-partial",
                "path-building: ca holds only the top intermediate, allowPartialTrustChain false")
                .send(leaf, i2, i1).trust(i1).done();
        add("path-ca-intermediate-only-partial",
                "path-building: ca holds only the top intermediate, allowPartialTrustChain true")
                .send(leaf, i2, i1).trust(i1).partial().done();
        add("path-ca-leaf-itself-no-partial", "path-building: ca holds the (CA-signed) leaf itself, no partial chain")
                .send(leaf).trust(leaf.certificate()).done();
        add("path-ca-leaf-itself-partial", "path-building: ca holds the (CA-signed) leaf itself, allowPartialTrustChain")
                .send(leaf).trust(leaf.certificate()).partial().done();
        add("path-partial-allowed-but-root-trusted", "path-building: allowPartialTrustChain with the root in ca too")
                .send(leaf, i2, i1).trust(root, i1).partial().done();
        HeldCertificate self = Certs.selfSigned("self.example.com").clientAuth().build();
        add("path-self-signed-leaf-untrusted", "path-building: self-signed leaf not in ca").send(self).trust(root)
                .done();
        add("path-no-ca-self-signed-leaf", "path-building: no ca at all (the default roots); self-signed leaf")
                .send(self).done();
        add("path-no-ca-root-sent", "path-building: no ca at all (the default roots); the chain's root sent")
                .send(leaf, i2, i1, root).done();
        add("path-no-ca-chain-without-root", "path-building: no ca at all (the default roots); root not sent")
                .send(leaf, i2, i1).done();
        // cross-signing: the old root's key certified by the new root
        HeldCertificate newRoot = Certs.ca("cross new root").build();
        KeyPair oldKey = KeyType.EC_P256.generate();
        HeldCertificate oldRoot = Certs.ca("cross old root").keyPair(oldKey).build();
        HeldCertificate oldCross = Certs.intermediate("cross old root").keyPair(oldKey).signedBy(newRoot).build();
        HeldCertificate crossInter = Certs.intermediate("cross inter").signedBy(oldRoot).build();
        HeldCertificate crossLeaf = leaf().signedBy(crossInter).build();
        add("path-cross-signed-old-root-sent-new-root-trusted",
                "path-building: intermediate under an old root; the old root cross-signed by the trusted new root")
                .send(crossLeaf, crossInter, oldCross).trust(newRoot).done();
        add("path-cross-signed-and-self-signed-old-root-sent",
                "path-building: both the self-signed old root and its cross-certificate sent; new root trusted")
                .send(crossLeaf, crossInter, oldRoot, oldCross).trust(newRoot).done();
        add("path-cross-signed-only-self-signed-old-root-sent",
                "path-building: only the self-signed old root sent (no cross-certificate); new root trusted")
                .send(crossLeaf, crossInter, oldRoot).trust(newRoot).done();
        // two issuers with one name and key, one expired
        KeyPair twinKey = KeyType.EC_P256.generate();
        HeldCertificate twinRoot = Certs.ca("twin root").build();
        HeldCertificate expiredTwin = Certs.intermediate("twin inter").keyPair(twinKey).expired().signedBy(twinRoot)
                .build();
        HeldCertificate validTwin = Certs.intermediate("twin inter").keyPair(twinKey).signedBy(twinRoot).build();
        HeldCertificate twinLeaf = leaf().signedBy(validTwin).build();
        add("path-two-issuers-same-name-expired-first",
                "path-building: two intermediates, same name and key; the expired one is sent first")
                .send(twinLeaf, expiredTwin, validTwin).trust(twinRoot).done();
        add("path-two-issuers-same-name-expired-last",
                "path-building: two intermediates, same name and key; the expired one is sent last")
                .send(twinLeaf, validTwin, expiredTwin).trust(twinRoot).done();
        add("path-two-issuers-same-name-expired-trusted-valid-sent",
                "path-building: the expired twin is in ca next to the root, the valid twin is sent")
                .send(twinLeaf, validTwin).trust(twinRoot, expiredTwin.certificate()).done();
        // long chains
        HeldCertificate top = Certs.ca("long root").build();
        List<HeldCertificate> inters = new ArrayList<>();
        HeldCertificate issuer = top;
        for (int i = 1; i <= 6; i++) {
            issuer = Certs.intermediate("long inter " + i).signedBy(issuer).build();
            inters.addFirst(issuer);
        }
        HeldCertificate longLeaf = leaf().signedBy(issuer).build();
        Object[] rest = inters.toArray();
        add("path-chain-of-8", "path-building: root + 6 intermediates + leaf (7 certificates sent)").send(longLeaf, rest)
                .trust(top).done();
        HeldCertificate deep = issuer;
        for (int i = 7; i <= 8; i++) {
            deep = Certs.intermediate("long inter " + i).signedBy(deep).build();
            inters.addFirst(deep);
        }
        add("path-chain-of-10", "path-building: root + 8 intermediates + leaf (9 certificates sent)")
                .send(leaf().signedBy(deep).build(), inters.toArray()).trust(top).done();
    }

    // ---- several rules at once: which error Node reports ----

    private void multiRule() {
        Chain c = chain("multi-1", r -> r.nameConstraints(List.of("DNS:example.com"), List.of()), i -> i,
                leaf("a.other.test").expired());
        std("multi-nc-violation-and-leaf-expired", "multi-rule: leaf outside the root's name constraints AND expired", c);
        c = chain("multi-2", r -> r, i -> i, leaf().expired());
        add("multi-leaf-expired-and-inter-bad-signature", "multi-rule: leaf expired AND intermediate signature corrupted")
                .sendRaw(c.leaf.certificate(), c.leaf.privateKey(), corrupt(c.inter.certificate())).trust(c.root).done();
        c = chain("multi-3", r -> r, i -> i.expired(), leaf());
        add("multi-leaf-bad-signature-and-inter-expired",
                "multi-rule: leaf signature corrupted AND intermediate expired")
                .sendRaw(corrupt(c.leaf.certificate()), c.leaf.privateKey(), c.inter).trust(c.root).done();
        c = chain("multi-4", r -> r, i -> i, leaf().expired());
        add("multi-leaf-bad-signature-and-leaf-expired", "multi-rule: leaf signature corrupted AND leaf expired")
                .sendRaw(corrupt(c.leaf.certificate()), c.leaf.privateKey(), c.inter).trust(c.root).done();
        c = chain("multi-5", r -> r, i -> i, leaf().expired());
        add("multi-leaf-revoked-and-expired", "multi-rule: leaf revoked AND expired").send(c.leaf, c.inter)
                .trust(c.root).crl(Crls.create(c.root, List.of()), Crls.create(c.inter, List.of(c.leaf.serial())))
                .done();
        c = chain("multi-6", r -> r, i -> i.nameConstraints(List.of("DNS:example.com"), List.of()),
                leaf("a.other.test"));
        add("multi-leaf-revoked-and-nc-violation", "multi-rule: leaf revoked AND outside the intermediate's name"
                + " constraints").send(c.leaf, c.inter).trust(c.root)
                .crl(Crls.create(c.root, List.of()), Crls.create(c.inter, List.of(c.leaf.serial()))).done();
        c = chain("multi-7", r -> r, i -> i, leaf().extendedKeyUsage("codeSigning").expired());
        std("multi-leaf-wrong-eku-and-expired", "multi-rule: leaf EKU codeSigning only AND expired", c);
        c = chain("multi-8", r -> r, i -> i.basicConstraints(false), leaf().expired());
        std("multi-inter-not-ca-and-leaf-expired", "multi-rule: intermediate CA:FALSE AND leaf expired", c);
        c = chain("multi-9", r -> r, i -> i.keyUsage("digitalSignature", "cRLSign"), leaf().keyPair(rsa1024));
        std("multi-inter-no-keycertsign-and-weak-leaf-key",
                "multi-rule: intermediate without keyCertSign AND leaf RSA-1024", c);
        byte[] nul = der(DERNull.INSTANCE);
        c = chain("multi-10", r -> r, i -> i.extendedKeyUsage("codeSigning"), leaf().extension(UNKNOWN_OID, true, nul));
        std("multi-leaf-unknown-critical-and-inter-wrong-eku",
                "multi-rule: leaf unknown critical extension AND intermediate EKU codeSigning only", c);
        c = chain("multi-11", r -> r, i -> i.extension(UNKNOWN_OID, true, nul), leaf().extendedKeyUsage("codeSigning"));
        std("multi-inter-unknown-critical-and-leaf-wrong-eku",
                "multi-rule: intermediate unknown critical extension AND leaf EKU codeSigning only", c);
        c = chain("multi-12", r -> r, i -> i, leaf().signatureAlgorithm("SHA1withECDSA"));
        add("multi-sha1-leaf-and-revoked", "multi-rule: leaf signed with SHA-1 AND revoked").send(c.leaf, c.inter)
                .trust(c.root).crl(Crls.create(c.root, List.of()), Crls.create(c.inter, List.of(c.leaf.serial())))
                .done();
        c = chain("multi-13", r -> r, i -> i, leaf().expired());
        add("multi-missing-issuer-and-leaf-expired", "multi-rule: intermediate not sent AND leaf expired")
                .send(c.leaf).trust(c.root).done();
        HeldCertificate self = Certs.selfSigned("self.example.com").clientAuth().expired().build();
        add("multi-self-signed-untrusted-and-expired", "multi-rule: self-signed leaf not in ca AND expired")
                .send(self).trust(c.root).done();
        // a weak leaf key is reported before the chain is built; a chain that then reaches no anchor reports it again
        // as its building error (OpenSSL's "preliminary error becomes final")
        HeldCertificate weakSelf = Certs.selfSigned("weak.example.com").keyPair(rsa1024).build();
        add("multi-weak-self-signed-leaf-untrusted", "multi-rule: RSA-1024 self-signed leaf not in ca")
                .send(weakSelf).trust(c.root).done();
        c = chain("multi-14b", r -> r, i -> i, leaf().keyPair(rsa1024));
        add("multi-weak-leaf-issuer-not-sent", "multi-rule: RSA-1024 leaf AND intermediate not sent")
                .send(c.leaf).trust(c.root).done();
        c = chain("multi-15", r -> r, i -> i.expired(), leaf().notYetValid());
        std("multi-inter-expired-and-leaf-not-yet-valid", "multi-rule: intermediate expired AND leaf not yet valid", c);
        c = chain("multi-16", r -> r, i -> i.nameConstraints(List.of(), List.of("DNS:example.com")),
                leaf("a.example.com").keyPair(rsa1024));
        std("multi-nc-excluded-and-weak-leaf-key", "multi-rule: leaf excluded by name constraints AND RSA-1024", c);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        c = chain("multi-17", r -> r, i -> i, leaf().extendedKeyUsage("codeSigning"));
        add("multi-crl-expired-and-leaf-wrong-eku", "multi-rule: the intermediate's CRL expired AND leaf EKU"
                + " codeSigning only").send(c.leaf, c.inter).trust(c.root)
                .crl(Crls.create(c.root, List.of()), Crls.create(c.inter, Map.of(), BigInteger.ONE,
                        now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(1)))).done();
        c = chain("multi-18", r -> r.pathLength(0), i -> i, leaf().extendedKeyUsage("codeSigning"));
        std("multi-root-pathlen-and-leaf-wrong-eku", "multi-rule: root pathLen 0 exceeded AND leaf EKU codeSigning",
                c);
        c = chain("multi-19", r -> r, i -> i.signatureAlgorithm("SHA1withECDSA"), leaf().expired());
        std("multi-sha1-inter-and-leaf-expired", "multi-rule: intermediate signed with SHA-1 AND leaf expired", c);
    }

    // ---- building blocks ----

    /** A root, an optional intermediate ({@code inter} null: none) and a leaf; the leaf and intermediate signed. */
    private record Chain(HeldCertificate root, HeldCertificate inter, HeldCertificate leaf) {
    }

    private Chain chain(String id, UnaryOperator<Certs.Builder> root, UnaryOperator<Certs.Builder> inter,
            Certs.Builder leaf) {
        HeldCertificate r = root.apply(Certs.ca(id + " root")).build();
        HeldCertificate i = inter == null ? null : inter.apply(Certs.intermediate(id + " inter").signedBy(r)).build();
        HeldCertificate l = leaf.signedBy(i == null ? r : i).build();
        return new Chain(r, i, l);
    }

    /** The default leaf: CN and DNS SAN leaf.example.com, EKU serverAuth + clientAuth, EC P-256. */
    private static Certs.Builder leaf() {
        return leaf("leaf.example.com");
    }

    /** A leaf with these DNS SANs (the first is the CN), EKU serverAuth + clientAuth. */
    private static Certs.Builder leaf(String... dnsNames) {
        return Certs.leaf(dnsNames[0]).dns(dnsNames).extendedKeyUsage("serverAuth", "clientAuth");
    }

    /** Adds root -> inter -> leaf: the leaf and intermediate sent, the root trusted. */
    private void std(String name, String rule, Chain c) {
        Case k = add(name, rule).trust(c.root);
        if (c.inter == null) {
            k.send(c.leaf);
        } else {
            k.send(c.leaf, c.inter);
        }
        k.done();
    }

    private Case add(String name, String rule) {
        if (!names.add(name)) {
            throw new IllegalStateException("duplicate case name " + name);
        }
        return new Case(name, rule);
    }

    /** A case being described. */
    private final class Case {
        private final String name;
        private final String rule;
        private final List<X509Certificate> sent = new ArrayList<>();
        private PrivateKey key;
        private final List<X509Certificate> trusted = new ArrayList<>();
        private final List<X509CRL> crls = new ArrayList<>();
        private boolean partial;
        private boolean handshakeable = true;

        Case(String name, String rule) {
            this.name = name;
            this.rule = rule;
        }

        Case send(HeldCertificate leaf, Object... more) {
            return sendRaw(leaf.certificate(), leaf.privateKey(), more);
        }

        Case sendRaw(X509Certificate leaf, PrivateKey leafKey, Object... more) {
            sent.add(leaf);
            key = leafKey;
            for (Object o : more) {
                sent.add(cert(o));
            }
            return this;
        }

        Case trust(Object... certs) {
            for (Object o : certs) {
                trusted.add(cert(o));
            }
            return this;
        }

        Case crl(X509CRL... c) {
            crls.addAll(List.of(c));
            return this;
        }

        Case partial() {
            partial = true;
            return this;
        }

        Case tooLarge() {
            handshakeable = false;
            return this;
        }

        void done() {
            if (handshakeable && (sent.size() > 10 || encodedSize(sent) > 30 * 1024)) {
                throw new IllegalStateException(name + ": too large for SunJSSE; mark it tooLarge()");
            }
            out.add(new ChainCase(name, rule, sent, key, trusted, crls, partial, handshakeable));
        }
    }

    private static X509Certificate cert(Object o) {
        return switch (o) {
            case HeldCertificate h -> h.certificate();
            case X509Certificate x -> x;
            default -> throw new IllegalArgumentException("not a certificate: " + o);
        };
    }

    private static int encodedSize(List<X509Certificate> certs) {
        int n = 0;
        for (X509Certificate c : certs) {
            try {
                n += c.getEncoded().length + 3;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return n;
    }

    /** The certificate with the last bit of its signature flipped (the last byte of the DER is the signature's). */
    static X509Certificate corrupt(X509Certificate c) {
        try {
            byte[] der = c.getEncoded();
            der[der.length - 1] ^= 0x01;
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CRL with the last bit of its signature flipped. */
    static X509CRL corrupt(X509CRL crl) {
        try {
            byte[] der = crl.getEncoded();
            der[der.length - 1] ^= 0x01;
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded("DER");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
