package dev.weft.tls.internal.pem;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectParser;

/**
 * The one reader of credentials: turns the {@code key}, {@code cert}, {@code ca}, {@code crl} and {@code pfx}
 * inputs of Node's {@code tls.createSecureContext} into JDK objects, failing with a stable code and a message
 * that names the option and the likely mistake.
 *
 * <p>All parsing is Bouncy Castle PKIX ({@link PEMParser} and friends); the resulting keys, certificates and
 * CRLs are always made by the JDK's own {@code KeyFactory} and {@code CertificateFactory}, so they work with
 * every JSSE provider. Bouncy Castle's JCA provider is never registered globally: a private instance is passed
 * explicitly where a decryption algorithm needs it (encrypted PKCS#8, legacy encrypted PEM, and PKCS#12 the
 * JDK cannot read).
 *
 * <p>Contract: every method is a pure function of its arguments, thread safe, and never blocks. Text before,
 * between and after PEM blocks is ignored (as {@code openssl x509 -text} writes it). Messages never contain
 * key material or passphrases.
 *
 * <p>Error codes, decided once for all inputs:
 * <ul>
 *   <li>{@code ERR_OSSL_PEM_NO_START_LINE}: the input holds no PEM block of the kind the option needs — no
 *       {@code -----BEGIN} line at all, or only blocks of another kind (a certificate given as {@code key}, a
 *       key given as {@code cert}: the message asks "were key and cert swapped?").</li>
 *   <li>{@code ERR_OSSL_PEM_BAD_BASE64_DECODE}: a block's base64 body cannot be decoded.</li>
 *   <li>{@code ERR_OSSL_PEM_BAD_END_LINE}: a {@code -----BEGIN} line without its matching {@code -----END}.</li>
 *   <li>{@code ERR_OSSL_UNSUPPORTED}: a private key block whose content is not a key weft can decode
 *       (corrupt DER, unknown algorithm).</li>
 *   <li>{@code ERR_OSSL_BAD_DECRYPT}: an encrypted key (PKCS#8 or legacy {@code Proc-Type: 4,ENCRYPTED})
 *       without a passphrase or with a wrong one; the message says which.</li>
 *   <li>{@code ERR_OSSL_ASN1_WRONG_TAG}: a certificate or CRL block, or the {@code pfx} bytes, whose DER is
 *       not the expected structure.</li>
 *   <li>{@code ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE}: a PKCS#12 file whose MAC does not verify with the given
 *       (or missing) passphrase.</li>
 *   <li>{@code ERR_WEFT_PFX_NO_KEY}: a PKCS#12 file that holds no private key.</li>
 *   <li>{@code ERR_OSSL_X509_KEY_VALUES_MISMATCH}: a private key that does not belong to the certificate.</li>
 * </ul>
 *
 * <p>Differences from Node: Node (OpenSSL 3 decoders) reports a {@code key} of plain garbage text as
 * {@code ERR_OSSL_UNSUPPORTED}; weft reports any input without a PEM block as
 * {@code ERR_OSSL_PEM_NO_START_LINE}, for keys as for certificates, and keeps {@code ERR_OSSL_UNSUPPORTED}
 * for key blocks that cannot be decoded. Node reports a PKCS#12 MAC failure with no code; weft uses
 * {@code ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE}.
 */
public final class PemReader {

    /** A private key with its certificate chain, leaf first. */
    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
        public KeyAndChain {
            chain = List.copyOf(chain);
        }
    }

    private static final String NO_START_LINE = ErrorCode.NO_START_LINE.code();
    private static final String BAD_BASE64 = ErrorCode.PEM_BAD_BASE64_DECODE.code();
    private static final String BAD_END_LINE = ErrorCode.PEM_BAD_END_LINE.code();
    private static final String UNSUPPORTED = ErrorCode.OSSL_UNSUPPORTED.code();
    private static final String BAD_DECRYPT = ErrorCode.BAD_DECRYPT.code();
    private static final String WRONG_TAG = ErrorCode.ASN1_WRONG_TAG.code();
    private static final String MAC_VERIFY_FAILURE = ErrorCode.PKCS12_MAC_VERIFY_FAILURE.code();
    private static final String PFX_NO_KEY = ErrorCode.PFX_NO_KEY.code();
    private static final String KEY_VALUES_MISMATCH = ErrorCode.KEY_VALUES_MISMATCH.code();

    private static final Set<String> KEY_TYPES = Set.of(
            PEMParser.TYPE_PRIVATE_KEY, PEMParser.TYPE_ENCRYPTED_PRIVATE_KEY, PEMParser.TYPE_RSA_PRIVATE_KEY,
            PEMParser.TYPE_EC_PRIVATE_KEY, PEMParser.TYPE_DSA_PRIVATE_KEY);
    private static final Set<String> CERT_TYPES = Set.of(
            PEMParser.TYPE_CERTIFICATE, PEMParser.TYPE_X509_CERTIFICATE, PEMParser.TYPE_TRUSTED_CERTIFICATE);

    /** Bouncy Castle's JCA provider, never registered: passed to the builders that need its ciphers. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private PemReader() {}

    /**
     * Reads the first private key in {@code pem}: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8
     * ({@code ENCRYPTED PRIVATE KEY}), or traditional OpenSSL PKCS#1 / SEC1 / DSA blocks, plain or legacy
     * encrypted ({@code Proc-Type: 4,ENCRYPTED}). Other blocks ({@code EC PARAMETERS}, certificates) are skipped.
     *
     * @param passphrase used only if the key is encrypted; may be null
     * @throws TlsException {@code ERR_OSSL_PEM_NO_START_LINE}, {@code ERR_OSSL_PEM_BAD_BASE64_DECODE},
     *     {@code ERR_OSSL_PEM_BAD_END_LINE}, {@code ERR_OSSL_UNSUPPORTED} or {@code ERR_OSSL_BAD_DECRYPT}
     */
    public static PrivateKey privateKey(byte[] pem, char[] passphrase) throws TlsException {
        List<PemObject> blocks = blocks(pem, "key");
        for (PemObject block : blocks) {
            if (KEY_TYPES.contains(block.getType())) {
                return decodeKey(block, passphrase);
            }
        }
        throw noBlock("key", "-----BEGIN PRIVATE KEY-----", blocks,
                hasType(blocks, CERT_TYPES) ? "; were key and cert swapped?" : "");
    }

    /**
     * Reads every certificate in {@code pem}, in order ({@code CERTIFICATE}, {@code X509 CERTIFICATE} and
     * {@code TRUSTED CERTIFICATE} blocks; for the last, the OpenSSL trust settings are dropped). Other blocks
     * are skipped. The list is never empty.
     *
     * @param option the option being read, {@code "cert"} or {@code "ca"}, for messages
     * @throws TlsException {@code ERR_OSSL_PEM_NO_START_LINE}, {@code ERR_OSSL_PEM_BAD_BASE64_DECODE},
     *     {@code ERR_OSSL_PEM_BAD_END_LINE} or {@code ERR_OSSL_ASN1_WRONG_TAG}
     */
    public static List<X509Certificate> certificates(byte[] pem, String option) throws TlsException {
        List<PemObject> blocks = blocks(pem, option);
        List<X509Certificate> certificates = new ArrayList<>();
        var converter = new JcaX509CertificateConverter();
        int index = 0;
        for (PemObject block : blocks) {
            if (!CERT_TYPES.contains(block.getType())) {
                continue;
            }
            index++;
            try {
                X509CertificateHolder holder = block.getType().equals(PEMParser.TYPE_TRUSTED_CERTIFICATE)
                        ? new X509TrustedCertificateBlock(block.getContent()).getCertificateHolder()
                        : new X509CertificateHolder(block.getContent());
                certificates.add(converter.getCertificate(holder));
            } catch (IOException | CertificateException | RuntimeException e) {
                throw new TlsException(WRONG_TAG, "certificate #" + index + " in " + option
                        + " is not a valid X.509 certificate (" + block.getType() + " block with corrupt DER);"
                        + " check the file was not truncated or edited", e);
            }
        }
        if (certificates.isEmpty()) {
            throw noBlock(option, "-----BEGIN CERTIFICATE-----", blocks,
                    hasType(blocks, KEY_TYPES) ? "; were key and cert swapped?" : "");
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads every CRL ({@code X509 CRL} block) in {@code pem}, in order. Other blocks are skipped. The list is
     * never empty.
     *
     * @throws TlsException {@code ERR_OSSL_PEM_NO_START_LINE}, {@code ERR_OSSL_PEM_BAD_BASE64_DECODE},
     *     {@code ERR_OSSL_PEM_BAD_END_LINE} or {@code ERR_OSSL_ASN1_WRONG_TAG}
     */
    public static List<X509CRL> crls(byte[] pem) throws TlsException {
        List<PemObject> blocks = blocks(pem, "crl");
        List<X509CRL> crls = new ArrayList<>();
        var converter = new JcaX509CRLConverter();
        for (PemObject block : blocks) {
            if (!block.getType().equals(PEMParser.TYPE_X509_CRL)) {
                continue;
            }
            try {
                crls.add(converter.getCRL(new X509CRLHolder(block.getContent())));
            } catch (IOException | java.security.cert.CRLException | RuntimeException e) {
                throw new TlsException(WRONG_TAG, "CRL #" + (crls.size() + 1)
                        + " in crl is not a valid X.509 CRL (corrupt DER); check the file was not truncated or edited",
                        e);
            }
        }
        if (crls.isEmpty()) {
            throw noBlock("crl", "-----BEGIN X509 CRL-----", blocks, "");
        }
        return List.copyOf(crls);
    }

    /**
     * Reads the first private key entry of a DER PKCS#12 file, with its certificate chain (leaf first; empty if
     * the file holds no certificate for the key). Reads OpenSSL 3's default PBES2/AES files and
     * {@code -legacy} RC2/3DES files. A null passphrase is tried as the empty passphrase.
     *
     * @throws TlsException {@code ERR_OSSL_ASN1_WRONG_TAG} if {@code der} is not PKCS#12,
     *     {@code ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE} for a wrong or missing passphrase,
     *     {@code ERR_WEFT_PFX_NO_KEY} if there is no private key, {@code ERR_OSSL_UNSUPPORTED} if the file uses
     *     algorithms neither the JDK nor Bouncy Castle can read
     */
    public static KeyAndChain pkcs12(byte[] der, char[] passphrase) throws TlsException {
        if (der == null || der.length == 0) {
            throw new TlsException(WRONG_TAG, "pfx is empty; expected the bytes of a PKCS#12 (.p12/.pfx) file");
        }
        try {
            new PKCS12PfxPdu(der);
        } catch (IOException | RuntimeException e) {
            String hint = new String(der, 0, Math.min(der.length, 64), StandardCharsets.ISO_8859_1).contains("-----BEGIN")
                    ? "; this looks like PEM: pass it as key/cert, or give pfx the binary .p12 file"
                    : "; check the file is a .p12/.pfx and was read as bytes, not text";
            throw new TlsException(WRONG_TAG, "pfx is not a PKCS#12 file" + hint, e);
        }
        char[] password = passphrase == null ? new char[0] : passphrase;
        KeyStore store;
        try {
            store = load(KeyStore.getInstance("PKCS12"), der, password);
        } catch (GeneralSecurityException | IOException jdkFailure) {
            if (isWrongPassword(jdkFailure)) {
                throw macFailure(passphrase, jdkFailure);
            }
            try {
                store = load(KeyStore.getInstance("PKCS12", Bc.PROVIDER), der, password);
            } catch (GeneralSecurityException | IOException bcFailure) {
                bcFailure.addSuppressed(jdkFailure);
                if (isWrongPassword(bcFailure) || String.valueOf(bcFailure.getMessage()).contains("mac")) {
                    throw macFailure(passphrase, bcFailure);
                }
                throw new TlsException(UNSUPPORTED,
                        "pfx uses algorithms that cannot be read; re-export it with openssl pkcs12 -export", bcFailure);
            }
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                var key = store.getKey(alias, password);
                if (!(key instanceof PrivateKey privateKey)) {
                    continue;
                }
                Certificate[] chain = store.getCertificateChain(alias);
                List<X509Certificate> certificates = new ArrayList<>();
                if (chain != null) {
                    CertificateFactory factory = CertificateFactory.getInstance("X.509");
                    for (Certificate certificate : chain) {
                        certificates.add((X509Certificate) factory.generateCertificate(
                                new ByteArrayInputStream(certificate.getEncoded())));
                    }
                }
                return new KeyAndChain(jdkKey(privateKey.getEncoded(), "pfx"), certificates);
            }
        } catch (UnrecoverableKeyException e) {
            throw macFailure(passphrase, e);
        } catch (GeneralSecurityException e) {
            throw new TlsException(UNSUPPORTED, "pfx holds a key or certificate that cannot be read", e);
        }
        throw new TlsException(PFX_NO_KEY,
                "pfx holds no private key; export it with openssl pkcs12 -export -inkey key.pem -in cert.pem");
    }

    /**
     * Checks that {@code key} is the private half of {@code cert}'s public key: RSA by modulus and public
     * exponent, every other algorithm (EC on any curve, EdDSA, DSA) by signing a random challenge with the key
     * and verifying it with the certificate's public key.
     *
     * @throws TlsException {@code ERR_OSSL_X509_KEY_VALUES_MISMATCH} if they differ, {@code ERR_OSSL_UNSUPPORTED}
     *     for a key type that cannot sign (X25519, ...)
     */
    public static void checkKeyMatchesCertificate(PrivateKey key, X509Certificate cert) throws TlsException {
        PublicKey publicKey = cert.getPublicKey();
        if (!matches(key, publicKey)) {
            throw new TlsException(KEY_VALUES_MISMATCH, "private key does not match the certificate's public key"
                    + " (subject " + cert.getSubjectX500Principal().getName(X500Principal.RFC2253)
                    + "); were key and cert from different pairs?");
        }
    }

    private static boolean matches(PrivateKey key, PublicKey publicKey) throws TlsException {
        if (key instanceof RSAKey rsaKey) {
            if (!(publicKey instanceof RSAPublicKey rsaPublic) || !rsaKey.getModulus().equals(rsaPublic.getModulus())) {
                return false;
            }
            return !(key instanceof RSAPrivateCrtKey crt) || crt.getPublicExponent().equals(rsaPublic.getPublicExponent());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448, ML-DSA: the key names its signature
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new TlsException(UNSUPPORTED, "cannot check a " + key.getAlgorithm()
                    + " private key against its certificate: the key cannot sign", e);
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a public key of another type or curve
        }
    }

    private static PrivateKey decodeKey(PemObject block, char[] passphrase) throws TlsException {
        Object parsed;
        try {
            parsed = new BlockParser().parse(block);
        } catch (IOException | RuntimeException e) {
            throw new TlsException(UNSUPPORTED, "key is not a readable private key (" + block.getType()
                    + " block with corrupt or unsupported content); check the file was not truncated or edited", e);
        }
        try {
            return switch (parsed) {
                case PrivateKeyInfo info -> jdkKey(info);
                case PEMKeyPair pair -> jdkKey(pair.getPrivateKeyInfo());
                case PKCS8EncryptedPrivateKeyInfo encrypted -> {
                    requirePassphrase(passphrase);
                    PrivateKeyInfo info;
                    try {
                        InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                .setProvider(Bc.PROVIDER).build(passphrase);
                        info = encrypted.decryptPrivateKeyInfo(decryptor);
                    } catch (Exception e) {
                        throw decryptFailure(e);
                    }
                    yield jdkKey(info);
                }
                case PEMEncryptedKeyPair encrypted -> {
                    requirePassphrase(passphrase);
                    PEMKeyPair pair;
                    try {
                        pair = encrypted.decryptKeyPair(
                                new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(passphrase));
                    } catch (Exception e) {
                        throw decryptFailure(e);
                    }
                    yield jdkKey(pair.getPrivateKeyInfo());
                }
                default -> throw new TlsException(UNSUPPORTED,
                        "key holds a " + block.getType() + " block that is not a private key");
            };
        } catch (RuntimeException e) {
            throw new TlsException(UNSUPPORTED, "key is not a readable private key (" + block.getType()
                    + " block); check the file was not truncated or edited", e);
        }
    }

    /** Makes a JDK key (the JDK's KeyFactory, never Bouncy Castle's) from a PKCS#8 structure. */
    private static PrivateKey jdkKey(PrivateKeyInfo info) throws TlsException {
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw new TlsException(UNSUPPORTED, "key uses an algorithm this JDK does not support ("
                    + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + ")", e);
        }
    }

    private static PrivateKey jdkKey(byte[] pkcs8, String option) throws TlsException {
        try {
            return jdkKey(PrivateKeyInfo.getInstance(pkcs8));
        } catch (RuntimeException e) {
            throw new TlsException(UNSUPPORTED, option + " holds a private key that cannot be read", e);
        }
    }

    private static void requirePassphrase(char[] passphrase) throws TlsException {
        if (passphrase == null) {
            throw new TlsException(BAD_DECRYPT, "key is encrypted; pass passphrase");
        }
    }

    private static TlsException decryptFailure(Exception e) {
        if (hasCause(e, NoSuchAlgorithmException.class)) {
            return new TlsException(UNSUPPORTED,
                    "key is encrypted with an unsupported algorithm; re-encrypt it with openssl pkcs8 -topk8 -v2 aes-256-cbc", e);
        }
        return new TlsException(BAD_DECRYPT, "key could not be decrypted: wrong passphrase?", e);
    }

    private static TlsException macFailure(char[] passphrase, Exception e) {
        return new TlsException(MAC_VERIFY_FAILURE, passphrase == null
                ? "mac verify failure: pfx needs a passphrase; pass passphrase"
                : "mac verify failure: wrong passphrase for pfx?", e);
    }

    private static KeyStore load(KeyStore store, byte[] der, char[] password)
            throws GeneralSecurityException, IOException {
        store.load(new ByteArrayInputStream(der), password);
        return store;
    }

    private static boolean isWrongPassword(Exception e) {
        return hasCause(e, UnrecoverableKeyException.class) || e instanceof UnrecoverableKeyException;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** All PEM blocks in {@code pem}, in order; fails if there are none or one is malformed. */
    private static List<PemObject> blocks(byte[] pem, String option) throws TlsException {
        if (pem == null || pem.length == 0) {
            throw new TlsException(NO_START_LINE, option + " is empty; expected PEM text");
        }
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        List<PemObject> blocks = new ArrayList<>();
        try (var parser = new PEMParser(new StringReader(text))) {
            for (PemObject block = parser.readPemObject(); block != null; block = parser.readPemObject()) {
                blocks.add(block);
            }
        } catch (DecoderException e) {
            throw new TlsException(BAD_BASE64, "PEM block #" + (blocks.size() + 1) + " in " + option
                    + " has corrupt base64; check the file was not edited or wrapped by a text tool", e);
        } catch (IOException | RuntimeException e) {
            throw new TlsException(BAD_END_LINE, "PEM block #" + (blocks.size() + 1) + " in " + option
                    + " has no matching -----END line; check the file was not truncated", e);
        }
        if (blocks.isEmpty()) {
            String expected = option.equals("key") ? "-----BEGIN PRIVATE KEY-----"
                    : option.equals("crl") ? "-----BEGIN X509 CRL-----" : "-----BEGIN CERTIFICATE-----";
            throw new TlsException(NO_START_LINE, "no PEM block found in " + option + "; expected " + expected
                    + (pem[0] == 0x30 ? " (this looks like binary DER: convert it to PEM with openssl, or use pfx)" : ""));
        }
        return blocks;
    }

    private static TlsException noBlock(String option, String expected, List<PemObject> blocks, String hint) {
        Set<String> found = new LinkedHashSet<>();
        blocks.forEach(b -> found.add(b.getType()));
        return new TlsException(NO_START_LINE, "no " + expected + " block found in " + option + " (found "
                + String.join(", ", found) + ")" + hint);
    }

    private static boolean hasType(List<PemObject> blocks, Set<String> types) {
        return blocks.stream().anyMatch(b -> types.contains(b.getType()));
    }

    /** Bouncy Castle's own block parsers, applied to one block already read. */
    private static final class BlockParser extends PEMParser {
        BlockParser() {
            super(new StringReader(""));
        }

        Object parse(PemObject block) throws IOException {
            var parser = (PemObjectParser) parsers.get(block.getType());
            if (parser == null) {
                throw new IOException("no parser for " + block.getType());
            }
            return parser.parseObject(block);
        }
    }
}
