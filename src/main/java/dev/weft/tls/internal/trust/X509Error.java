package dev.weft.tls.internal.trust;

import java.util.Set;

/**
 * OpenSSL's certificate verification errors ({@code X509_V_ERR_*}): the number OpenSSL gives each, its text
 * ({@code X509_verify_cert_error_string}, OpenSSL 3 spelling) and the code Node reports for it. Node names only the
 * errors of its own list ({@code X509ErrorCode} in its sources); every other error is {@code UNSPECIFIED} there,
 * with OpenSSL's text as the message, and so it is here.
 */
public enum X509Error {
    UNSPECIFIED(1, "unspecified certificate verification error"),
    UNABLE_TO_GET_ISSUER_CERT(2, "unable to get issuer certificate"),
    UNABLE_TO_GET_CRL(3, "unable to get certificate CRL"),
    UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY(6, "unable to decode issuer public key"),
    CERT_SIGNATURE_FAILURE(7, "certificate signature failure"),
    CRL_SIGNATURE_FAILURE(8, "CRL signature failure"),
    CERT_NOT_YET_VALID(9, "certificate is not yet valid"),
    CERT_HAS_EXPIRED(10, "certificate has expired"),
    CRL_NOT_YET_VALID(11, "CRL is not yet valid"),
    CRL_HAS_EXPIRED(12, "CRL has expired"),
    ERROR_IN_CERT_NOT_BEFORE_FIELD(13, "format error in certificate's notBefore field"),
    ERROR_IN_CERT_NOT_AFTER_FIELD(14, "format error in certificate's notAfter field"),
    ERROR_IN_CRL_LAST_UPDATE_FIELD(15, "format error in CRL's lastUpdate field"),
    ERROR_IN_CRL_NEXT_UPDATE_FIELD(16, "format error in CRL's nextUpdate field"),
    DEPTH_ZERO_SELF_SIGNED_CERT(18, "self-signed certificate"),
    SELF_SIGNED_CERT_IN_CHAIN(19, "self-signed certificate in certificate chain"),
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY(20, "unable to get local issuer certificate"),
    UNABLE_TO_VERIFY_LEAF_SIGNATURE(21, "unable to verify the first certificate"),
    CERT_CHAIN_TOO_LONG(22, "certificate chain too long"),
    CERT_REVOKED(23, "certificate revoked"),
    NO_ISSUER_PUBLIC_KEY(24, "issuer certificate doesn't have a public key"),
    PATH_LENGTH_EXCEEDED(25, "path length constraint exceeded"),
    INVALID_PURPOSE(26, "unsuitable certificate purpose"),
    CERT_UNTRUSTED(27, "certificate not trusted"),
    CERT_REJECTED(28, "certificate rejected"),
    SUBJECT_ISSUER_MISMATCH(29, "subject issuer mismatch"),
    AKID_SKID_MISMATCH(30, "authority and subject key identifier mismatch"),
    AKID_ISSUER_SERIAL_MISMATCH(31, "authority and issuer serial number mismatch"),
    KEYUSAGE_NO_CERTSIGN(32, "key usage does not include certificate signing"),
    UNABLE_TO_GET_CRL_ISSUER(33, "unable to get CRL issuer certificate"),
    UNHANDLED_CRITICAL_EXTENSION(34, "unhandled critical extension"),
    KEYUSAGE_NO_CRL_SIGN(35, "key usage does not include CRL signing"),
    UNHANDLED_CRITICAL_CRL_EXTENSION(36, "unhandled critical CRL extension"),
    INVALID_NON_CA(37, "invalid non-CA certificate (has CA markings)"),
    KEYUSAGE_NO_DIGITAL_SIGNATURE(39, "key usage does not include digital signature"),
    PROXY_CERTIFICATES_NOT_ALLOWED(40, "proxy certificates not allowed, please set the appropriate flag"),
    INVALID_EXTENSION(41, "invalid or inconsistent certificate extension"),
    NO_EXPLICIT_POLICY(43, "no explicit policy"),
    DIFFERENT_CRL_SCOPE(44, "Different CRL scope"),
    UNNESTED_RESOURCE(46, "RFC 3779 resource not subset of parent's resources"),
    PERMITTED_VIOLATION(47, "permitted subtree violation"),
    EXCLUDED_VIOLATION(48, "excluded subtree violation"),
    SUBTREE_MINMAX(49, "name constraints minimum and maximum not supported"),
    UNSUPPORTED_CONSTRAINT_TYPE(51, "unsupported name constraint type"),
    UNSUPPORTED_CONSTRAINT_SYNTAX(52, "unsupported or invalid name constraint syntax"),
    UNSUPPORTED_NAME_SYNTAX(53, "unsupported or invalid name syntax"),
    CRL_PATH_VALIDATION_ERROR(54, "CRL path validation error"),
    EE_KEY_TOO_SMALL(66, "EE certificate key too weak"),
    CA_KEY_TOO_SMALL(67, "CA certificate key too weak"),
    CA_MD_TOO_WEAK(68, "CA signature digest algorithm too weak"),
    UNSUPPORTED_SIGNATURE_ALGORITHM(76, "Cannot find certificate signature algorithm"),
    SIGNATURE_ALGORITHM_MISMATCH(77, "subject signature algorithm and issuer public key algorithm mismatch"),
    INVALID_CA(79, "invalid CA certificate"),
    EC_KEY_EXPLICIT_PARAMS(94, "Certificate public key has explicit ECC parameters");

    /** The errors Node reports under their own name; all others are {@code UNSPECIFIED} in Node. */
    private static final Set<String> NODE_NAMED = Set.of("UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_CRL",
            "UNABLE_TO_DECRYPT_CERT_SIGNATURE", "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
            "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "CERT_SIGNATURE_FAILURE", "CRL_SIGNATURE_FAILURE",
            "CERT_NOT_YET_VALID", "CERT_HAS_EXPIRED", "CRL_NOT_YET_VALID", "CRL_HAS_EXPIRED",
            "ERROR_IN_CERT_NOT_BEFORE_FIELD", "ERROR_IN_CERT_NOT_AFTER_FIELD", "ERROR_IN_CRL_LAST_UPDATE_FIELD",
            "ERROR_IN_CRL_NEXT_UPDATE_FIELD", "OUT_OF_MEM", "DEPTH_ZERO_SELF_SIGNED_CERT",
            "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "CERT_CHAIN_TOO_LONG", "CERT_REVOKED", "INVALID_CA", "PATH_LENGTH_EXCEEDED", "INVALID_PURPOSE",
            "CERT_UNTRUSTED", "CERT_REJECTED", "HOSTNAME_MISMATCH");

    private final int number;
    private final String text;

    X509Error(int number, String text) {
        this.number = number;
        this.text = text;
    }

    /** {@return OpenSSL's number for this error, as {@code openssl verify} prints it} */
    public int number() {
        return number;
    }

    /** {@return OpenSSL's text for this error: the message Node gives it} */
    public String text() {
        return text;
    }

    /** {@return the code Node reports: this error's name when Node knows it, else {@code UNSPECIFIED}} */
    public String nodeCode() {
        return NODE_NAMED.contains(name()) ? name() : UNSPECIFIED.name();
    }
}
