package dev.weft.trust;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.Pem;
import dev.weft.testing.MiniJson;
import dev.weft.testing.Tool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Node as the oracle of certificate-chain verification: one long-lived node process (Node 24 from
 * {@link dev.weft.testing.Node24#binary()}, or Debian's Node 20 {@code node}) running {@code node-oracle.js},
 * driven by JSON lines on its standard input and output. Everything is on 127.0.0.1; every call is bounded by a
 * timeout; {@link #close()} kills the process and with it every server it runs.
 *
 * <p>The presenting side of every connection (the server of {@link #serve}, the client of {@link #present}, and the
 * presenting end in {@link #judge}) uses {@code ciphers: 'DEFAULT@SECLEVEL=0'}, so that weak keys and hashes can be
 * presented at all; the verifying side in {@link #judge} keeps Node's defaults. Thread-safe.
 */
public final class NodeOracle implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    /** node-oracle.js gives up on one handshake after 5 s; this is the bound per case of a {@link #judge} call. */
    private static final Duration PER_CASE = Duration.ofSeconds(6);

    private final Process process;
    private final OutputStream stdin;
    private final Path script;
    private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final StringBuffer stderr = new StringBuffer();
    private final HeldCertificate identity = Certs.selfSigned("node-oracle.localhost").build();
    private volatile String version;
    private volatile String openssl;

    private NodeOracle(Process process, Path script) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.script = script;
        Thread.ofVirtual().name("node-oracle-stdout").start(this::readReplies);
        Thread.ofVirtual().name("node-oracle-stderr").start(() -> pump(process.getErrorStream()));
    }

    /**
     * Starts the oracle with this node binary (an absolute path, or a name looked up on the PATH such as
     * {@code node}).
     *
     * @param nodeBinary the node executable
     * @return the running oracle
     */
    public static NodeOracle start(Path nodeBinary) {
        Tool.requireOnPath(nodeBinary.toString());
        Path script;
        Process p;
        try (InputStream in = NodeOracle.class.getResourceAsStream("node-oracle.js")) {
            if (in == null) {
                throw new AssertionError("node-oracle.js is not on the test class path");
            }
            script = Files.createTempFile("weft-node-oracle-", ".js");
            Files.write(script, in.readAllBytes());
            p = new ProcessBuilder(nodeBinary.toString(), script.toString()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + nodeBinary + " node-oracle.js: " + e, e);
        }
        NodeOracle oracle = new NodeOracle(p, script);
        try {
            Map<?, ?> hello = (Map<?, ?>) oracle.call(Map.of("op", "init", "key", oracle.identity.privateKeyPem(),
                    "cert", oracle.identity.certificatePem()), START_TIMEOUT);
            oracle.version = (String) hello.get("version");
            oracle.openssl = (String) hello.get("openssl");
        } catch (RuntimeException | Error e) {
            oracle.close();
            throw e;
        }
        return oracle;
    }

    /** {@return Node's {@code process.version}, e.g. {@code v24.11.1}} */
    public String version() {
        return version;
    }

    /** {@return the OpenSSL version Node runs on, {@code process.versions.openssl}} */
    public String openssl() {
        return openssl;
    }

    /**
     * Node judges each case: for {@link Direction#SERVER_CHAIN} a node TLS server presents the chain and a
     * {@code tls.connect} client with the case's {@code ca}, {@code crl}, {@code allowPartialTrustChain},
     * {@code rejectUnauthorized: false}, {@code checkServerIdentity: () => undefined} and no servername verifies it;
     * for {@link Direction#CLIENT_CHAIN} a node server with {@code requestCert: true, rejectUnauthorized: false} and
     * the case's {@code ca}, {@code crl}, {@code allowPartialTrustChain} verifies a node client presenting the chain.
     * Cases run one after another, each handshake bounded by 5 s.
     *
     * <p>{@code tls.createServer} drops {@code allowPartialTrustChain} (its {@code setSecureContext} copies a fixed
     * list of options without it, Node 20 and 24), so for {@link Direction#CLIENT_CHAIN} the verifying server's
     * context is made by {@code tls.createSecureContext} from the same options, which honours it: Node's verdict
     * with the option in effect. {@link #judgeWithCreateServerOptions} shows what a server given the option in
     * {@code tls.createServer}'s options does.
     *
     * @param cases the cases to judge
     * @param d which side presents the chain
     * @return each case's verdict by case name, in the order given; see {@link Verdict} for a failed handshake
     */
    public Map<String, Verdict> judge(List<ChainCase> cases, Direction d) {
        return judge(cases, d, "context");
    }

    /**
     * As {@link #judge judge(cases, CLIENT_CHAIN)}, with {@code allowPartialTrustChain} passed only in
     * {@code tls.createServer}'s options, where Node ignores it.
     *
     * @param cases the cases to judge
     * @return each case's verdict by case name
     */
    public Map<String, Verdict> judgeWithCreateServerOptions(List<ChainCase> cases) {
        return judge(cases, Direction.CLIENT_CHAIN, "serverOptions");
    }

    private Map<String, Verdict> judge(List<ChainCase> cases, Direction d, String partialVia) {
        List<Object> wire = new ArrayList<>();
        for (ChainCase c : cases) {
            wire.add(wire(c));
        }
        Map<?, ?> results = (Map<?, ?>) call(Map.of("op", "judge", "direction", d.name(), "cases", wire,
                "partialVia", partialVia), CALL_TIMEOUT.plus(PER_CASE.multipliedBy(cases.size())));
        Map<String, Verdict> out = new LinkedHashMap<>();
        for (ChainCase c : cases) {
            Map<?, ?> r = (Map<?, ?>) results.get(c.name());
            if (r == null) {
                throw new AssertionError("node oracle returned no verdict for " + c.name());
            }
            out.put(c.name(), new Verdict(Boolean.TRUE.equals(r.get("authorized")), (String) r.get("code"),
                    (String) r.get("message"), (String) r.get("handshakeError")));
            if (r.containsKey("hasVerifyError") && !Boolean.TRUE.equals(r.get("hasVerifyError"))) {
                throw new AssertionError("node " + version + " has no socket._handle.verifyError()");
            }
        }
        return out;
    }

    /**
     * Starts a node TLS server on 127.0.0.1 presenting {@code c}'s chain (security level 0), which echoes what it
     * reads; it runs until this oracle is closed.
     *
     * @param c the case whose chain and leaf key the server presents
     * @return the server's port
     */
    public int serve(ChainCase c) {
        Map<?, ?> r = (Map<?, ?>) call(Map.of("op", "serve", "case", wire(c)), CALL_TIMEOUT);
        return ((Number) r.get("port")).intValue();
    }

    /**
     * A node client presents {@code c}'s chain as its client certificate (security level 0,
     * {@code rejectUnauthorized: false}) to the TLS server on 127.0.0.1:{@code port}; once its handshake completes
     * it ends the connection. Returns after the connection has closed, the handshake has failed, or 5 s.
     *
     * @param c the case whose chain and leaf key the client presents
     * @param port the server's port on 127.0.0.1
     */
    public void present(ChainCase c, int port) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("op", "present");
        req.put("case", wire(c));
        req.put("port", port);
        req.put("timeoutMs", 5000);
        call(req, CALL_TIMEOUT);
    }

    private static Map<String, Object> wire(ChainCase c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("key", Pem.privateKey(c.leafKey()));
        m.put("cert", Pem.certificates(c.sent().toArray(X509Certificate[]::new)));
        List<Object> ca = new ArrayList<>();
        for (X509Certificate t : c.trusted()) {
            ca.add(Pem.certificates(t));
        }
        m.put("ca", ca);
        List<Object> crl = new ArrayList<>();
        for (X509CRL x : c.crls()) {
            crl.add(Pem.crl(x));
        }
        m.put("crl", crl);
        m.put("partial", c.allowPartialTrustChain());
        return m;
    }

    private Object call(Map<String, Object> request, Duration timeout) {
        long id = ids.incrementAndGet();
        Map<String, Object> req = new LinkedHashMap<>(request);
        req.put("id", id);
        CompletableFuture<Object> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            synchronized (stdin) {
                stdin.write((dev.weft.tls.internal.json.Json.write(req) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new AssertionError("node oracle is gone (" + e + ")" + diagnostics(), e);
        } catch (TimeoutException e) {
            throw new AssertionError("node oracle did not answer " + request.get("op") + " within " + timeout
                    + diagnostics(), e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage() + diagnostics(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            pending.remove(id);
        }
    }

    private void readReplies() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                Map<?, ?> reply;
                try {
                    reply = (Map<?, ?>) MiniJson.parse(line);
                } catch (IllegalArgumentException | ClassCastException e) {
                    stderr.append("unreadable reply: ").append(line).append('\n');
                    continue;
                }
                Object id = reply.get("id");
                CompletableFuture<Object> f = id instanceof Number n ? pending.get(n.longValue()) : null;
                if (f == null) {
                    stderr.append("reply to no request: ").append(line).append('\n');
                } else if (Boolean.TRUE.equals(reply.get("ok"))) {
                    f.complete(reply.get("result"));
                } else {
                    f.completeExceptionally(new AssertionError("node oracle: " + reply.get("error")));
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        AssertionError gone = new AssertionError("node oracle exited" + diagnostics());
        pending.values().forEach(f -> f.completeExceptionally(gone));
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private String diagnostics() {
        String err = stderr.toString();
        return (process.isAlive() ? "" : " (exit " + process.exitValue() + ")")
                + (err.isEmpty() ? "" : "\nnode stderr: " + (err.length() > 4000 ? err.substring(0, 4000) : err));
    }

    /** Kills the node process (and so every server {@link #serve} started) and removes its script. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(script);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
