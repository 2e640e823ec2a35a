package dev.weft.tls;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JSSE provider that runs TLS underneath weft.
 *
 * <p>Chosen, in this order, by the option on {@link ServerOptions} or {@link ClientOptions}, the system property
 * {@code weft.provider}, the environment variable {@code WEFT_PROVIDER}, else {@link #SUN}. Names are
 * {@code sun}, {@code bc} and {@code conscrypt}, in any case.
 *
 * <p>Bouncy Castle JSSE ({@code org.bouncycastle:bctls-jdk18on}) and Conscrypt
 * ({@code org.conscrypt:conscrypt-openjdk-uber}) are optional dependencies: their classes are loaded only when the
 * provider is chosen, and a missing jar is a {@link TlsException} with code {@code ERR_WEFT_PROVIDER_UNAVAILABLE}
 * naming the Maven coordinates to add.
 *
 * <p>Differences from Node: Node has one TLS implementation (OpenSSL). weft lets the application pick one of three
 * at startup without changing its code; Conscrypt is BoringSSL, the closest to Node's OpenSSL.
 */
public enum JsseProvider {
    /** The JDK's own provider, SunJSSE. Always available. */
    SUN,
    /** Bouncy Castle JSSE (BCJSSE), pure Java. */
    BC,
    /** Conscrypt: Google's JSSE provider over BoringSSL (native). */
    CONSCRYPT;

    /** The system property that chooses the provider when the options do not. */
    public static final String SYSTEM_PROPERTY = "weft.provider";
    /** The environment variable that chooses the provider when neither the options nor the property do. */
    public static final String ENVIRONMENT_VARIABLE = "WEFT_PROVIDER";

    /**
     * {@return the provider named {@code name}: {@code sun}, {@code bc} or {@code conscrypt}, in any case}
     *
     * @param name {@code sun}, {@code bc} or {@code conscrypt}, in any case
     * @throws IllegalArgumentException for any other name, listing the valid ones
     */
    public static JsseProvider fromName(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (JsseProvider p : values()) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown TLS provider '" + name + "'; valid names are "
                + Arrays.stream(values()).map(JsseProvider::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * {@return the provider to use when the options say {@code chosen}: {@code chosen} itself when it is not null, else
     * the system property {@code weft.provider}, else the environment variable {@code WEFT_PROVIDER}, else SUN}
     *
     * @param chosen the provider the options name, or null
     */
    public static JsseProvider resolve(JsseProvider chosen) {
        if (chosen != null) {
            return chosen;
        }
        String property = System.getProperty(SYSTEM_PROPERTY);
        if (property != null && !property.isBlank()) {
            return fromName(property);
        }
        String env = System.getenv(ENVIRONMENT_VARIABLE);
        if (env != null && !env.isBlank()) {
            return fromName(env);
        }
        return SUN;
    }

    /**
     * {@return the lower-case name used on the command line and in properties: {@code sun}, {@code bc}, {@code
     * conscrypt}}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
