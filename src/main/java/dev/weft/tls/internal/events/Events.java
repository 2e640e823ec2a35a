package dev.weft.tls.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * weft's JFR events: {@code jfr print --events dev.weft.Handshake,dev.weft.ClientError,dev.weft.Drop rec.jfr}.
 * Enabled by default in any recording; they cost nothing when no recording runs.
 */
public final class Events {
    private Events() {
    }

    /** One TLS handshake, successful or not, with its duration. */
    @Name("dev.weft.Handshake")
    @Label("TLS Handshake")
    @Category({"weft", "TLS"})
    @Description("A TLS handshake on a weft connection")
    public static final class Handshake extends Event {
        @Label("Provider")
        public String provider;
        @Label("Server side")
        public boolean server;
        @Label("Peer")
        public String peer;
        @Label("Protocol")
        public String protocol;
        @Label("Cipher suite")
        public String cipher;
        @Label("Resumed")
        public boolean resumed;
        @Label("Outcome")
        @Description("ok, unauthorized (connected without a verified peer) or failed")
        public String outcome;
        @Label("Code")
        @Description("The failure's or the verification's code, when there is one")
        public String code;
    }

    /** A client the server could not serve: the client-error handler's event. */
    @Name("dev.weft.ClientError")
    @Label("TLS Client Error")
    @Category({"weft", "TLS"})
    public static final class ClientError extends Event {
        @Label("Code")
        public String code;
        @Label("Message")
        public String message;
        @Label("Peer")
        public String peer;
    }

    /** A connection closed at once because the server was at {@code maxConnections}. */
    @Name("dev.weft.Drop")
    @Label("TLS Connection Dropped")
    @Category({"weft", "TLS"})
    public static final class Drop extends Event {
        @Label("Peer")
        public String peer;
    }
}
