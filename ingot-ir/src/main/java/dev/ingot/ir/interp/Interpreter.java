package dev.ingot.ir.interp;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.Graph;
import dev.ingot.ir.LinalgOp;
import dev.ingot.ir.LlmOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.Printer;
import dev.ingot.ir.ReduceOp;
import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference interpreter: evaluates a {@link Graph} node by node under a binding of its symbols, with inputs
 * given by name. Plain Java, double accumulation; the oracle for compiled kernels and model golden tests.
 * <pre>{@code
 * Interpreter.Result r = Interpreter.run(graph, Map.of("tokens", ids, "positions", pos));
 * Tensor logits = r.output(0);
 * Tensor h = Interpreter.run(graph, Map.of(), inputs, Interpreter.Options.keepAll()).value("attn_norm.0");
 * }</pre>
 * With {@code -Dingot.debug=interp} (or {@code -Dingot.interp.trace=true}) every node's result is summarised on
 * stderr; {@code -Dingot.interp.dump=DIR} writes every named value to DIR ({@link Dumper}).
 */
public final class Interpreter {
    private Interpreter() {}

    /**
     * @param keepEverything keep every intermediate for {@link Result#value}
     * @param keep names of intermediates to keep (besides outputs)
     * @param trace summarise each node on {@code System.err}
     * @param dumpDir when non-null, write every named value there ({@link Dumper})
     * @param linearMode how {@code linear} multiplies by quantised/half weights
     */
    public record Options(boolean keepEverything, Set<String> keep, boolean trace, Path dumpDir, LinearMode linearMode) {
        public Options { keep = Set.copyOf(keep); }

        public Options(boolean keepEverything, Set<String> keep, boolean trace) { this(keepEverything, keep, trace, dumpFromProperty()); }

        public Options(boolean keepEverything, Set<String> keep, boolean trace, Path dumpDir) {
            this(keepEverything, keep, trace, dumpDir, LinearMode.EXACT);
        }

        public static Options defaults() { return new Options(false, Set.of(), traceFromProperty()); }

        public static Options keepAll() { return new Options(true, Set.of(), traceFromProperty()); }

        public static Options keeping(String... names) { return new Options(false, Set.of(names), traceFromProperty()); }

        public Options withDumpDir(Path dir) { return new Options(keepEverything, keep, trace, dir, linearMode); }

        public Options withTrace(boolean on) { return new Options(keepEverything, keep, on, dumpDir, linearMode); }

        public Options withLinearMode(LinearMode mode) { return new Options(keepEverything, keep, trace, dumpDir, mode); }

        /** {@code -Dingot.debug=interp} or {@code -Dingot.interp.trace=true}. */
        private static boolean traceFromProperty() {
            return "interp".equals(System.getProperty("ingot.debug")) || Boolean.getBoolean("ingot.interp.trace");
        }

        /** {@code -Dingot.interp.dump=DIR}. */
        private static Path dumpFromProperty() {
            String d = System.getProperty("ingot.interp.dump");
            return d == null || d.isBlank() ? null : Path.of(d);
        }
    }

    /** How {@code linear} treats weights stored as quantised or half types. */
    public enum LinearMode {
        /** The definition: dequantised weights times F32 activations, accumulated in double. */
        EXACT,
        /**
         * As llama.cpp's CPU backend: each activation row is first quantised to the weight's vec-dot type (Q8_0,
         * Q8_1, Q8_K or F16) and dotted with integer block sums ({@code dev.ingot.tensor.quant.VecDot}). For
         * comparing logits with llama.cpp closely; F32 weights use the exact path.
         */
        LLAMA_CPP
    }

    /** Evaluates with symbols bound from the inputs' sizes. */
    public static Result run(Graph g, Map<String, Tensor> inputs) {
        return run(g, Map.of(), inputs, Options.defaults());
    }

    /**
     * Evaluates {@code g}. Symbols not given in {@code binding} are bound from inputs whose dims are bare symbols;
     * every input's dtype and evaluated shape must then match. KV-cache inputs are updated in place by
     * {@code kv_write}.
     */
    public static Result run(Graph g, Map<String, Long> binding, Map<String, Tensor> inputs, Options opts) {
        Map<String, Long> b = Binder.bind(g, binding, inputs);
        int n = g.nodes().size();
        Map<Value, Integer> lastUse = lastUses(g);
        // keyed by value identity, not id: a graph may hold any subset of a builder's values
        Map<Value, Tensor> vals = new IdentityHashMap<>();
        Map<Value, Tensor> kept = new LinkedHashMap<>();
        Dumper dumper = opts.dumpDir() == null ? null : new Dumper(opts.dumpDir());
        try {
            for (int i = 0; i < n; i++) {
                Node node = g.nodes().get(i);
                List<Tensor> in = new ArrayList<>(node.inputs().size());
                for (Value v : node.inputs()) in.add(vals.get(v));
                long[] outShape = node.output().shape().eval(b);
                Tensor out;
                try {
                    out = node.op() instanceof SourceOp s ? source(s, node.output(), inputs, outShape) : eval(node, in, outShape, lastUse, i, opts);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("interpreter: " + Printer.line(node) + ": " + e.getMessage(), e);
                }
                if (!Arrays.equals(out.shape(), outShape) || out.dtype() != node.output().dtype()) {
                    throw new IllegalStateException("interpreter bug: " + Printer.line(node) + " produced " + out + ", expected " + Arrays.toString(outShape));
                }
                vals.put(node.output(), out);
                String name = node.output().name();
                if (opts.keepEverything() || name != null && opts.keep().contains(name)) kept.put(node.output(), out);
                if (opts.trace()) trace(System.err, node, out);
                if (dumper != null && name != null && !(node.op() instanceof SourceOp.Weight)) dumper.write(node.output(), out);
                for (Value v : node.inputs()) if (lastUse.get(v) == i) vals.remove(v); // free dead values
            }
        } finally {
            if (dumper != null) dumper.close();
        }
        List<Tensor> outs = new ArrayList<>();
        for (Value v : g.outputs()) outs.add(vals.get(v));
        return new Result(g, outs, b, kept);
    }

    /** Index of the last node using each value; outputs count as used after the last node. */
    private static Map<Value, Integer> lastUses(Graph g) {
        Map<Value, Integer> last = new IdentityHashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) for (Value v : g.nodes().get(i).inputs()) last.put(v, i);
        for (Value v : g.outputs()) last.put(v, g.nodes().size());
        return last;
    }

    private static Tensor source(SourceOp op, Value v, Map<String, Tensor> inputs, long[] evaluated) {
        long[] shape = v.shape().staticSizesOrNull();
        return switch (op) {
            case SourceOp.Iota io -> {
                Tensor t = Tensor.zeros(v.dtype(), evaluated);
                int a = io.axis() < 0 ? io.axis() + evaluated.length : io.axis();
                long inner = 1;
                for (int d = a + 1; d < evaluated.length; d++) inner *= evaluated[d];
                for (long i = 0; i < t.numel(); i++) t.setLong(i, (i / inner) % evaluated[a]);
                yield t;
            }
            case SourceOp.Input in -> inputs.get(v.name());
            case SourceOp.Weight w -> Tensor.external(v.dtype(), w.data(), shape);
            case SourceOp.Constant c -> {
                Tensor ext = Tensor.external(v.dtype(), c.data(), shape);
                Tensor t = Tensor.zeros(v.dtype(), shape);
                for (long i = 0; i < t.numel(); i++) t.copyFrom(i, ext, i);
                yield t;
            }
        };
    }

    private static Tensor eval(Node node, List<Tensor> in, long[] outShape, Map<Value, Integer> lastUse, int index, Options opts) {
        DType outType = node.output().dtype();
        return switch (node.op()) {
            case SourceOp s -> throw new IllegalStateException("unreachable");
            case ElementwiseOp e -> ElementwiseKernels.eval(e, in, outType, outShape);
            case ShapeOp s -> ShapeKernels.eval(s, in, outShape);
            case ReduceOp r -> ReduceKernels.eval(r, in.getFirst(), outType, outShape);
            case LinalgOp.MatMul m -> LinalgKernels.matmul(in.get(0), in.get(1), outType, outShape);
            case LinalgOp.Linear l -> opts.linearMode() == LinearMode.LLAMA_CPP && in.get(1).isExternal() && in.get(1).dtype() != DType.F32
                    ? LinalgKernels.linearLlamaCpp(in.get(0), in.get(1), outShape)
                    : LinalgKernels.linear(in.get(0), in.get(1), outShape);
            case LlmOp.Embedding e -> LinalgKernels.embedding(in.get(0), in.get(1), outShape);
            case LlmOp.RmsNorm r -> NormKernels.rmsNorm(in.get(0), in.get(1), r.eps());
            case LlmOp.LayerNorm l -> NormKernels.layerNorm(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null, l.eps());
            case LlmOp.Rope r -> RopeKernel.rope(r, in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null);
            case LlmOp.KvWrite k -> {
                // in-place update: the pre-write cache value must not be read afterwards
                if (lastUse.get(node.input(0)) != index) {
                    throw new IllegalStateException("kv_write consumes cache " + node.input(0).label() + ", which is used again later; read the returned cache instead");
                }
                if (in.get(0).isExternal()) throw new IllegalStateException("kv_write: cache must be a heap F32 or F16 tensor");
                yield AttentionKernels.kvWrite(in.get(0), in.get(1), in.get(2));
            }
            case LlmOp.PagedAttention p -> AttentionKernels.paged(p.scale(), in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), in.get(5), in.get(6));
            case LlmOp.Attention a -> AttentionKernels.sdpa(a.scale(), a.causal(), in.get(0), in.get(1), in.get(2), in.size() > 3 ? in.get(3) : null, outShape);
        };
    }

    private static void trace(PrintStream err, Node node, Tensor t) {
        err.println("[interp] " + Printer.ref(node.output()) + (node.output().name() != null ? " " + node.output().name() : "")
                + " = " + node.op().mnemonic() + " " + t + " " + Stats.of(t));
    }

    /** Outputs of a run, the binding it used, and the intermediates it kept. */
    public static final class Result {
        private final Graph graph;
        private final List<Tensor> outputs;
        private final Map<String, Long> binding;
        private final Map<Value, Tensor> kept;

        Result(Graph graph, List<Tensor> outputs, Map<String, Long> binding, Map<Value, Tensor> kept) {
            this.graph = graph;
            this.outputs = List.copyOf(outputs);
            this.binding = Map.copyOf(binding);
            this.kept = new IdentityHashMap<>(kept);
        }

        public List<Tensor> outputs() { return outputs; }

        public Tensor output(int i) { return outputs.get(i); }

        public Map<String, Long> binding() { return binding; }

        /** A kept intermediate (or an output) by value name. */
        public Tensor value(String name) { return value(graph.value(name)); }

        public Tensor value(Value v) {
            Tensor t = kept.get(v);
            if (t != null) return t;
            int o = graph.outputs().indexOf(v);
            if (o >= 0) return outputs.get(o);
            throw new IllegalArgumentException(v.label() + " was not kept: run with Options.keepAll() or Options.keeping(\"" + v.label() + "\")");
        }
    }
}
