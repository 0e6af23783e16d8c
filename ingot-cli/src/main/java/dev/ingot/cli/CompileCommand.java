package dev.ingot.cli;

import dev.ingot.compiler.program.Program;
import dev.ingot.compiler.program.ProgramCompiler;
import dev.ingot.compiler.graphexec.GraphExecutor;
import dev.ingot.ir.Graph;
import dev.ingot.ir.Printer;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.onnx.OnnxImporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ingot compile model.onnx [--debug N] [--bound SYM=N]}: imports an ONNX model and prints its graph IR
 * (debug 0: summary, 1+: every node); then tries to lower it to a program and prints the step listing and
 * memory plan, or says why the compiler cannot lower it yet (the program compiler covers LLM graphs first).
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Import a model (.onnx) and show its graph IR and, when the compiler can lower it, the program and memory plan."})
final class CompileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx model")
    Path model;

    @Option(names = "--debug", defaultValue = "1", description = "0: graph summary; 1 (default): the full graph IR; 2: also the op histogram")
    int debug;

    @Option(names = "--bound", description = "upper bound of a shape symbol for the program (SYM=N, repeatable; default 1 each)")
    Map<String, Long> bounds = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(model)) throw new NoSuchFileException(model + ": no such file");
        if (!model.getFileName().toString().endsWith(".onnx")) throw new IllegalArgumentException(model + ": only .onnx models can be compiled for now");
        Graph g = OnnxImporter.importFile(model);
        PrintWriter out = spec.commandLine().getOut();
        out.println(debug == 0 ? Printer.summary(g) : Printer.print(g));
        if (debug >= 2) {
            Map<String, Integer> ops = new java.util.TreeMap<>();
            g.nodes().forEach(n -> ops.merge(n.op().mnemonic(), 1, Integer::sum));
            out.println("ops: " + ops);
        }
        Map<String, Long> b = new LinkedHashMap<>();
        for (var n : g.nodes()) for (String s : n.output().shape().symbols()) b.put(s, bounds.getOrDefault(s, 1L));
        try (WorkerPool pool = new WorkerPool(1)) {
            Program p = ProgramCompiler.compile(g, b, pool);
            out.println(p.listing());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // not an error of the model: the compiled path lags the interpreter; run-onnx still runs it
            // not an LLM graph: the general graph executor lowers it (fallback steps where no fast lowering exists)
            try (WorkerPool pool = new WorkerPool(1)) {
                GraphExecutor ex = GraphExecutor.compile(g, pool);
                if (debug >= 2) out.println(Printer.print(ex.optimised()));
                out.println("graph executor plan for " + b + ":");
                out.println(ex.listing(b));
            }
        }
        out.flush();
        return 0;
    }
}
