/** The {@code ingot} command line: one picocli class per subcommand; argument parsing and printing only. */
package dev.ingot.cli;
