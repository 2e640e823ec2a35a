/**
 * weft: Node.js's {@code tls} module for Java, blocking sockets on virtual threads over SunJSSE, Bouncy Castle
 * JSSE or Conscrypt.
 *
 * <p>The API is {@link dev.weft.tls} (servers, sockets, options, {@link dev.weft.tls.SecurePair}) and
 * {@link dev.weft.cert} (certificates and keys without openssl). Nothing else is exported: {@code
 * dev.weft.tls.internal}, the load generator ({@code dev.weft.bench}) and the command line ({@code dev.weft.cli})
 * may change in any release.
 *
 * <p>Bouncy Castle's provider, utility and PKIX modules are required: {@link dev.weft.cert} is built on them.
 * Bouncy Castle JSSE ({@code org.bouncycastle.tls}) and Conscrypt ({@code org.conscrypt}) are {@code requires
 * static}: a module-path application that chooses one of them adds its jar to the module path and the module to
 * the graph ({@code --add-modules org.bouncycastle.tls} or {@code org.conscrypt}, or a {@code requires} in its own
 * module); without it, choosing the provider is a {@link dev.weft.tls.TlsException} with code
 * {@code ERR_WEFT_PROVIDER_UNAVAILABLE}.
 */
// org.conscrypt has no module descriptor, only an Automatic-Module-Name. HdrHistogram 2.2.2 has neither: its name
// comes from its jar's file name (HdrHistogram-2.2.2.jar). Its build means to name it org.HdrHistogram, which 2.2.2's
// manifest lacks; a version that ships that name needs the requires below changed to it.
@SuppressWarnings("requires-automatic")
module dev.weft {
    exports dev.weft.tls;
    exports dev.weft.cert;

    requires jdk.jfr; // the JFR events in dev.weft.tls.internal.events.Events
    requires jdk.management; // the file-descriptor limit (dev.weft.tls.internal.limits.Descriptors)
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    requires org.bouncycastle.pkix;

    // optional providers, loaded only when chosen (dev.weft.tls.internal.provider.ProviderSupport)
    requires static org.bouncycastle.tls;
    requires static org.conscrypt;

    // the command line: picocli is optional for library users; java.logging quiets Bouncy Castle's logger
    requires static info.picocli;
    requires java.logging;
    requires static jdk.unsupported; // weft bench's hold mode ends on Ctrl-C (sun.misc.Signal)
    requires static HdrHistogram; // weft bench's rate mode records latencies in an HdrHistogram (dev.weft.bench)

    opens dev.weft.cli to info.picocli;
}
