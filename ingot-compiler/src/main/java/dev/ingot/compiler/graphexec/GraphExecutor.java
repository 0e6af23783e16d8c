package dev.ingot.compiler.graphexec;

import dev.ingot.codegen.jvm.Debug;
import dev.ingot.compiler.cache.CompileCache;
import dev.ingot.compiler.pass.CommonSubexpressions;
import dev.ingot.compiler.pass.ConstantFolding;
import dev.ingot.compiler.pass.DeadCodeElimination;
import dev.ingot.compiler.pass.FusionPlan;
import dev.ingot.compiler.pass.GraphCompiler;
import dev.ingot.compiler.pass.PassPipeline;
import dev.ingot.ir.Graph;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.gemm.PackedB;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs any graph the reference interpreter runs, compiled: {@link #compile} optimises the graph once
 * (fold-constants, encoder-patterns, cse, dce), plans elementwise fusion and generates the fused kernels (generic
 * in every symbol, through the compile cache); the first run with a new binding of the symbols (batch, sequence
 * length) lowers the graph for it ({@link Plan}: steps plus one liveness-planned arena), later runs with that binding
 * reuse the plan. Thread-safe: runs are serialised (each plan owns its arena).
 */
public final class GraphExecutor {
    private static final CompileCache CACHE = new CompileCache(CompileCache.defaultDir());
    private static final int MAX_PLANS = 32;

    /**
     * The optimised graph, its fusion plan, the generated kernel of each group (by group id), and F32 linear weights
     * repacked for {@link dev.ingot.kernel.gemm.Gemm}, off-heap copies of heap weights read by generated kernels, and
     * the integer form of every F32 linear weight (empty for a weight that is not integer-valued; the exact int32
     * GEMM, {@link dev.ingot.kernel.gemm.IntGemm}, runs the others), all filled by the first plan that needs one,
     * shared by all plans.
     */
    record Compiled(Graph graph, FusionPlan plan, Map<Integer, GraphCompiler.Kernel> kernels, Map<MemorySegment, PackedB> packed,
                    Map<MemorySegment, MemorySegment> offHeap,
                    Map<MemorySegment, java.util.Optional<dev.ingot.kernel.gemm.IntGemmWeights>> intWeights) {
        Compiled(Graph graph, FusionPlan plan, Map<Integer, GraphCompiler.Kernel> kernels) {
            this(graph, plan, kernels, new java.util.concurrent.ConcurrentHashMap<>(), new java.util.concurrent.ConcurrentHashMap<>(),
                    new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

    private final Compiled compiled;
    private final WorkerPool pool;
    private final Map<Map<String, Long>, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Map<String, Long>, Plan> e) { return size() > MAX_PLANS; }
    };

    private GraphExecutor(Compiled compiled, WorkerPool pool) {
        this.compiled = compiled;
        this.pool = pool;
    }

    /** The passes run before fusion. */
    public static PassPipeline pipeline() {
        return new PassPipeline(List.of(new ConstantFolding(), new EncoderRewrites(), new CommonSubexpressions(), new DeadCodeElimination()));
    }

    /** Optimises {@code g} and generates its fused kernels; kernels run on {@code pool} (owned by the caller). */
    public static GraphExecutor compile(Graph g, WorkerPool pool) {
        GraphCompiler.Program p = new GraphCompiler(CACHE, pipeline()).compile(g, "generic");
        Map<Integer, GraphCompiler.Kernel> kernels = new HashMap<>();
        for (GraphCompiler.Kernel k : p.kernels()) kernels.put(k.lowered().group().id(), k);
        return new GraphExecutor(new Compiled(p.graph(), p.plan(), kernels), pool);
    }

    /** The graph after the passes (what the plans are lowered from). */
    public Graph optimised() { return compiled.graph(); }

    /** Runs with inputs by name; symbols are bound from the inputs' sizes. Outputs in graph order. */
    public synchronized List<Tensor> run(Map<String, Tensor> inputs) {
        return plan(bind(inputs)).run(inputs);
    }

    /** The step listing and memory plan for a binding (lowering it if needed). */
    public synchronized String listing(Map<String, Long> binding) {
        return plan(new TreeMap<>(binding)).listing();
    }

    /** Per-step times of every cached plan ({@code -Dingot.graphexec.profile=true}), slowest first. */
    public synchronized String profile() {
        StringBuilder sb = new StringBuilder();
        plans.forEach((b, p) -> sb.append("plan ").append(b).append(": ").append(p.profile()));
        return sb.toString();
    }

    /** Forgets the step times of every cached plan (a benchmark calls this after its warm-up). */
    public synchronized void resetProfile() { plans.values().forEach(Plan::resetProfile); }

    /** Plans (shape bindings) lowered so far and still cached. */
    public synchronized int planCount() { return plans.size(); }

    private Plan plan(Map<String, Long> b) {
        Plan p = plans.get(b);
        if (p == null) {
            Lowering lw = new Lowering(compiled, b, pool).run();
            p = new Plan(lw, compiled.graph().outputs(), b);
            plans.put(Map.copyOf(b), p);
            if (Debug.level() >= 2) System.err.println("[ingot] graph plan for " + b + "\n" + p.listing());
        }
        return p;
    }

    /** Symbols from inputs whose dims are bare symbols; then every input must match its evaluated shape and dtype. */
    private Map<String, Long> bind(Map<String, Tensor> inputs) {
        Map<String, Long> b = new TreeMap<>();
        Graph g = compiled.graph();
        for (Value v : g.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) throw new IllegalArgumentException("missing input '" + v.name() + "' " + v.type() + " (given: " + inputs.keySet() + ")");
            if (t.dtype() != v.dtype() || t.rank() != v.rank()) throw new IllegalArgumentException("input '" + v.name() + "' must be " + v.type() + ", got " + t);
            for (int d = 0; d < v.rank(); d++) {
                Dim dim = v.shape().dim(d);
                if (!dim.isSymbol()) continue;
                Long prev = b.putIfAbsent(dim.symbolName(), t.dim(d));
                if (prev != null && prev != t.dim(d)) {
                    throw new IllegalArgumentException("symbol " + dim.symbolName() + " = " + prev + " but input '" + v.name() + "' dim " + d + " is " + t.dim(d));
                }
            }
        }
        for (Value v : g.inputs()) {
            long[] want = v.shape().eval(b);
            if (!Arrays.equals(want, inputs.get(v.name()).shape())) {
                throw new IllegalArgumentException("input '" + v.name() + "' must have shape " + Arrays.toString(want) + " = " + v.shape() + ", got " + inputs.get(v.name()));
            }
        }
        return b;
    }
}
