package dev.weft.trust;

import dev.weft.cert.Pem;
import dev.weft.testing.TestCerts;
import dev.weft.tls.ClientOptions;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import dev.weft.tls.VerifyOptions;
import dev.weft.tls.VerifyResult;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How weft judges a {@link ChainCase}: through {@link Tls#verify}, and in real handshakes on a provider, as a client
 * verifying a server that presents the chain and as a server verifying a client that presents it. Each handshake
 * judgement runs twice, as Node's are read: lenient ({@code rejectUnauthorized(false)}: {@code authorized} and
 * {@code authorizationError}) and strict (the refusal's code and message).
 */
final class WeftJudge {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private WeftJudge() {
    }

    /** {@link Tls#verify} with the case's trust, for the direction's purpose. */
    static Verdict verify(ChainCase c, Direction d) throws TlsException {
        VerifyOptions.Builder b = VerifyOptions.builder().allowPartialTrustChain(c.allowPartialTrustChain())
                .purpose(d == Direction.SERVER_CHAIN ? VerifyOptions.Purpose.SERVER : VerifyOptions.Purpose.CLIENT);
        if (!c.trusted().isEmpty()) {
            b.ca(Pem.certificates(c.trusted().toArray(X509Certificate[]::new)));
        }
        for (X509CRL crl : c.crls()) {
            b.crl(Pem.crl(crl));
        }
        VerifyResult r = Tls.verify(c.sent(), b.build());
        return new Verdict(r.authorized(), r.authorizationError(), r.message(), null);
    }

    /** A weft client on {@code provider} verifying a server (a real peer on {@code port}) that presents the chain. */
    static Verdict asClient(JsseProvider provider, ChainCase c, int port) {
        Verdict lenient;
        try (TlsSocket s = Tls.connect(port, "127.0.0.1", client(provider, c).rejectUnauthorized(false).build())) {
            lenient = new Verdict(s.authorized(), s.authorizationError(), null, null);
        } catch (TlsException e) {
            return handshakeFailed(e);
        } catch (IOException e) {
            return new Verdict(false, null, null, "client: " + e);
        }
        String message = null;
        if (!lenient.authorized()) {
            try (TlsSocket s = Tls.connect(port, "127.0.0.1", client(provider, c).build())) {
                return new Verdict(false, lenient.code(), null, "strict client connected although lenient saw "
                        + lenient.code());
            } catch (TlsException e) {
                if (!e.code().equals(lenient.code())) {
                    return new Verdict(false, lenient.code(), null, "strict client refused with " + e.code()
                            + " (" + e.getMessage() + ") but lenient saw " + lenient.code());
                }
                message = e.getMessage();
            } catch (IOException e) {
                return new Verdict(false, null, null, "client: " + e);
            }
        }
        return new Verdict(lenient.authorized(), lenient.code(), message, null);
    }

    private static ClientOptions.Builder client(JsseProvider provider, ChainCase c) {
        ClientOptions.Builder b = ClientOptions.builder().provider(provider)
                .allowPartialTrustChain(c.allowPartialTrustChain()).checkServerIdentity((host, cert) -> { })
                .handshakeTimeout(WAIT);
        if (!c.trusted().isEmpty()) {
            b.ca(Pem.certificates(c.trusted().toArray(X509Certificate[]::new)));
        }
        for (X509CRL crl : c.crls()) {
            b.crl(Pem.crl(crl));
        }
        return b;
    }

    /** A weft server on {@code provider} verifying a client (a real peer) that presents the chain. */
    static Verdict asServer(JsseProvider provider, ChainCase c, NodeOracle peer) throws Exception {
        Verdict lenient = serverSees(provider, c, peer, false);
        if (lenient.handshakeFailed() || lenient.authorized()) {
            return lenient;
        }
        Verdict strict = serverSees(provider, c, peer, true);
        if (strict.authorized() || strict.handshakeFailed() || !lenient.code().equals(strict.code())) {
            return new Verdict(false, lenient.code(), null, "strict server saw " + strict.summary()
                    + " but lenient saw " + lenient.code());
        }
        return new Verdict(false, lenient.code(), strict.message(), null);
    }

    private static Verdict serverSees(JsseProvider provider, ChainCase c, NodeOracle peer, boolean reject)
            throws Exception {
        ServerOptions.Builder b = ServerOptions.builder().provider(provider)
                .key(TestCerts.SERVER.privateKeyPem()).cert(TestCerts.SERVER.certificatePem())
                .requestCert(true).rejectUnauthorized(reject).allowPartialTrustChain(c.allowPartialTrustChain())
                .handshakeTimeout(WAIT);
        if (!c.trusted().isEmpty()) {
            b.ca(Pem.certificates(c.trusted().toArray(X509Certificate[]::new)));
        }
        for (X509CRL crl : c.crls()) {
            b.crl(Pem.crl(crl));
        }
        CompletableFuture<Verdict> seen = new CompletableFuture<>();
        try (TlsServer server = Tls.createServer(b.build(), s -> seen.complete(
                new Verdict(s.authorized(), s.authorizationError(), null, null)))) {
            server.onClientError((e, remote) -> seen.complete(reject && isVerificationCode(e.code())
                    ? new Verdict(false, e.code(), e.getMessage(), null) : handshakeFailed(e)));
            server.listen(0, "127.0.0.1");
            peer.present(c, server.address().getPort());
            return seen.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Verdict(false, null, null, "server saw nothing within " + WAIT);
        }
    }

    /** Whether {@code code} is a verification outcome (Node's X509 codes or weft's deadline), not a TLS failure. */
    static boolean isVerificationCode(String code) {
        return VERIFICATION_CODES.contains(code);
    }

    private static final java.util.Set<String> VERIFICATION_CODES = java.util.stream.Stream.concat(
            java.util.Arrays.stream(dev.weft.tls.internal.trust.X509Error.values())
                    .map(dev.weft.tls.internal.trust.X509Error::nodeCode),
            java.util.stream.Stream.of("ERR_WEFT_CERT_VERIFY_TIMEOUT", "ERR_TLS_CERT_ALTNAME_INVALID"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static Verdict handshakeFailed(TlsException e) {
        return new Verdict(false, isVerificationCode(e.code()) ? e.code() : null,
                isVerificationCode(e.code()) ? e.getMessage() : null, e.code() + " " + e.getMessage());
    }
}
