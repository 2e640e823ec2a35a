package dev.weft.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cert.Certs;
import dev.weft.cert.HeldCertificate;
import dev.weft.cert.KeyType;
import dev.weft.testing.MiniJson;
import dev.weft.testing.Node24;
import dev.weft.testing.Tool;
import dev.weft.tls.internal.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Tls#checkServerIdentity} against Node's own {@code tls.checkServerIdentity}, live, on Node 24 (which weft
 * follows) and Node 20: every host of a generated list against every certificate of a generated list (DNS and IP
 * SANs with and without wildcards, URI and e-mail SANs, CN with and without SANs, no name at all), each
 * certificate given to Node as its PEM ({@code new X509Certificate(pem).toLegacyObject()}, the object a TLS peer
 * hands {@code checkServerIdentity}). The verdict and Node's reason must be weft's; where the two Nodes differ, the
 * test prints it.
 */
class ServerIdentityNodeIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String SCRIPT = """
            const tls = require('tls'), fs = require('fs'), { X509Certificate } = require('crypto');
            const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
            const out = [];
            for (const c of cases) {
              const cert = new X509Certificate(c.pem).toLegacyObject();
              for (const host of c.hosts) {
                const e = tls.checkServerIdentity(host, cert);
                out.push(e === undefined ? 'OK' : e.code + ' ' + e.reason);
              }
            }
            console.log(JSON.stringify(out));
            """;

    /** A certificate of the corpus: its CN (null: none) and its SANs in OpenSSL's form. */
    private record Shape(String cn, List<String> sans) {
    }

    private static List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        List<List<String>> sans = List.of(List.of("DNS:localhost"), List.of("DNS:*.example.com"),
                List.of("DNS:f*.example.com"), List.of("DNS:*.com"), List.of("DNS:xn--*.example.com"),
                List.of("DNS:**.example.com"), List.of("DNS:a.*.example.com"), List.of("DNS:*"),
                List.of("DNS:*.b.example.com", "DNS:example.com"), List.of("DNS:EXAMPLE.com"),
                List.of("DNS:other", "DNS:localhost"), List.of("DNS:*fo.example.com"), List.of("DNS:b*r.example.com"),
                List.of("IP:127.0.0.1"), List.of("IP:::1"), List.of("IP:2001:db8::abcd"), List.of("DNS:127.0.0.1"),
                List.of("IP:127.0.0.1", "DNS:localhost"), List.of("URI:http://a.com/"),
                List.of("email:admin@example.com"), List.of("URI:http://a.com/", "email:a.com"));
        for (List<String> s : sans) {
            shapes.add(new Shape(null, s));
        }
        for (String cn : List.of("a.com", "localhost", "*.example.com", "127.0.0.1", "A.COM")) {
            shapes.add(new Shape(cn, List.of()));
            shapes.add(new Shape(cn, List.of("URI:http://a.com/")));
            shapes.add(new Shape(cn, List.of("DNS:other.org")));
        }
        shapes.add(new Shape(null, List.of()));
        return shapes;
    }

    private static final List<String> HOSTS = List.of("localhost", "LOCALHOST", "localhost.", "a.com", "A.com",
            "b.com", "a.example.com", "foo.example.com", "bar.example.com", "a.b.example.com", "example.com",
            "xn--a.example.com", "a.x.example.com", "x.b.example.com", "other", "127.0.0.1", "::1", "10.0.0.1",
            "2001:db8::abcd", "2001:DB8::ABCD", "2001:db8:0:0:0:0:0:abcd", "a..example.com", ".example.com",
            "*.example.com", "other.org", "cnonly.example.com", "com", "admin@example.com", "fo.example.com",
            "xfo.example.com", "bar.example.com.", "b.r.example.com");

    @Test
    void weftDecidesAsNode24DoesOnEveryHostAndCertificate(@TempDir Path dir) throws Exception {
        List<Shape> shapes = shapes();
        List<HeldCertificate> certs = new ArrayList<>();
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Shape s : shapes) {
            Certs.Builder b = Certs.leaf("x").keyType(KeyType.EC_P256);
            b.subject(s.cn() == null ? "O=weft identity corpus" : "O=weft identity corpus,CN=" + s.cn());
            if (!s.sans().isEmpty()) {
                b.san(s.sans().toArray(String[]::new));
            }
            HeldCertificate c = b.build();
            certs.add(c);
            cases.add(Map.of("pem", c.certificatePem(), "hosts", HOSTS));
        }
        Files.writeString(dir.resolve("cases.json"), Json.write(cases));
        Files.writeString(dir.resolve("identity.js"), SCRIPT);
        List<String> node24 = run(dir, Node24.binary().toString());
        List<String> node20 = run(dir, "node");

        Map<String, String> differences = new LinkedHashMap<>();
        List<String> nodesDiffer = new ArrayList<>();
        int i = 0;
        for (int c = 0; c < certs.size(); c++) {
            PeerCertificate peer = PeerCertificate.of(certs.get(c).certificate());
            for (String host : HOSTS) {
                String weft;
                try {
                    Tls.checkServerIdentity(host, peer);
                    weft = "OK";
                } catch (ServerIdentityException e) {
                    weft = e.code() + " " + e.reason();
                }
                String where = host + " vs " + shapes.get(c);
                if (!weft.equals(node24.get(i))) {
                    differences.put(where, "weft: " + weft + " | node 24: " + node24.get(i));
                }
                if (!node20.get(i).equals(node24.get(i))) {
                    nodesDiffer.add(where + ": node 20: " + node20.get(i) + " | node 24: " + node24.get(i));
                }
                i++;
            }
        }
        System.out.println("checkServerIdentity: " + i + " cases; Node 20 and Node 24 differ on " + nodesDiffer.size()
                + (nodesDiffer.isEmpty() ? "" : ":\n  " + String.join("\n  ", nodesDiffer)));
        assertEquals(node24.size(), i, "Node 24 answered every case");
        assertTrue(node24.stream().anyMatch(v -> v.equals("OK")) && node24.stream().anyMatch(v -> !v.equals("OK")),
                "the corpus has both verdicts");
        assertEquals(Map.of(), differences, "where weft's checkServerIdentity is not Node 24's");
    }

    private static List<String> run(Path dir, String node) {
        Tool t = Tool.run(WAIT, dir, node, dir.resolve("identity.js").toString(), dir.resolve("cases.json").toString());
        assertEquals(0, t.exitCode(), node + ": " + t.stderr());
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) MiniJson.parse(t.stdout().strip())) {
            out.add((String) o);
        }
        return out;
    }
}
