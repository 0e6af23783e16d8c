package dev.ingot.cli;

import picocli.CommandLine;

/**
 * Turns exceptions from subcommands into one clear line on stderr and a non-zero exit code.
 * Set {@code -Dingot.stacktrace=true} (or INGOT_STACKTRACE=1) to see the stack trace.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean trace = Boolean.getBoolean("ingot.stacktrace") || "1".equals(System.getenv("INGOT_STACKTRACE"));
        if (trace) ex.printStackTrace(cl.getErr());
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cl.getErr().println("ingot " + cl.getCommandName() + ": error: " + msg);
        return 1;
    }
}
