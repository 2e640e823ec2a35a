package dev.weft.tls.internal.negotiation;

import dev.weft.tls.ErrorCode;
import dev.weft.tls.TlsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Key-exchange groups: Node's {@code ecdhCurve} in OpenSSL 3.5's group-list syntax, and what Node's
 * {@code getEphemeralKeyInfo()} reports for each group. A list is colon-separated names, case-insensitive, in
 * OpenSSL's spellings and aliases ({@code X25519}, {@code P-256}, {@code prime256v1}, {@code secp384r1},
 * {@code ffdhe2048}, {@code X25519MLKEM768}, ...); {@code DEFAULT} stands for the provider's default list; a name
 * prefixed {@code ?} is dropped where it is unknown or the provider lacks it, {@code -} removes a name, {@code *}
 * (OpenSSL's key-share mark) is accepted and left to the provider, {@code /} (OpenSSL's tuple separator) is read as
 * {@code :}. {@code auto} and the empty string are weft's default.
 */
public final class Groups {
    private Groups() {
    }

    /**
     * One group: its TLS code point, the JSSE name (null: no provider weft supports negotiates it), and what Node
     * 24's {@code getEphemeralKeyInfo()} reports for it ({@code name} null: none; {@code size} 0: none).
     */
    public record Group(int id, String jsse, String type, String name, int size) {
    }

    private static final Map<String, Group> BY_NAME = new HashMap<>();
    private static final Map<Integer, Group> BY_ID = new HashMap<>();

    private static void add(Group g, String... names) {
        BY_ID.put(g.id(), g);
        for (String n : names) {
            BY_NAME.put(n.toLowerCase(Locale.ROOT), g);
        }
    }

    private static void ec(int id, String jsse, String name, int size, String... names) {
        add(new Group(id, jsse, "ECDH", name, size), names);
    }

    static {
        ec(29, "x25519", "X25519", 253, "X25519");
        ec(30, "x448", "X448", 448, "X448");
        ec(23, "secp256r1", "prime256v1", 256, "P-256", "prime256v1", "secp256r1");
        ec(24, "secp384r1", "secp384r1", 384, "P-384", "secp384r1");
        ec(25, "secp521r1", "secp521r1", 521, "P-521", "secp521r1");
        ec(26, "brainpoolP256r1", "brainpoolP256r1", 256, "brainpoolP256r1");
        ec(27, "brainpoolP384r1", "brainpoolP384r1", 384, "brainpoolP384r1");
        ec(28, "brainpoolP512r1", "brainpoolP512r1", 512, "brainpoolP512r1");
        ec(31, "brainpoolP256r1tls13", "brainpoolP256r1", 256, "brainpoolP256r1tls13");
        ec(32, "brainpoolP384r1tls13", "brainpoolP384r1", 384, "brainpoolP384r1tls13");
        ec(33, "brainpoolP512r1tls13", "brainpoolP512r1", 512, "brainpoolP512r1tls13");
        for (int bits : new int[] {2048, 3072, 4096, 6144, 8192}) {
            int id = switch (bits) {
                case 2048 -> 256;
                case 3072 -> 257;
                case 4096 -> 258;
                case 6144 -> 259;
                default -> 260;
            };
            add(new Group(id, "ffdhe" + bits, "DH", null, bits), "ffdhe" + bits);
        }
        for (String[] kem : new String[][] {{"512", "512"}, {"768", "513"}, {"1024", "514"}}) {
            add(new Group(Integer.parseInt(kem[1]), "MLKEM" + kem[0], "TLSGroup", "MLKEM" + kem[0], 0),
                    "MLKEM" + kem[0]);
        }
        add(new Group(0x11EB, "SecP256r1MLKEM768", "TLSGroup", "SecP256r1MLKEM768", 0), "SecP256r1MLKEM768");
        add(new Group(0x11EC, "X25519MLKEM768", "TLSGroup", "X25519MLKEM768", 0), "X25519MLKEM768");
        add(new Group(0x11ED, "SecP384r1MLKEM1024", "TLSGroup", "SecP384r1MLKEM1024", 0), "SecP384r1MLKEM1024");
        // groups OpenSSL 3.5 knows (Node accepts them in ecdhCurve) that no provider weft runs on negotiates
        String[][] legacy = {{"1", "sect163k1", "K-163"}, {"2", "sect163r1"}, {"3", "sect163r2", "B-163"},
            {"4", "sect193r1"}, {"5", "sect193r2"}, {"6", "sect233k1", "K-233"}, {"7", "sect233r1", "B-233"},
            {"8", "sect239k1"}, {"9", "sect283k1", "K-283"}, {"10", "sect283r1", "B-283"},
            {"11", "sect409k1", "K-409"}, {"12", "sect409r1", "B-409"}, {"13", "sect571k1", "K-571"},
            {"14", "sect571r1", "B-571"}, {"15", "secp160k1"}, {"16", "secp160r1"}, {"17", "secp160r2"},
            {"18", "secp192k1"}, {"19", "prime192v1", "secp192r1", "P-192"}, {"20", "secp224k1"},
            {"21", "secp224r1", "P-224"}, {"22", "secp256k1"}};
        for (String[] l : legacy) {
            String[] names = java.util.Arrays.copyOfRange(l, 1, l.length);
            add(new Group(Integer.parseInt(l[0]), null, "ECDH", l[1], 0), names);
        }
    }

    /** {@return the group with TLS code point {@code id}, or null} */
    public static Group byId(int id) {
        return BY_ID.get(id);
    }

    /** {@return whether the group JSSE calls {@code jsse} is an elliptic curve, usable for TLS 1.2's ECDHE} */
    public static boolean ecdhe(String jsse) {
        return BY_ID.values().stream().anyMatch(g -> jsse.equalsIgnoreCase(g.jsse()) && g.type().equals("ECDH"));
    }

    /** {@return the group OpenSSL calls {@code name} (any case, any alias), or null} */
    public static Group byName(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    /** One entry of a list: a group (null for {@code DEFAULT}), whether it may be dropped, whether it removes. */
    record Item(Group group, boolean optional, boolean remove, int tuple) {
    }

    /** A parsed {@code ecdhCurve}; resolve it against a provider with {@link #resolve}. */
    public static final class Spec {
        private final String text;
        private final List<Item> items;

        private Spec(String text, List<Item> items) {
            this.text = text;
            this.items = items;
        }

        /** {@return the list as given} */
        public String text() {
            return text;
        }

        /**
         * The JSSE names of the groups this list leaves on a provider that negotiates {@code supported} (JSSE
         * names) and whose default list is {@code defaults}, in order.
         *
         * @throws TlsException {@code ERR_WEFT_GROUP_UNSUPPORTED} when a group named without {@code ?} is not
         *                      among {@code supported}, or no group is left
         */
        public List<String> resolve(Set<String> supported, List<String> defaults, String provider)
                throws TlsException {
            return List.copyOf(tuples(supported, defaults, provider).stream().flatMap(List::stream).toList());
        }

        /**
         * As {@link #resolve}, in OpenSSL 3.5's tuples ({@code /} separates them; a list without one is one
         * tuple): a server takes the first tuple holding a group the client offers, within it a group the client
         * sent a key share for, else the first the client offers.
         */
        public List<List<String>> tuples(Set<String> supported, List<String> defaults, String provider)
                throws TlsException {
            java.util.Map<String, Integer> tupleOf = new java.util.HashMap<>();
            LinkedHashSet<String> out = new LinkedHashSet<>();
            for (Item i : items) {
                if (i.group() == null) {
                    if (i.remove()) {
                        continue;
                    }
                    for (String d : defaults) {
                        out.add(d);
                        tupleOf.putIfAbsent(d, i.tuple());
                    }
                    continue;
                }
                String jsse = i.group().jsse();
                if (i.remove()) {
                    if (jsse != null) {
                        out.remove(jsse);
                    }
                    continue;
                }
                if (jsse == null || !supported.contains(jsse)) {
                    if (i.optional()) {
                        continue;
                    }
                    throw new TlsException(ErrorCode.GROUP_UNSUPPORTED, provider + " cannot negotiate the group "
                            + (i.group().name() != null ? i.group().name() : i.group().jsse()) + " (ecdhCurve '" + text
                            + "'); it negotiates " + supported + " (prefix a name with ? to skip it where it is "
                            + "missing)");
                }
                out.add(jsse);
                tupleOf.putIfAbsent(jsse, i.tuple());
            }
            if (out.isEmpty()) {
                throw new TlsException(ErrorCode.GROUP_UNSUPPORTED, "ecdhCurve '" + text + "' leaves no group "
                        + provider + " negotiates");
            }
            java.util.TreeMap<Integer, List<String>> byTuple = new java.util.TreeMap<>();
            for (String g : out) {
                byTuple.computeIfAbsent(tupleOf.get(g), k -> new ArrayList<>()).add(g);
            }
            return List.copyOf(byTuple.values().stream().map(List::copyOf).toList());
        }
    }

    /**
     * Parses an {@code ecdhCurve}; null for weft's default ({@code auto}, empty).
     *
     * @throws TlsException {@code ERR_CRYPTO_OPERATION_FAILED} ("Failed to set ECDH curve", as Node 24) for a
     *                      malformed list or a name OpenSSL does not know
     */
    public static Spec parse(String list) throws TlsException {
        if (list == null || list.isEmpty() || list.equals("auto")) {
            return null;
        }
        List<Item> items = new ArrayList<>();
        int tuple = 0;
        for (String part : list.split("(?=/)|:", -1)) {
            String raw = part;
            if (raw.startsWith("/")) {
                tuple++;
                raw = raw.substring(1);
            }
            String name = raw.strip();
            boolean optional = false;
            boolean remove = false;
            while (!name.isEmpty() && "*?-".indexOf(name.charAt(0)) >= 0) {
                optional |= name.charAt(0) == '?';
                remove |= name.charAt(0) == '-';
                name = name.substring(1);
            }
            if (name.equalsIgnoreCase("DEFAULT")) {
                items.add(new Item(null, optional, remove, tuple));
                continue;
            }
            Group g = name.isEmpty() ? null : byName(name);
            if (g == null) {
                if (optional && !name.isEmpty()) {
                    continue;
                }
                throw new TlsException(ErrorCode.CRYPTO_OPERATION_FAILED, "Failed to set ECDH curve");
            }
            items.add(new Item(g, optional, remove, tuple));
        }
        return new Spec(list, List.copyOf(items));
    }
}
