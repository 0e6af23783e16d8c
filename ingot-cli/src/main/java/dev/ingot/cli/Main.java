package dev.ingot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ingot} command. Each subcommand is its own class in this package. */
@Command(name = "ingot",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Ingot: a Java compiler + runtime for large language models.",
        subcommands = {
                CommandLine.HelpCommand.class,
                QuantizeCommand.class,
                SynthCommand.class,
                TokenizeCommand.class,
                DetokenizeCommand.class,
                InspectCommand.class,
                RunCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                PullCommand.class,
                CompileCommand.class,
                RunOnnxCommand.class,
                EmbedCommand.class,
                BenchOnnxCommand.class,
                TuneCommand.class,
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests to run subcommands in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ingot " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
