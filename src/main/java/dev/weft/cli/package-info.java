/**
 * The {@code weft} command line (picocli): {@code serve}, {@code connect}, {@code bench}, {@code providers} and
 * {@code cert}. Each command parses its options into weft's public option types and prints what comes back; the
 * work happens in the library.
 *
 * <p>May use: {@code dev.weft.tls}, {@code dev.weft.cert}, {@code dev.weft.bench} and the internals the command line
 * shows (the provider table of {@code weft providers}, the validator's codes for {@code weft cert verify}). Nothing
 * outside this package depends on it ({@code ArchitectureTest}).
 */
package dev.weft.cli;
