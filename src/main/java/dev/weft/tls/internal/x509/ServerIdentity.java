package dev.weft.tls.internal.x509;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Node's {@code tls.checkServerIdentity} rules (v20 {@code lib/tls.js}), exactly: an IP host matches only IP SANs;
 * a DNS host matches DNS SANs when there are any, else the CN; one {@code *} in the first label only, never in an
 * {@code xn--} label, never {@code *.tld}; ASCII case and a trailing dot ignored; URI SANs never used.
 */
public final class ServerIdentity {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern BAD_CHAR = Pattern.compile("[^\\u0021-\\u007F]");

    private ServerIdentity() {
    }

    /**
     * Checks {@code host} against a certificate's {@code subjectaltname} (Node's string form, null when the
     * certificate has no SAN extension) and its subject CNs.
     *
     * @return null when the host matches, else Node's reason text, e.g.
     *         {@code "Host: evil.test. is not in the cert's altnames: DNS:localhost"}
     */
    public static String mismatch(String host, String subjectaltname, List<String> commonNames) {
        List<String> dnsNames = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        if (subjectaltname != null && !subjectaltname.isEmpty()) {
            for (String name : splitAltNames(subjectaltname)) {
                if (name.startsWith("DNS:")) {
                    dnsNames.add(name.substring(4));
                } else if (name.startsWith("IP Address:")) {
                    ips.add(canonicalizeIp(name.substring(11)));
                }
            }
        }
        String hostname = unfqdn(host);
        if (isIp(hostname)) {
            if (ips.contains(canonicalizeIp(hostname))) {
                return null;
            }
            return "IP: " + hostname + " is not in the cert's list: " + String.join(", ", ips);
        }
        if (!dnsNames.isEmpty() || !commonNames.isEmpty()) {
            String[] hostParts = splitHost(hostname);
            if (!dnsNames.isEmpty()) {
                for (String pattern : dnsNames) {
                    if (matches(hostParts, pattern)) {
                        return null;
                    }
                }
                return "Host: " + hostname + ". is not in the cert's altnames: " + subjectaltname;
            }
            for (String cn : commonNames) {
                if (matches(hostParts, cn)) {
                    return null;
                }
            }
            return "Host: " + hostname + ". is not cert's CN: " + String.join(",", commonNames);
        }
        return "Cert does not contain a DNS name";
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (as Node's {@code net.isIP}). */
    public static boolean isIp(String host) {
        if (IPV4.matcher(host).matches()) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.startsWith("0"))) {
                    return false;
                }
            }
            return true;
        }
        if (host.indexOf(':') < 0 || !host.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(host) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IP literal in the canonical form of inet_ntop: IPv6 lower case with the longest zero run as "::". */
    static String canonicalizeIp(String ip) {
        if (!isIp(ip)) {
            return ip;
        }
        try {
            InetAddress a = InetAddress.getByName(ip);
            if (!(a instanceof Inet6Address)) {
                return a.getHostAddress();
            }
            byte[] b = a.getAddress();
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            }
            int bestStart = -1;
            int bestLen = 0;
            for (int i = 0; i < 8; ) {
                if (groups[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            }
            if (bestLen < 2) {
                bestStart = -1;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    sb.append("::");
                    i += bestLen - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(groups[i]));
            }
            return sb.toString();
        } catch (UnknownHostException e) {
            return ip;
        }
    }

    private static String unfqdn(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static String[] splitHost(String host) {
        StringBuilder sb = new StringBuilder(host.length());
        for (char c : unfqdn(host).toCharArray()) {
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return sb.toString().split("\\.", -1);
    }

    private static boolean matches(String[] hostParts, String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return false;
        }
        String[] patternParts = splitHost(pattern);
        if (hostParts.length != patternParts.length) {
            return false;
        }
        for (String p : patternParts) {
            if (p.isEmpty() || BAD_CHAR.matcher(p).find()) {
                return false;
            }
        }
        for (int i = hostParts.length - 1; i > 0; i--) {
            if (!hostParts[i].equals(patternParts[i])) {
                return false;
            }
        }
        String hostSub = hostParts[0];
        String patternSub = patternParts[0];
        String[] wild = patternSub.split("\\*", -1);
        if (wild.length == 1 || patternSub.contains("xn--")) {
            return hostSub.equals(patternSub);
        }
        if (wild.length > 2 || patternParts.length <= 2) {
            return false; // more than one wildcard, or *.tld
        }
        String prefix = wild[0];
        String suffix = wild[1];
        return prefix.length() + suffix.length() <= hostSub.length()
                && hostSub.startsWith(prefix) && hostSub.endsWith(suffix);
    }

    /** Splits Node's subjectaltname string on ", ", honouring JSON-quoted values (Node's splitEscapedAltNames). */
    static List<String> splitAltNames(String altNames) {
        List<String> out = new ArrayList<>();
        if (altNames.indexOf('"') < 0) {
            out.addAll(List.of(altNames.split(", ")));
            return out;
        }
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < altNames.length()) {
            char c = altNames.charAt(i);
            if (c == '"') {
                // a JSON string: copy its decoded content
                i++;
                while (i < altNames.length() && altNames.charAt(i) != '"') {
                    char d = altNames.charAt(i);
                    if (d == '\\' && i + 1 < altNames.length()) {
                        char e = altNames.charAt(++i);
                        if (e == 'u' && i + 4 < altNames.length()) {
                            current.append((char) Integer.parseInt(altNames.substring(i + 1, i + 5), 16));
                            i += 4;
                        } else {
                            current.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                case 'b' -> '\b';
                                case 'f' -> '\f';
                                default -> e;
                            });
                        }
                    } else {
                        current.append(d);
                    }
                    i++;
                }
                i++;
            } else if (c == ',' && i + 1 < altNames.length() && altNames.charAt(i + 1) == ' ') {
                out.add(current.toString());
                current.setLength(0);
                i += 2;
            } else {
                current.append(c);
                i++;
            }
        }
        out.add(current.toString());
        return out;
    }
}
