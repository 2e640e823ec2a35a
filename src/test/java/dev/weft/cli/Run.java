package dev.weft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the command line: its exit code and what it printed.
 *
 * @param code the exit code
 * @param out  standard output
 * @param err  standard error
 */
record Run(int code, String out, String err) {
    /** Runs {@code weft args...} in this JVM. */
    static Run weft(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }
}
