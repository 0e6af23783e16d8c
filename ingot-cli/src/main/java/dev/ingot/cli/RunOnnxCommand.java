package dev.ingot.cli;

import dev.ingot.compiler.graphexec.GraphExecutor;
import dev.ingot.ir.Graph;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.onnx.Npy;
import dev.ingot.onnx.OnnxImporter;
import dev.ingot.onnx.TensorProtos;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ingot run-onnx model.onnx --input name=file.npy ... [--output-dir DIR]}: imports the model, runs it on
 * the reference interpreter (the compiled path comes later) and prints each output's dtype, shape and first
 * elements, or writes {@code DIR/<output name>.npy}. Inputs may also be ONNX TensorProto files ({@code .pb}).
 */
@Command(name = "run-onnx", mixinStandardHelpOptions = true,
        description = {"Run an ONNX model on the reference interpreter with inputs from .npy (or TensorProto .pb) files."})
final class RunOnnxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx model")
    Path model;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "a graph input from a .npy or .pb file (repeatable)")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--output-dir", paramLabel = "DIR", description = "write each output as DIR/<name>.npy")
    Path outputDir;

    @Option(names = "--show", defaultValue = "8", description = "elements of each output to print (default 8)")
    int show;

    @Option(names = "--interpreter", description = "run on the reference interpreter instead of the compiled executor")
    boolean interpreter;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "kernel threads (default: all cores)")
    Integer threads;

    @Option(names = "--stats", description = "print the run time (and, compiled, the plan's step count) to stderr")
    boolean stats;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(model)) throw new NoSuchFileException(model + ": no such file");
        Graph g = OnnxImporter.importFile(model);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var e : inputs.entrySet()) {
            Path f = e.getValue();
            if (!Files.exists(f)) throw new NoSuchFileException(f + ": no such file (input " + e.getKey() + ")");
            in.put(e.getKey(), f.toString().endsWith(".pb") ? TensorProtos.toTensor(TensorProtos.read(f), f.getParent()) : Npy.read(f));
        }
        List<Tensor> outs;
        long t0 = System.nanoTime();
        if (interpreter) outs = Interpreter.run(g, in).outputs();
        else {
            try (WorkerPool pool = new WorkerPool(threads != null ? threads : Runtime.getRuntime().availableProcessors())) {
                outs = GraphExecutor.compile(g, pool).run(in);
            }
        }
        if (stats) spec.commandLine().getErr().printf(java.util.Locale.ROOT, "%s: %.1f ms (%s, including compilation)%n",
                model.getFileName(), (System.nanoTime() - t0) / 1e6, interpreter ? "interpreter" : "compiled");
        PrintWriter out = spec.commandLine().getOut();
        if (outputDir != null) Files.createDirectories(outputDir);
        for (int i = 0; i < outs.size(); i++) {
            String name = g.outputs().get(i).name() == null ? "output_" + i : g.outputs().get(i).name();
            out.println(name + ": " + outs.get(i).preview(show));
            if (outputDir != null) Npy.write(outs.get(i), outputDir.resolve(safe(name) + ".npy"));
        }
        out.flush();
        return 0;
    }

    /** An output name as a file name (ONNX names may contain '/' or ':'). */
    private static String safe(String name) { return name.replaceAll("[^A-Za-z0-9._-]", "_"); }
}
