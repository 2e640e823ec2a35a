package dev.weft.testing;

import dev.weft.tls.ConnectionHandler;
import dev.weft.tls.JsseProvider;
import dev.weft.tls.ServerOptions;
import dev.weft.tls.Tls;
import dev.weft.tls.TlsException;
import dev.weft.tls.TlsServer;
import dev.weft.tls.TlsSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Echo servers and small I/O helpers for network tests. */
public final class EchoServers {
    private EchoServers() {
    }

    /** Echoes what it reads until the client ends. */
    public static final ConnectionHandler ECHO = EchoServers::echo;

    public static void echo(TlsSocket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16384];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    /** A listening echo server on 127.0.0.1 with {@link TestCerts#SERVER} and the given provider. */
    public static TlsServer start(JsseProvider provider) throws IOException {
        return start(ServerOptions.builder().provider(provider), ECHO);
    }

    /** A listening server on 127.0.0.1 with {@link TestCerts#SERVER} added to {@code options}. */
    public static TlsServer start(ServerOptions.Builder options, ConnectionHandler handler) throws IOException {
        ServerOptions o = options.key(TestCerts.SERVER.privateKeyPem()).cert(TestCerts.SERVER.chainPem()).build();
        return listen(o, handler);
    }

    /** A listening server on 127.0.0.1 with exactly these options. */
    public static TlsServer listen(ServerOptions options, ConnectionHandler handler) throws IOException {
        TlsServer server = Tls.createServer(options, handler);
        return server.listen(0, "127.0.0.1");
    }

    /** Writes {@code text} and reads back exactly as many bytes. */
    public static String roundTrip(TlsSocket s, String text) throws IOException {
        s.write(text);
        return read(s, text.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Reads exactly {@code n} bytes as UTF-8, failing on a premature end. */
    public static String read(TlsSocket s, int n) throws IOException {
        byte[] b = s.getInputStream().readNBytes(n);
        if (b.length != n) {
            throw new TlsException("EOF", "stream ended after " + b.length + " of " + n + " bytes");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
