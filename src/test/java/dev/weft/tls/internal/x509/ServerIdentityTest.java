package dev.weft.tls.internal.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Node's checkServerIdentity table (node-behaviour.md §2.4 and scenario 11), row by row. */
class ServerIdentityTest {
    private static final String AGENT1_SAN = "DNS:localhost, DNS:*.example.com, IP Address:127.0.0.1, "
            + "IP Address:0:0:0:0:0:0:0:1, email:admin@example.com, URI:https://example.com/";

    @ParameterizedTest(name = "{0} vs SAN [{1}] CN [{2}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "localhost        | DNS:localhost                     | NULL       | OK",
        "LOCALHOST        | DNS:localhost                     | NULL       | OK",
        "localhost.       | DNS:localhost                     | NULL       | OK",
        "foo.example.com  | DNS:f*.example.com                | NULL       | OK",
        "bar.example.com  | DNS:f*.example.com                | NULL       | Host: bar.example.com. is not in the cert's altnames: DNS:f*.example.com",
        "a.com            | DNS:*.com                         | NULL       | Host: a.com. is not in the cert's altnames: DNS:*.com",
        "a.example.com    | DNS:*.example.com                 | NULL       | OK",
        "a.b.example.com  | DNS:*.example.com                 | NULL       | Host: a.b.example.com. is not in the cert's altnames: DNS:*.example.com",
        "example.com      | DNS:*.example.com                 | NULL       | Host: example.com. is not in the cert's altnames: DNS:*.example.com",
        "xn--a.example.com| DNS:xn--*.example.com             | NULL       | Host: xn--a.example.com. is not in the cert's altnames: DNS:xn--*.example.com",
        "a.example.com    | DNS:**.example.com                | NULL       | Host: a.example.com. is not in the cert's altnames: DNS:**.example.com",
        "10.0.0.1         | IP Address:127.0.0.1              | NULL       | IP: 10.0.0.1 is not in the cert's list: 127.0.0.1",
        "::1              | IP Address:127.0.0.1              | NULL       | IP: ::1 is not in the cert's list: 127.0.0.1",
        "::1              | IP Address:0:0:0:0:0:0:0:1        | NULL       | OK",
        "127.0.0.1        | DNS:127.0.0.1                     | NULL       | IP: 127.0.0.1 is not in the cert's list: ",
        "2001:db8::abcd   | IP Address:2001:DB8:0:0:0:0:0:ABCD| NULL       | OK",
        "a.com            | NULL                              | a.com      | OK",
        "a.com            | URI:http://a.com/                 | a.com      | OK",
        "b.com            | URI:http://a.com/                 | a.com      | Host: b.com. is not cert's CN: a.com",
        "x.example.com    | NULL                              | cnonly.example.com | Host: x.example.com. is not cert's CN: cnonly.example.com",
        "a.com            | NULL                              | NULL       | Cert does not contain a DNS name",
        "a.com            | URI:http://a.com/                 | NULL       | Cert does not contain a DNS name",
        "localhost        | DNS:other, DNS:localhost          | NULL       | OK",
    })
    void matchesAsNodeDoes(String host, String san, String cn, String expected) {
        String reason = ServerIdentity.mismatch(host, san, cn == null ? List.of() : List.of(cn));
        assertEquals(expected.equals("OK") ? null : expected.strip(), reason == null ? null : reason.strip());
    }

    @ParameterizedTest
    @CsvSource({"AGENT1,evil.test", "AGENT1,a.b.example.com"})
    void agent1ReasonQuotesTheWholeAltNameString(String ignored, String host) {
        assertEquals("Host: " + host + ". is not in the cert's altnames: " + AGENT1_SAN,
                ServerIdentity.mismatch(host, AGENT1_SAN, List.of("localhost")));
    }

    @ParameterizedTest
    @CsvSource({"a.example.com", "localhost", "127.0.0.1", "::1"})
    void agent1AcceptsItsNames(String host) {
        assertEquals(null, ServerIdentity.mismatch(host, AGENT1_SAN, List.of("localhost")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0:0:0:0:0:0:0:1 | ::1",
        "2001:DB8:0:0:0:0:0:ABCD | 2001:db8::abcd",
        "2001:db8:0:1:0:0:0:1 | 2001:db8:0:1::1",
        "1:0:0:2:0:0:0:3 | 1:0:0:2::3",
        "0:0:0:0:0:0:0:0 | ::",
        "1:2:3:4:5:6:7:8 | 1:2:3:4:5:6:7:8",
        "1:0:2:3:4:5:6:7 | 1:0:2:3:4:5:6:7",
        "127.0.0.1 | 127.0.0.1"})
    void canonicalizesAddressesAsInetNtop(String in, String out) {
        assertEquals(out, ServerIdentity.canonicalizeIp(in));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DNS:a, DNS:b | 2",
        "email:\"a, b\"@x, DNS:c | 2",
        "URI:\"http://x/\\\"q\\\"\", DNS:d | 2"})
    void splitsEscapedAltNames(String altNames, int count) {
        assertEquals(count, ServerIdentity.splitAltNames(altNames).size(), ServerIdentity.splitAltNames(altNames)::toString);
    }
}
