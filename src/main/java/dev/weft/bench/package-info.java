/**
 * The load generator behind {@code weft bench}: connection workers on virtual threads, the modes (handshake,
 * resume, throughput, latency, hold, and the open-loop rate), their measured window and timing, failures counted by
 * error code, and the result with its table and JSON forms.
 *
 * <p>{@link dev.weft.bench.Bench#run Bench.run} takes a {@link dev.weft.bench.BenchSettings} and returns a
 * {@link dev.weft.bench.BenchResult}; the command line ({@code dev.weft.cli.BenchCommand}) parses options into the
 * settings and prints the result. Everything else here is package-private.
 *
 * <p>This package is a client of weft like any other: it may use only {@code dev.weft.tls}'s public API and
 * {@code dev.weft.tls.internal.json.Json} (the one JSON writer), besides the JDK and HdrHistogram (the rate mode's
 * latencies). It is not exported from the module {@code dev.weft}. {@code ArchitectureTest} checks the rule on the
 * compiled classes.
 */
package dev.weft.bench;
