package dev.weft.tls.internal.negotiation;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenSSL 3.0's cipher-list language ({@code SSL_CTX_set_cipher_list}), evaluated as {@code ssl/ssl_ciph.c} does
 * over OpenSSL 3.0's own table of TLS 1.2 and older suites: the same aliases, the same rules ({@code !} kills for
 * good, {@code -} deletes, {@code +} moves to the end, {@code A+B} is a conjunction, {@code @STRENGTH} sorts by
 * strength bits keeping the order within a strength, {@code @SECLEVEL=n} sets the security level), the same
 * initial order ({@code ssl_create_cipher_list}'s preference rules), the same errors. Only the suites weft offers
 * are ever used; the others are here because a rule's effect on the order depends on them being there.
 */
public final class OpenSslCipherList {
    private OpenSslCipherList() {
    }

    // Key exchange, authentication, encryption and MAC bits, as OpenSSL's SSL_k*, SSL_a*, SSL_e*/SSL_AES* and SSL_*.
    static final int K_RSA = 1, K_DHE = 2, K_ECDHE = 4, K_PSK = 8, K_RSAPSK = 16, K_ECDHEPSK = 32, K_DHEPSK = 64,
            K_SRP = 128, K_GOST = 256, K_GOST18 = 512;
    static final int A_RSA = 1, A_DSS = 2, A_NULL = 4, A_ECDSA = 8, A_PSK = 16, A_GOST01 = 32, A_GOST12 = 64,
            A_SRP = 128;
    static final int E_AES128 = 1, E_AES256 = 1 << 1, E_AES128GCM = 1 << 2, E_AES256GCM = 1 << 3,
            E_AES128CCM = 1 << 4, E_AES256CCM = 1 << 5, E_AES128CCM8 = 1 << 6, E_AES256CCM8 = 1 << 7,
            E_CAMELLIA128 = 1 << 8, E_CAMELLIA256 = 1 << 9, E_ARIA128GCM = 1 << 10, E_ARIA256GCM = 1 << 11,
            E_CHACHA20 = 1 << 12, E_NULL = 1 << 13, E_3DES = 1 << 14, E_RC4 = 1 << 15, E_RC2 = 1 << 16,
            E_IDEA = 1 << 17, E_SEED = 1 << 18, E_DES = 1 << 19, E_GOST89 = 1 << 20, E_GOST8912 = 1 << 21,
            E_MAGMA = 1 << 22, E_KUZNYECHIK = 1 << 23;
    static final int E_AESGCM = E_AES128GCM | E_AES256GCM;
    static final int E_AESCCM = E_AES128CCM | E_AES256CCM | E_AES128CCM8 | E_AES256CCM8;
    static final int E_AES = E_AES128 | E_AES256 | E_AESGCM | E_AESCCM;
    static final int E_CAMELLIA = E_CAMELLIA128 | E_CAMELLIA256;
    static final int E_ARIA = E_ARIA128GCM | E_ARIA256GCM;
    static final int E_CBC = E_DES | E_3DES | E_RC2 | E_IDEA | E_AES128 | E_AES256 | E_CAMELLIA128 | E_CAMELLIA256
            | E_SEED;
    static final int M_MD5 = 1, M_SHA1 = 2, M_SHA256 = 4, M_SHA384 = 8, M_AEAD = 16, M_GOST94 = 32,
            M_GOST89MAC = 64, M_GOST12_256 = 128, M_GOST89MAC12 = 256;
    // Strength classes (SSL_STRONG_MASK) and SSL_NOT_DEFAULT (SSL_DEFAULT_MASK)
    static final int S_NONE = 1, S_LOW = 2, S_MEDIUM = 4, S_HIGH = 8, S_FIPS = 16, S_NOT_DEFAULT = 32;
    static final int STRONG_MASK = 0x1F, DEFAULT_MASK = 0x20;
    static final int SSL3 = 0x300, TLS1 = 0x301, TLS1_2 = 0x303;

    /** A suite of OpenSSL's table: its id, names, lowest protocol, algorithms, strength bits and classes. */
    public record Suite(int id, String name, String standardName, int minTls, int mkey, int auth, int enc, int mac,
            int bits, int strength) {
    }

    /**
     * OpenSSL 3.0's TLS 1.2-and-older suites as {@code openssl ciphers -stdname -V 'ALL:COMPLEMENTOFALL'} lists
     * them (the ones a default build has: no 3DES, RC4, IDEA, SEED or GOST), with the strength classes its
     * {@code HIGH}, {@code FIPS} and {@code COMPLEMENTOFDEFAULT} aliases report; {@code CipherStringIT} checks
     * the table against the live openssl.
     */
    private static final String TABLE = """
            C02C ECDHE-ECDSA-AES256-GCM-SHA384 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLSv1.2 ECDH ECDSA AESGCM(256) AEAD HIGH,FIPS
            C030 ECDHE-RSA-AES256-GCM-SHA384 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 TLSv1.2 ECDH RSA AESGCM(256) AEAD HIGH,FIPS
            00A3 DHE-DSS-AES256-GCM-SHA384 TLS_DHE_DSS_WITH_AES_256_GCM_SHA384 TLSv1.2 DH DSS AESGCM(256) AEAD HIGH,FIPS,NOT_DEFAULT
            009F DHE-RSA-AES256-GCM-SHA384 TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 TLSv1.2 DH RSA AESGCM(256) AEAD HIGH,FIPS
            CCA9 ECDHE-ECDSA-CHACHA20-POLY1305 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 TLSv1.2 ECDH ECDSA CHACHA20/POLY1305(256) AEAD HIGH
            CCA8 ECDHE-RSA-CHACHA20-POLY1305 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 TLSv1.2 ECDH RSA CHACHA20/POLY1305(256) AEAD HIGH
            CCAA DHE-RSA-CHACHA20-POLY1305 TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 TLSv1.2 DH RSA CHACHA20/POLY1305(256) AEAD HIGH
            C0AF ECDHE-ECDSA-AES256-CCM8 TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 TLSv1.2 ECDH ECDSA AESCCM8(256) AEAD HIGH,NOT_DEFAULT
            C0AD ECDHE-ECDSA-AES256-CCM TLS_ECDHE_ECDSA_WITH_AES_256_CCM TLSv1.2 ECDH ECDSA AESCCM(256) AEAD HIGH,NOT_DEFAULT
            C0A3 DHE-RSA-AES256-CCM8 TLS_DHE_RSA_WITH_AES_256_CCM_8 TLSv1.2 DH RSA AESCCM8(256) AEAD HIGH,NOT_DEFAULT
            C09F DHE-RSA-AES256-CCM TLS_DHE_RSA_WITH_AES_256_CCM TLSv1.2 DH RSA AESCCM(256) AEAD HIGH,NOT_DEFAULT
            C05D ECDHE-ECDSA-ARIA256-GCM-SHA384 TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384 TLSv1.2 ECDH ECDSA ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            C061 ECDHE-ARIA256-GCM-SHA384 TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384 TLSv1.2 ECDH RSA ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            C057 DHE-DSS-ARIA256-GCM-SHA384 TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384 TLSv1.2 DH DSS ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            C053 DHE-RSA-ARIA256-GCM-SHA384 TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384 TLSv1.2 DH RSA ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            00A7 ADH-AES256-GCM-SHA384 TLS_DH_anon_WITH_AES_256_GCM_SHA384 TLSv1.2 DH None AESGCM(256) AEAD HIGH,FIPS,NOT_DEFAULT
            C02B ECDHE-ECDSA-AES128-GCM-SHA256 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLSv1.2 ECDH ECDSA AESGCM(128) AEAD HIGH,FIPS
            C02F ECDHE-RSA-AES128-GCM-SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLSv1.2 ECDH RSA AESGCM(128) AEAD HIGH,FIPS
            00A2 DHE-DSS-AES128-GCM-SHA256 TLS_DHE_DSS_WITH_AES_128_GCM_SHA256 TLSv1.2 DH DSS AESGCM(128) AEAD HIGH,FIPS,NOT_DEFAULT
            009E DHE-RSA-AES128-GCM-SHA256 TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 TLSv1.2 DH RSA AESGCM(128) AEAD HIGH,FIPS
            C0AE ECDHE-ECDSA-AES128-CCM8 TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 TLSv1.2 ECDH ECDSA AESCCM8(128) AEAD HIGH,NOT_DEFAULT
            C0AC ECDHE-ECDSA-AES128-CCM TLS_ECDHE_ECDSA_WITH_AES_128_CCM TLSv1.2 ECDH ECDSA AESCCM(128) AEAD HIGH,NOT_DEFAULT
            C0A2 DHE-RSA-AES128-CCM8 TLS_DHE_RSA_WITH_AES_128_CCM_8 TLSv1.2 DH RSA AESCCM8(128) AEAD HIGH,NOT_DEFAULT
            C09E DHE-RSA-AES128-CCM TLS_DHE_RSA_WITH_AES_128_CCM TLSv1.2 DH RSA AESCCM(128) AEAD HIGH,NOT_DEFAULT
            C05C ECDHE-ECDSA-ARIA128-GCM-SHA256 TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256 TLSv1.2 ECDH ECDSA ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            C060 ECDHE-ARIA128-GCM-SHA256 TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256 TLSv1.2 ECDH RSA ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            C056 DHE-DSS-ARIA128-GCM-SHA256 TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256 TLSv1.2 DH DSS ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            C052 DHE-RSA-ARIA128-GCM-SHA256 TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256 TLSv1.2 DH RSA ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            00A6 ADH-AES128-GCM-SHA256 TLS_DH_anon_WITH_AES_128_GCM_SHA256 TLSv1.2 DH None AESGCM(128) AEAD HIGH,FIPS,NOT_DEFAULT
            C024 ECDHE-ECDSA-AES256-SHA384 TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 TLSv1.2 ECDH ECDSA AES(256) SHA384 HIGH,FIPS
            C028 ECDHE-RSA-AES256-SHA384 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 TLSv1.2 ECDH RSA AES(256) SHA384 HIGH,FIPS
            006B DHE-RSA-AES256-SHA256 TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 TLSv1.2 DH RSA AES(256) SHA256 HIGH,FIPS
            006A DHE-DSS-AES256-SHA256 TLS_DHE_DSS_WITH_AES_256_CBC_SHA256 TLSv1.2 DH DSS AES(256) SHA256 HIGH,FIPS,NOT_DEFAULT
            C073 ECDHE-ECDSA-CAMELLIA256-SHA384 TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 TLSv1.2 ECDH ECDSA Camellia(256) SHA384 HIGH,NOT_DEFAULT
            C077 ECDHE-RSA-CAMELLIA256-SHA384 TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384 TLSv1.2 ECDH RSA Camellia(256) SHA384 HIGH,NOT_DEFAULT
            00C4 DHE-RSA-CAMELLIA256-SHA256 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256 TLSv1.2 DH RSA Camellia(256) SHA256 HIGH,NOT_DEFAULT
            00C3 DHE-DSS-CAMELLIA256-SHA256 TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256 TLSv1.2 DH DSS Camellia(256) SHA256 HIGH,NOT_DEFAULT
            006D ADH-AES256-SHA256 TLS_DH_anon_WITH_AES_256_CBC_SHA256 TLSv1.2 DH None AES(256) SHA256 HIGH,FIPS,NOT_DEFAULT
            00C5 ADH-CAMELLIA256-SHA256 TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256 TLSv1.2 DH None Camellia(256) SHA256 HIGH,NOT_DEFAULT
            C023 ECDHE-ECDSA-AES128-SHA256 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 TLSv1.2 ECDH ECDSA AES(128) SHA256 HIGH,FIPS
            C027 ECDHE-RSA-AES128-SHA256 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 TLSv1.2 ECDH RSA AES(128) SHA256 HIGH,FIPS
            0067 DHE-RSA-AES128-SHA256 TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 TLSv1.2 DH RSA AES(128) SHA256 HIGH,FIPS
            0040 DHE-DSS-AES128-SHA256 TLS_DHE_DSS_WITH_AES_128_CBC_SHA256 TLSv1.2 DH DSS AES(128) SHA256 HIGH,FIPS,NOT_DEFAULT
            C072 ECDHE-ECDSA-CAMELLIA128-SHA256 TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 TLSv1.2 ECDH ECDSA Camellia(128) SHA256 HIGH,NOT_DEFAULT
            C076 ECDHE-RSA-CAMELLIA128-SHA256 TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 TLSv1.2 ECDH RSA Camellia(128) SHA256 HIGH,NOT_DEFAULT
            00BE DHE-RSA-CAMELLIA128-SHA256 TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 TLSv1.2 DH RSA Camellia(128) SHA256 HIGH,NOT_DEFAULT
            00BD DHE-DSS-CAMELLIA128-SHA256 TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256 TLSv1.2 DH DSS Camellia(128) SHA256 HIGH,NOT_DEFAULT
            006C ADH-AES128-SHA256 TLS_DH_anon_WITH_AES_128_CBC_SHA256 TLSv1.2 DH None AES(128) SHA256 HIGH,FIPS,NOT_DEFAULT
            00BF ADH-CAMELLIA128-SHA256 TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256 TLSv1.2 DH None Camellia(128) SHA256 HIGH,NOT_DEFAULT
            C00A ECDHE-ECDSA-AES256-SHA TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA TLSv1 ECDH ECDSA AES(256) SHA1 HIGH,FIPS
            C014 ECDHE-RSA-AES256-SHA TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA TLSv1 ECDH RSA AES(256) SHA1 HIGH,FIPS
            0039 DHE-RSA-AES256-SHA TLS_DHE_RSA_WITH_AES_256_CBC_SHA SSLv3 DH RSA AES(256) SHA1 HIGH,FIPS
            0038 DHE-DSS-AES256-SHA TLS_DHE_DSS_WITH_AES_256_CBC_SHA SSLv3 DH DSS AES(256) SHA1 HIGH,FIPS,NOT_DEFAULT
            0088 DHE-RSA-CAMELLIA256-SHA TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA SSLv3 DH RSA Camellia(256) SHA1 HIGH,NOT_DEFAULT
            0087 DHE-DSS-CAMELLIA256-SHA TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA SSLv3 DH DSS Camellia(256) SHA1 HIGH,NOT_DEFAULT
            C019 AECDH-AES256-SHA TLS_ECDH_anon_WITH_AES_256_CBC_SHA TLSv1 ECDH None AES(256) SHA1 HIGH,FIPS,NOT_DEFAULT
            003A ADH-AES256-SHA TLS_DH_anon_WITH_AES_256_CBC_SHA SSLv3 DH None AES(256) SHA1 HIGH,FIPS,NOT_DEFAULT
            0089 ADH-CAMELLIA256-SHA TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA SSLv3 DH None Camellia(256) SHA1 HIGH,NOT_DEFAULT
            C009 ECDHE-ECDSA-AES128-SHA TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA TLSv1 ECDH ECDSA AES(128) SHA1 HIGH,FIPS
            C013 ECDHE-RSA-AES128-SHA TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA TLSv1 ECDH RSA AES(128) SHA1 HIGH,FIPS
            0033 DHE-RSA-AES128-SHA TLS_DHE_RSA_WITH_AES_128_CBC_SHA SSLv3 DH RSA AES(128) SHA1 HIGH,FIPS
            0032 DHE-DSS-AES128-SHA TLS_DHE_DSS_WITH_AES_128_CBC_SHA SSLv3 DH DSS AES(128) SHA1 HIGH,FIPS,NOT_DEFAULT
            0045 DHE-RSA-CAMELLIA128-SHA TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA SSLv3 DH RSA Camellia(128) SHA1 HIGH,NOT_DEFAULT
            0044 DHE-DSS-CAMELLIA128-SHA TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA SSLv3 DH DSS Camellia(128) SHA1 HIGH,NOT_DEFAULT
            C018 AECDH-AES128-SHA TLS_ECDH_anon_WITH_AES_128_CBC_SHA TLSv1 ECDH None AES(128) SHA1 HIGH,FIPS,NOT_DEFAULT
            0034 ADH-AES128-SHA TLS_DH_anon_WITH_AES_128_CBC_SHA SSLv3 DH None AES(128) SHA1 HIGH,FIPS,NOT_DEFAULT
            0046 ADH-CAMELLIA128-SHA TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA SSLv3 DH None Camellia(128) SHA1 HIGH,NOT_DEFAULT
            00AD RSA-PSK-AES256-GCM-SHA384 TLS_RSA_PSK_WITH_AES_256_GCM_SHA384 TLSv1.2 RSAPSK RSA AESGCM(256) AEAD HIGH,FIPS
            00AB DHE-PSK-AES256-GCM-SHA384 TLS_DHE_PSK_WITH_AES_256_GCM_SHA384 TLSv1.2 DHEPSK PSK AESGCM(256) AEAD HIGH,FIPS
            CCAE RSA-PSK-CHACHA20-POLY1305 TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256 TLSv1.2 RSAPSK RSA CHACHA20/POLY1305(256) AEAD HIGH
            CCAD DHE-PSK-CHACHA20-POLY1305 TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256 TLSv1.2 DHEPSK PSK CHACHA20/POLY1305(256) AEAD HIGH
            CCAC ECDHE-PSK-CHACHA20-POLY1305 TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 TLSv1.2 ECDHEPSK PSK CHACHA20/POLY1305(256) AEAD HIGH
            C0AB DHE-PSK-AES256-CCM8 TLS_PSK_DHE_WITH_AES_256_CCM_8 TLSv1.2 DHEPSK PSK AESCCM8(256) AEAD HIGH,NOT_DEFAULT
            C0A7 DHE-PSK-AES256-CCM TLS_DHE_PSK_WITH_AES_256_CCM TLSv1.2 DHEPSK PSK AESCCM(256) AEAD HIGH,NOT_DEFAULT
            C06F RSA-PSK-ARIA256-GCM-SHA384 TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384 TLSv1.2 RSAPSK RSA ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            C06D DHE-PSK-ARIA256-GCM-SHA384 TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384 TLSv1.2 DHEPSK PSK ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            009D AES256-GCM-SHA384 TLS_RSA_WITH_AES_256_GCM_SHA384 TLSv1.2 RSA RSA AESGCM(256) AEAD HIGH,FIPS
            C0A1 AES256-CCM8 TLS_RSA_WITH_AES_256_CCM_8 TLSv1.2 RSA RSA AESCCM8(256) AEAD HIGH,NOT_DEFAULT
            C09D AES256-CCM TLS_RSA_WITH_AES_256_CCM TLSv1.2 RSA RSA AESCCM(256) AEAD HIGH,NOT_DEFAULT
            C051 ARIA256-GCM-SHA384 TLS_RSA_WITH_ARIA_256_GCM_SHA384 TLSv1.2 RSA RSA ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            00A9 PSK-AES256-GCM-SHA384 TLS_PSK_WITH_AES_256_GCM_SHA384 TLSv1.2 PSK PSK AESGCM(256) AEAD HIGH,FIPS
            CCAB PSK-CHACHA20-POLY1305 TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 TLSv1.2 PSK PSK CHACHA20/POLY1305(256) AEAD HIGH
            C0A9 PSK-AES256-CCM8 TLS_PSK_WITH_AES_256_CCM_8 TLSv1.2 PSK PSK AESCCM8(256) AEAD HIGH,NOT_DEFAULT
            C0A5 PSK-AES256-CCM TLS_PSK_WITH_AES_256_CCM TLSv1.2 PSK PSK AESCCM(256) AEAD HIGH,NOT_DEFAULT
            C06B PSK-ARIA256-GCM-SHA384 TLS_PSK_WITH_ARIA_256_GCM_SHA384 TLSv1.2 PSK PSK ARIAGCM(256) AEAD HIGH,NOT_DEFAULT
            00AC RSA-PSK-AES128-GCM-SHA256 TLS_RSA_PSK_WITH_AES_128_GCM_SHA256 TLSv1.2 RSAPSK RSA AESGCM(128) AEAD HIGH,FIPS
            00AA DHE-PSK-AES128-GCM-SHA256 TLS_DHE_PSK_WITH_AES_128_GCM_SHA256 TLSv1.2 DHEPSK PSK AESGCM(128) AEAD HIGH,FIPS
            C0AA DHE-PSK-AES128-CCM8 TLS_PSK_DHE_WITH_AES_128_CCM_8 TLSv1.2 DHEPSK PSK AESCCM8(128) AEAD HIGH,NOT_DEFAULT
            C0A6 DHE-PSK-AES128-CCM TLS_DHE_PSK_WITH_AES_128_CCM TLSv1.2 DHEPSK PSK AESCCM(128) AEAD HIGH,NOT_DEFAULT
            C06E RSA-PSK-ARIA128-GCM-SHA256 TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256 TLSv1.2 RSAPSK RSA ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            C06C DHE-PSK-ARIA128-GCM-SHA256 TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256 TLSv1.2 DHEPSK PSK ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            009C AES128-GCM-SHA256 TLS_RSA_WITH_AES_128_GCM_SHA256 TLSv1.2 RSA RSA AESGCM(128) AEAD HIGH,FIPS
            C0A0 AES128-CCM8 TLS_RSA_WITH_AES_128_CCM_8 TLSv1.2 RSA RSA AESCCM8(128) AEAD HIGH,NOT_DEFAULT
            C09C AES128-CCM TLS_RSA_WITH_AES_128_CCM TLSv1.2 RSA RSA AESCCM(128) AEAD HIGH,NOT_DEFAULT
            C050 ARIA128-GCM-SHA256 TLS_RSA_WITH_ARIA_128_GCM_SHA256 TLSv1.2 RSA RSA ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            00A8 PSK-AES128-GCM-SHA256 TLS_PSK_WITH_AES_128_GCM_SHA256 TLSv1.2 PSK PSK AESGCM(128) AEAD HIGH,FIPS
            C0A8 PSK-AES128-CCM8 TLS_PSK_WITH_AES_128_CCM_8 TLSv1.2 PSK PSK AESCCM8(128) AEAD HIGH,NOT_DEFAULT
            C0A4 PSK-AES128-CCM TLS_PSK_WITH_AES_128_CCM TLSv1.2 PSK PSK AESCCM(128) AEAD HIGH,NOT_DEFAULT
            C06A PSK-ARIA128-GCM-SHA256 TLS_PSK_WITH_ARIA_128_GCM_SHA256 TLSv1.2 PSK PSK ARIAGCM(128) AEAD HIGH,NOT_DEFAULT
            003D AES256-SHA256 TLS_RSA_WITH_AES_256_CBC_SHA256 TLSv1.2 RSA RSA AES(256) SHA256 HIGH,FIPS
            00C0 CAMELLIA256-SHA256 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256 TLSv1.2 RSA RSA Camellia(256) SHA256 HIGH,NOT_DEFAULT
            003C AES128-SHA256 TLS_RSA_WITH_AES_128_CBC_SHA256 TLSv1.2 RSA RSA AES(128) SHA256 HIGH,FIPS
            00BA CAMELLIA128-SHA256 TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256 TLSv1.2 RSA RSA Camellia(128) SHA256 HIGH,NOT_DEFAULT
            C038 ECDHE-PSK-AES256-CBC-SHA384 TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384 TLSv1 ECDHEPSK PSK AES(256) SHA384 HIGH,FIPS
            C036 ECDHE-PSK-AES256-CBC-SHA TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA TLSv1 ECDHEPSK PSK AES(256) SHA1 HIGH,FIPS
            C022 SRP-DSS-AES-256-CBC-SHA TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA SSLv3 SRP DSS AES(256) SHA1 HIGH,NOT_DEFAULT
            C021 SRP-RSA-AES-256-CBC-SHA TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA SSLv3 SRP RSA AES(256) SHA1 HIGH
            C020 SRP-AES-256-CBC-SHA TLS_SRP_SHA_WITH_AES_256_CBC_SHA SSLv3 SRP SRP AES(256) SHA1 HIGH
            00B7 RSA-PSK-AES256-CBC-SHA384 TLS_RSA_PSK_WITH_AES_256_CBC_SHA384 TLSv1 RSAPSK RSA AES(256) SHA384 HIGH,FIPS
            00B3 DHE-PSK-AES256-CBC-SHA384 TLS_DHE_PSK_WITH_AES_256_CBC_SHA384 TLSv1 DHEPSK PSK AES(256) SHA384 HIGH,FIPS
            0095 RSA-PSK-AES256-CBC-SHA TLS_RSA_PSK_WITH_AES_256_CBC_SHA SSLv3 RSAPSK RSA AES(256) SHA1 HIGH,FIPS
            0091 DHE-PSK-AES256-CBC-SHA TLS_DHE_PSK_WITH_AES_256_CBC_SHA SSLv3 DHEPSK PSK AES(256) SHA1 HIGH,FIPS
            C09B ECDHE-PSK-CAMELLIA256-SHA384 TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 TLSv1 ECDHEPSK PSK Camellia(256) SHA384 HIGH,NOT_DEFAULT
            C099 RSA-PSK-CAMELLIA256-SHA384 TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384 TLSv1 RSAPSK RSA Camellia(256) SHA384 HIGH,NOT_DEFAULT
            C097 DHE-PSK-CAMELLIA256-SHA384 TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 TLSv1 DHEPSK PSK Camellia(256) SHA384 HIGH,NOT_DEFAULT
            0035 AES256-SHA TLS_RSA_WITH_AES_256_CBC_SHA SSLv3 RSA RSA AES(256) SHA1 HIGH,FIPS
            0084 CAMELLIA256-SHA TLS_RSA_WITH_CAMELLIA_256_CBC_SHA SSLv3 RSA RSA Camellia(256) SHA1 HIGH,NOT_DEFAULT
            00AF PSK-AES256-CBC-SHA384 TLS_PSK_WITH_AES_256_CBC_SHA384 TLSv1 PSK PSK AES(256) SHA384 HIGH,FIPS
            008D PSK-AES256-CBC-SHA TLS_PSK_WITH_AES_256_CBC_SHA SSLv3 PSK PSK AES(256) SHA1 HIGH,FIPS
            C095 PSK-CAMELLIA256-SHA384 TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384 TLSv1 PSK PSK Camellia(256) SHA384 HIGH,NOT_DEFAULT
            C037 ECDHE-PSK-AES128-CBC-SHA256 TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256 TLSv1 ECDHEPSK PSK AES(128) SHA256 HIGH,FIPS
            C035 ECDHE-PSK-AES128-CBC-SHA TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA TLSv1 ECDHEPSK PSK AES(128) SHA1 HIGH,FIPS
            C01F SRP-DSS-AES-128-CBC-SHA TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA SSLv3 SRP DSS AES(128) SHA1 HIGH,NOT_DEFAULT
            C01E SRP-RSA-AES-128-CBC-SHA TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA SSLv3 SRP RSA AES(128) SHA1 HIGH
            C01D SRP-AES-128-CBC-SHA TLS_SRP_SHA_WITH_AES_128_CBC_SHA SSLv3 SRP SRP AES(128) SHA1 HIGH
            00B6 RSA-PSK-AES128-CBC-SHA256 TLS_RSA_PSK_WITH_AES_128_CBC_SHA256 TLSv1 RSAPSK RSA AES(128) SHA256 HIGH,FIPS
            00B2 DHE-PSK-AES128-CBC-SHA256 TLS_DHE_PSK_WITH_AES_128_CBC_SHA256 TLSv1 DHEPSK PSK AES(128) SHA256 HIGH,FIPS
            0094 RSA-PSK-AES128-CBC-SHA TLS_RSA_PSK_WITH_AES_128_CBC_SHA SSLv3 RSAPSK RSA AES(128) SHA1 HIGH,FIPS
            0090 DHE-PSK-AES128-CBC-SHA TLS_DHE_PSK_WITH_AES_128_CBC_SHA SSLv3 DHEPSK PSK AES(128) SHA1 HIGH,FIPS
            C09A ECDHE-PSK-CAMELLIA128-SHA256 TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 TLSv1 ECDHEPSK PSK Camellia(128) SHA256 HIGH,NOT_DEFAULT
            C098 RSA-PSK-CAMELLIA128-SHA256 TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256 TLSv1 RSAPSK RSA Camellia(128) SHA256 HIGH,NOT_DEFAULT
            C096 DHE-PSK-CAMELLIA128-SHA256 TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 TLSv1 DHEPSK PSK Camellia(128) SHA256 HIGH,NOT_DEFAULT
            002F AES128-SHA TLS_RSA_WITH_AES_128_CBC_SHA SSLv3 RSA RSA AES(128) SHA1 HIGH,FIPS
            0041 CAMELLIA128-SHA TLS_RSA_WITH_CAMELLIA_128_CBC_SHA SSLv3 RSA RSA Camellia(128) SHA1 HIGH,NOT_DEFAULT
            00AE PSK-AES128-CBC-SHA256 TLS_PSK_WITH_AES_128_CBC_SHA256 TLSv1 PSK PSK AES(128) SHA256 HIGH,FIPS
            008C PSK-AES128-CBC-SHA TLS_PSK_WITH_AES_128_CBC_SHA SSLv3 PSK PSK AES(128) SHA1 HIGH,FIPS
            C094 PSK-CAMELLIA128-SHA256 TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256 TLSv1 PSK PSK Camellia(128) SHA256 HIGH,NOT_DEFAULT
            C006 ECDHE-ECDSA-NULL-SHA TLS_ECDHE_ECDSA_WITH_NULL_SHA TLSv1 ECDH ECDSA None SHA1 NONE
            C010 ECDHE-RSA-NULL-SHA TLS_ECDHE_RSA_WITH_NULL_SHA TLSv1 ECDH RSA None SHA1 NONE
            C015 AECDH-NULL-SHA TLS_ECDH_anon_WITH_NULL_SHA TLSv1 ECDH None None SHA1 NONE
            003B NULL-SHA256 TLS_RSA_WITH_NULL_SHA256 TLSv1.2 RSA RSA None SHA256 NONE
            C03B ECDHE-PSK-NULL-SHA384 TLS_ECDHE_PSK_WITH_NULL_SHA384 TLSv1 ECDHEPSK PSK None SHA384 NONE
            C03A ECDHE-PSK-NULL-SHA256 TLS_ECDHE_PSK_WITH_NULL_SHA256 TLSv1 ECDHEPSK PSK None SHA256 NONE
            C039 ECDHE-PSK-NULL-SHA TLS_ECDHE_PSK_WITH_NULL_SHA TLSv1 ECDHEPSK PSK None SHA1 NONE
            00B9 RSA-PSK-NULL-SHA384 TLS_RSA_PSK_WITH_NULL_SHA384 TLSv1 RSAPSK RSA None SHA384 NONE
            00B8 RSA-PSK-NULL-SHA256 TLS_RSA_PSK_WITH_NULL_SHA256 TLSv1 RSAPSK RSA None SHA256 NONE
            00B5 DHE-PSK-NULL-SHA384 TLS_DHE_PSK_WITH_NULL_SHA384 TLSv1 DHEPSK PSK None SHA384 NONE
            00B4 DHE-PSK-NULL-SHA256 TLS_DHE_PSK_WITH_NULL_SHA256 TLSv1 DHEPSK PSK None SHA256 NONE
            002E RSA-PSK-NULL-SHA TLS_RSA_PSK_WITH_NULL_SHA SSLv3 RSAPSK RSA None SHA1 NONE
            002D DHE-PSK-NULL-SHA TLS_DHE_PSK_WITH_NULL_SHA SSLv3 DHEPSK PSK None SHA1 NONE
            0002 NULL-SHA TLS_RSA_WITH_NULL_SHA SSLv3 RSA RSA None SHA1 NONE
            0001 NULL-MD5 TLS_RSA_WITH_NULL_MD5 SSLv3 RSA RSA None MD5 NONE
            00B1 PSK-NULL-SHA384 TLS_PSK_WITH_NULL_SHA384 TLSv1 PSK PSK None SHA384 NONE
            00B0 PSK-NULL-SHA256 TLS_PSK_WITH_NULL_SHA256 TLSv1 PSK PSK None SHA256 NONE
            002C PSK-NULL-SHA TLS_PSK_WITH_NULL_SHA SSLv3 PSK PSK None SHA1 NONE
            """;

    /** The table in OpenSSL's initial order (all suites, none selected yet). */
    static final List<Suite> INITIAL;
    private static final Map<String, Suite> BY_NAME = new LinkedHashMap<>();

    record Alias(String name, int mkey, int auth, int enc, int mac, int minTls, int strength) {
    }

    private static final Map<String, Alias> ALIASES = new LinkedHashMap<>();

    private static void alias(String name, int mkey, int auth, int enc, int mac, int minTls, int strength) {
        ALIASES.put(name, new Alias(name, mkey, auth, enc, mac, minTls, strength));
    }

    static {
        List<Suite> table = new ArrayList<>();
        for (String line : TABLE.strip().split("\\n")) {
            String[] f = line.strip().split(" +");
            Suite s = new Suite(Integer.parseInt(f[0], 16), f[1], f[2], version(f[3]), kx(f[4]), au(f[5]), enc(f[6]),
                    mac(f[7]), bits(f[6]), strength(f[8]));
            table.add(s);
            BY_NAME.put(s.name(), s);
        }
        INITIAL = List.copyOf(initialOrder(table));
        // ssl_ciph.c's cipher_aliases, in its order
        int notNull = ~E_NULL;
        alias("ALL", 0, 0, notNull, 0, 0, 0);
        alias("COMPLEMENTOFALL", 0, 0, E_NULL, 0, 0, 0);
        alias("COMPLEMENTOFDEFAULT", 0, 0, notNull, 0, 0, S_NOT_DEFAULT);
        alias("kRSA", K_RSA, 0, 0, 0, 0, 0);
        alias("kEDH", K_DHE, 0, 0, 0, 0, 0);
        alias("kDHE", K_DHE, 0, 0, 0, 0, 0);
        alias("DH", K_DHE, 0, 0, 0, 0, 0);
        alias("kEECDH", K_ECDHE, 0, 0, 0, 0, 0);
        alias("kECDHE", K_ECDHE, 0, 0, 0, 0, 0);
        alias("ECDH", K_ECDHE, 0, 0, 0, 0, 0);
        alias("kPSK", K_PSK, 0, 0, 0, 0, 0);
        alias("kRSAPSK", K_RSAPSK, 0, 0, 0, 0, 0);
        alias("kECDHEPSK", K_ECDHEPSK, 0, 0, 0, 0, 0);
        alias("kDHEPSK", K_DHEPSK, 0, 0, 0, 0, 0);
        alias("kSRP", K_SRP, 0, 0, 0, 0, 0);
        alias("kGOST", K_GOST, 0, 0, 0, 0, 0);
        alias("kGOST18", K_GOST18, 0, 0, 0, 0, 0);
        alias("aRSA", 0, A_RSA, 0, 0, 0, 0);
        alias("aDSS", 0, A_DSS, 0, 0, 0, 0);
        alias("DSS", 0, A_DSS, 0, 0, 0, 0);
        alias("aNULL", 0, A_NULL, 0, 0, 0, 0);
        alias("aECDSA", 0, A_ECDSA, 0, 0, 0, 0);
        alias("ECDSA", 0, A_ECDSA, 0, 0, 0, 0);
        alias("aPSK", 0, A_PSK, 0, 0, 0, 0);
        alias("aGOST01", 0, A_GOST01, 0, 0, 0, 0);
        alias("aGOST12", 0, A_GOST12, 0, 0, 0, 0);
        alias("aGOST", 0, A_GOST01 | A_GOST12, 0, 0, 0, 0);
        alias("aSRP", 0, A_SRP, 0, 0, 0, 0);
        alias("EDH", K_DHE, ~A_NULL, 0, 0, 0, 0);
        alias("DHE", K_DHE, ~A_NULL, 0, 0, 0, 0);
        alias("EECDH", K_ECDHE, ~A_NULL, 0, 0, 0, 0);
        alias("ECDHE", K_ECDHE, ~A_NULL, 0, 0, 0, 0);
        alias("NULL", 0, 0, E_NULL, 0, 0, 0);
        alias("RSA", K_RSA, A_RSA, 0, 0, 0, 0);
        alias("ADH", K_DHE, A_NULL, 0, 0, 0, 0);
        alias("AECDH", K_ECDHE, A_NULL, 0, 0, 0, 0);
        alias("PSK", K_PSK | K_RSAPSK | K_ECDHEPSK | K_DHEPSK, 0, 0, 0, 0, 0);
        alias("SRP", K_SRP, 0, 0, 0, 0, 0);
        alias("3DES", 0, 0, E_3DES, 0, 0, 0);
        alias("RC4", 0, 0, E_RC4, 0, 0, 0);
        alias("RC2", 0, 0, E_RC2, 0, 0, 0);
        alias("IDEA", 0, 0, E_IDEA, 0, 0, 0);
        alias("SEED", 0, 0, E_SEED, 0, 0, 0);
        alias("eNULL", 0, 0, E_NULL, 0, 0, 0);
        alias("GOST", 0, 0, E_GOST89 | E_GOST8912, 0, 0, 0);
        alias("AES128", 0, 0, E_AES128 | E_AES128GCM | E_AES128CCM | E_AES128CCM8, 0, 0, 0);
        alias("AES256", 0, 0, E_AES256 | E_AES256GCM | E_AES256CCM | E_AES256CCM8, 0, 0, 0);
        alias("AES", 0, 0, E_AES, 0, 0, 0);
        alias("AESGCM", 0, 0, E_AESGCM, 0, 0, 0);
        alias("AESCCM", 0, 0, E_AESCCM, 0, 0, 0);
        alias("AESCCM8", 0, 0, E_AES128CCM8 | E_AES256CCM8, 0, 0, 0);
        alias("CAMELLIA128", 0, 0, E_CAMELLIA128, 0, 0, 0);
        alias("CAMELLIA256", 0, 0, E_CAMELLIA256, 0, 0, 0);
        alias("CAMELLIA", 0, 0, E_CAMELLIA, 0, 0, 0);
        alias("CHACHA20", 0, 0, E_CHACHA20, 0, 0, 0);
        alias("GOST2012-KUZNYECHIK-KUZNYECHIKOMAC", 0, 0, E_KUZNYECHIK, 0, 0, 0);
        alias("GOST2012-MAGMA-MAGMAOMAC", 0, 0, E_MAGMA, 0, 0, 0);
        alias("ARIA", 0, 0, E_ARIA, 0, 0, 0);
        alias("ARIAGCM", 0, 0, E_ARIA, 0, 0, 0);
        alias("ARIA128", 0, 0, E_ARIA128GCM, 0, 0, 0);
        alias("ARIA256", 0, 0, E_ARIA256GCM, 0, 0, 0);
        alias("CBC", 0, 0, E_CBC, 0, 0, 0);
        alias("MD5", 0, 0, 0, M_MD5, 0, 0);
        alias("SHA1", 0, 0, 0, M_SHA1, 0, 0);
        alias("SHA", 0, 0, 0, M_SHA1, 0, 0);
        alias("GOST94", 0, 0, 0, M_GOST94, 0, 0);
        alias("GOST89MAC", 0, 0, 0, M_GOST89MAC | M_GOST89MAC12, 0, 0);
        alias("SHA256", 0, 0, 0, M_SHA256, 0, 0);
        alias("SHA384", 0, 0, 0, M_SHA384, 0, 0);
        alias("GOST12", 0, 0, 0, M_GOST12_256, 0, 0);
        alias("SSLv3", 0, 0, 0, 0, SSL3, 0);
        alias("TLSv1", 0, 0, 0, 0, TLS1, 0);
        alias("TLSv1.0", 0, 0, 0, 0, TLS1, 0);
        alias("TLSv1.2", 0, 0, 0, 0, TLS1_2, 0);
        alias("LOW", 0, 0, 0, 0, 0, S_LOW);
        alias("MEDIUM", 0, 0, 0, 0, 0, S_MEDIUM);
        alias("HIGH", 0, 0, 0, 0, 0, S_HIGH);
        alias("FIPS", 0, 0, notNull, 0, 0, S_FIPS);
        alias("EDH-DSS-DES-CBC3-SHA", K_DHE, A_DSS, E_3DES, M_SHA1, 0, S_HIGH | S_FIPS);
        alias("EDH-RSA-DES-CBC3-SHA", K_DHE, A_RSA, E_3DES, M_SHA1, 0, S_HIGH | S_FIPS);
    }

    private static int version(String v) {
        return switch (v) {
            case "SSLv3" -> SSL3;
            case "TLSv1" -> TLS1;
            case "TLSv1.2" -> TLS1_2;
            default -> throw new IllegalStateException(v);
        };
    }

    private static int kx(String k) {
        return switch (k) {
            case "RSA" -> K_RSA;
            case "DH" -> K_DHE;
            case "ECDH" -> K_ECDHE;
            case "PSK" -> K_PSK;
            case "RSAPSK" -> K_RSAPSK;
            case "ECDHEPSK" -> K_ECDHEPSK;
            case "DHEPSK" -> K_DHEPSK;
            case "SRP" -> K_SRP;
            default -> throw new IllegalStateException(k);
        };
    }

    private static int au(String a) {
        return switch (a) {
            case "RSA" -> A_RSA;
            case "DSS" -> A_DSS;
            case "None" -> A_NULL;
            case "ECDSA" -> A_ECDSA;
            case "PSK" -> A_PSK;
            case "SRP" -> A_SRP;
            default -> throw new IllegalStateException(a);
        };
    }

    private static int enc(String e) {
        return switch (e) {
            case "AES(128)" -> E_AES128;
            case "AES(256)" -> E_AES256;
            case "AESGCM(128)" -> E_AES128GCM;
            case "AESGCM(256)" -> E_AES256GCM;
            case "AESCCM(128)" -> E_AES128CCM;
            case "AESCCM(256)" -> E_AES256CCM;
            case "AESCCM8(128)" -> E_AES128CCM8;
            case "AESCCM8(256)" -> E_AES256CCM8;
            case "Camellia(128)" -> E_CAMELLIA128;
            case "Camellia(256)" -> E_CAMELLIA256;
            case "ARIAGCM(128)" -> E_ARIA128GCM;
            case "ARIAGCM(256)" -> E_ARIA256GCM;
            case "CHACHA20/POLY1305(256)" -> E_CHACHA20;
            case "None" -> E_NULL;
            default -> throw new IllegalStateException(e);
        };
    }

    private static int bits(String e) {
        int open = e.indexOf('(');
        return open < 0 ? 0 : Integer.parseInt(e.substring(open + 1, e.length() - 1));
    }

    private static int mac(String m) {
        return switch (m) {
            case "MD5" -> M_MD5;
            case "SHA1" -> M_SHA1;
            case "SHA256" -> M_SHA256;
            case "SHA384" -> M_SHA384;
            case "AEAD" -> M_AEAD;
            default -> throw new IllegalStateException(m);
        };
    }

    private static int strength(String classes) {
        int s = 0;
        for (String c : classes.split(",")) {
            s |= switch (c) {
                case "NONE" -> S_NONE;
                case "HIGH" -> S_HIGH;
                case "FIPS" -> S_FIPS;
                case "NOT_DEFAULT" -> S_NOT_DEFAULT;
                default -> throw new IllegalStateException(c);
            };
        }
        return s;
    }

    // ssl_cipher_apply_rule's rules
    private static final int ADD = 1, KILL = 2, DEL = 3, ORD = 4, BUMP = 6;

    /** A match pattern: OpenSSL's (cipher_id, alg_mkey, alg_auth, alg_enc, alg_mac, min_tls, algo_strength). */
    private record Pattern(int id, int mkey, int auth, int enc, int mac, int minTls, int strength, int bits) {
        static Pattern of(int mkey, int auth, int enc, int mac, int minTls) {
            return new Pattern(0, mkey, auth, enc, mac, minTls, 0, -1);
        }

        boolean matches(Suite s) {
            if (bits >= 0) {
                return bits == s.bits();
            }
            return (id == 0 || id == s.id())
                    && (mkey == 0 || (mkey & s.mkey()) != 0)
                    && (auth == 0 || (auth & s.auth()) != 0)
                    && (enc == 0 || (enc & s.enc()) != 0)
                    && (mac == 0 || (mac & s.mac()) != 0)
                    && (minTls == 0 || minTls == s.minTls())
                    && ((strength & STRONG_MASK) == 0 || (strength & STRONG_MASK & s.strength()) != 0)
                    && ((strength & DEFAULT_MASK) == 0 || (strength & DEFAULT_MASK & s.strength()) != 0);
        }
    }

    /** OpenSSL's doubly linked list of suites with their active flags, as a list (small enough). */
    private static final class Order {
        final List<Suite> list;
        final java.util.Set<Suite> active = new java.util.HashSet<>();

        Order(List<Suite> initial) {
            this.list = new ArrayList<>(initial);
        }

        /** ssl_cipher_apply_rule: walks the list as it was (backwards for DEL and BUMP) applying the rule. */
        void apply(Pattern p, int rule) {
            List<Suite> walk = new ArrayList<>(list);
            if (rule == DEL || rule == BUMP) {
                Collections.reverse(walk);
            }
            for (Suite s : walk) {
                if (!p.matches(s)) {
                    continue;
                }
                boolean on = active.contains(s);
                switch (rule) {
                    case ADD -> {
                        if (!on) {
                            list.remove(s);
                            list.add(s);
                            active.add(s);
                        }
                    }
                    case ORD -> {
                        if (on) {
                            list.remove(s);
                            list.add(s);
                        }
                    }
                    case DEL -> {
                        if (on) {
                            list.remove(s);
                            list.add(0, s);
                            active.remove(s);
                        }
                    }
                    case BUMP -> {
                        if (on) {
                            list.remove(s);
                            list.add(0, s);
                        }
                    }
                    case KILL -> {
                        list.remove(s);
                        active.remove(s);
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }

        /** ssl_cipher_strength_sort: for each strength in use, strongest first, move its active suites to the end. */
        void strengthSort() {
            java.util.TreeSet<Integer> used = new java.util.TreeSet<>(Collections.reverseOrder());
            for (Suite s : list) {
                if (active.contains(s)) {
                    used.add(s.bits());
                }
            }
            for (int bits : used) {
                apply(new Pattern(0, 0, 0, 0, 0, 0, 0, bits), ORD);
            }
        }

        List<Suite> selected() {
            return list.stream().filter(active::contains).toList();
        }
    }

    /** ssl_create_cipher_list's preference rules, applied to the table before any rule of the string. */
    private static List<Suite> initialOrder(List<Suite> table) {
        Order o = new Order(table);
        o.apply(Pattern.of(K_ECDHE, A_ECDSA, 0, 0, 0), ADD);
        o.apply(Pattern.of(K_ECDHE, 0, 0, 0, 0), ADD);
        o.apply(Pattern.of(K_ECDHE, 0, 0, 0, 0), DEL);
        o.apply(Pattern.of(0, 0, E_AESGCM, 0, 0), ADD);
        o.apply(Pattern.of(0, 0, E_CHACHA20, 0, 0), ADD);
        o.apply(Pattern.of(0, 0, E_AES ^ E_AESGCM, 0, 0), ADD);
        o.apply(Pattern.of(0, 0, 0, 0, 0), ADD);
        o.apply(Pattern.of(0, 0, 0, M_MD5, 0), ORD);
        o.apply(Pattern.of(0, A_NULL, 0, 0, 0), ORD);
        o.apply(Pattern.of(K_RSA, 0, 0, 0, 0), ORD);
        o.apply(Pattern.of(K_PSK, 0, 0, 0, 0), ORD);
        o.apply(Pattern.of(0, 0, E_RC4, 0, 0), ORD);
        o.strengthSort();
        o.apply(Pattern.of(0, 0, 0, 0, TLS1_2), BUMP);
        o.apply(Pattern.of(0, 0, 0, M_AEAD, 0), BUMP);
        o.apply(Pattern.of(K_DHE | K_ECDHE, 0, 0, 0, 0), BUMP);
        o.apply(Pattern.of(K_DHE | K_ECDHE, 0, 0, M_AEAD, 0), BUMP);
        o.apply(Pattern.of(0, 0, 0, 0, 0), DEL);
        return o.list;
    }

    /** OpenSSL's default cipher list ({@code OSSL_default_cipher_list()}), what a leading {@code DEFAULT} means. */
    static final String OPENSSL_DEFAULT = "ALL:!COMPLEMENTOFDEFAULT:!eNULL";

    /**
     * What {@code SSL_CTX_set_cipher_list} makes of a rule string.
     *
     * @param suites   the TLS 1.2-and-older suites selected, in order
     * @param secLevel the security level set by {@code @SECLEVEL=n}, or -1 when the string sets none
     */
    public record Selection(List<Suite> suites, int secLevel) {
    }

    /**
     * Evaluates a cipher list as OpenSSL 3.0's {@code SSL_CTX_set_cipher_list} does.
     *
     * @throws TlsException {@code ERR_SSL_INVALID_COMMAND} where OpenSSL reports "invalid command" (a character
     *                      outside a rule, an unknown or malformed {@code @} command), {@code ERR_SSL_NO_CIPHER_MATCH}
     *                      when no suite is selected
     */
    public static Selection evaluate(String rules) throws TlsException {
        Order o = new Order(INITIAL);
        int[] secLevel = {-1};
        boolean ok = true;
        String rest = rules;
        if (rules.startsWith("DEFAULT")) {
            ok = process(OPENSSL_DEFAULT, o, secLevel);
            rest = rules.substring(7);
            if (rest.startsWith(":")) {
                rest = rest.substring(1);
            }
        }
        if (ok && !rest.isEmpty()) {
            ok = process(rest, o, secLevel);
        }
        if (!ok) {
            throw new TlsException(ErrorCode.INVALID_COMMAND, "invalid command in cipher list '" + rules + "'");
        }
        List<Suite> selected = o.selected();
        if (selected.isEmpty()) {
            throw new TlsException(ErrorCode.NO_CIPHER_MATCH, "no cipher match: '" + rules + "'");
        }
        return new Selection(selected, secLevel[0]);
    }

    private static boolean separator(char c) {
        return c == ':' || c == ' ' || c == ';' || c == ',';
    }

    private static boolean wordChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '=';
    }

    /** ssl_cipher_process_rulestr; false where OpenSSL returns 0 (an invalid command). */
    private static boolean process(String s, Order o, int[] secLevel) {
        boolean retval = true;
        int l = 0;
        int n = s.length();
        while (l < n) {
            char ch = s.charAt(l);
            int rule;
            boolean special = false;
            switch (ch) {
                case '-' -> {
                    rule = DEL;
                    l++;
                }
                case '+' -> {
                    rule = ORD;
                    l++;
                }
                case '!' -> {
                    rule = KILL;
                    l++;
                }
                case '@' -> {
                    rule = 0;
                    special = true;
                    l++;
                }
                default -> rule = ADD;
            }
            if (separator(ch)) {
                l++;
                continue;
            }
            int mkey = 0, auth = 0, enc = 0, mac = 0, minTls = 0, strength = 0, id = 0;
            boolean found = false;
            String word;
            while (true) {
                int start = l;
                while (l < n && wordChar(s.charAt(l))) {
                    l++;
                }
                if (l == start) {
                    return false; // "we hit something we cannot deal with": SSL_R_INVALID_COMMAND
                }
                word = s.substring(start, l);
                if (special) {
                    break;
                }
                boolean multi = l < n && s.charAt(l) == '+';
                if (multi) {
                    l++;
                }
                Suite suite = BY_NAME.get(word);
                Alias a = suite != null ? null : ALIASES.get(word);
                found = suite != null || a != null;
                if (!found) {
                    break;
                }
                int am = suite != null ? suite.mkey() : a.mkey();
                int aa = suite != null ? suite.auth() : a.auth();
                int ae = suite != null ? suite.enc() : a.enc();
                int ac = suite != null ? suite.mac() : a.mac();
                int as = suite != null ? suite.strength() : a.strength();
                if (am != 0) {
                    mkey = mkey != 0 ? mkey & am : am;
                    if (mkey == 0) {
                        found = false;
                        break;
                    }
                }
                if (aa != 0) {
                    auth = auth != 0 ? auth & aa : aa;
                    if (auth == 0) {
                        found = false;
                        break;
                    }
                }
                if (ae != 0) {
                    enc = enc != 0 ? enc & ae : ae;
                    if (enc == 0) {
                        found = false;
                        break;
                    }
                }
                if (ac != 0) {
                    mac = mac != 0 ? mac & ac : ac;
                    if (mac == 0) {
                        found = false;
                        break;
                    }
                }
                if ((as & STRONG_MASK) != 0) {
                    if ((strength & STRONG_MASK) != 0) {
                        strength &= (as & STRONG_MASK) | ~STRONG_MASK;
                        if ((strength & STRONG_MASK) == 0) {
                            found = false;
                            break;
                        }
                    } else {
                        strength = as & STRONG_MASK; // as OpenSSL: an assignment (drops an earlier class bit)
                    }
                }
                if ((as & DEFAULT_MASK) != 0) {
                    if ((strength & DEFAULT_MASK) != 0) {
                        strength &= (as & DEFAULT_MASK) | ~DEFAULT_MASK;
                        if ((strength & DEFAULT_MASK) == 0) {
                            found = false;
                            break;
                        }
                    } else {
                        strength |= as & DEFAULT_MASK;
                    }
                }
                if (suite != null) {
                    id = suite.id(); // an explicit suite: its protocol version is not part of the pattern
                } else if (a.minTls() != 0) {
                    if (minTls != 0 && minTls != a.minTls()) {
                        found = false;
                        break;
                    }
                    minTls = a.minTls();
                }
                if (!multi) {
                    break;
                }
            }
            if (special) {
                boolean okCommand = false;
                if (word.equals("STRENGTH")) {
                    o.strengthSort();
                    okCommand = true;
                } else if (word.length() == 10 && word.startsWith("SECLEVEL=")) {
                    int level = word.charAt(9) - '0';
                    if (level >= 0 && level <= 5) {
                        secLevel[0] = level;
                        okCommand = true;
                    }
                }
                retval &= okCommand;
                while (l < n && !separator(s.charAt(l))) {
                    l++;
                }
            } else if (found) {
                o.apply(new Pattern(id, mkey, auth, enc, mac, minTls, strength, -1), rule);
            } else {
                while (l < n && !separator(s.charAt(l))) {
                    l++;
                }
            }
        }
        return retval;
    }

    /** The smallest strength, in bits, a suite needs at a security level ({@code ssl_security_default_callback}). */
    public static int minimumBits(int secLevel) {
        return switch (secLevel) {
            case 0 -> 0;
            case 1 -> 80;
            case 2 -> 112;
            case 3 -> 128;
            case 4 -> 192;
            default -> 256;
        };
    }

    /** A suite of the table by its OpenSSL name, or null. */
    public static Suite byName(String name) {
        return BY_NAME.get(name);
    }

    /** The OpenSSL name of a TLS 1.2-and-older suite's standard name, or null. */
    public static String openSslName(String standardName) {
        for (Suite s : INITIAL) {
            if (s.standardName().equals(standardName)) {
                return s.name();
            }
        }
        return null;
    }
}
