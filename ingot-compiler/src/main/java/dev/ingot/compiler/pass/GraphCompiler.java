package dev.ingot.compiler.pass;

import dev.ingot.codegen.jvm.CompiledKernel;
import dev.ingot.codegen.jvm.Debug;
import dev.ingot.compiler.cache.CompileCache;
import dev.ingot.ir.Graph;

import java.util.ArrayList;
import java.util.List;

/**
 * Graph to runnable kernels: the standard pass pipeline, elementwise fusion, lowering of each group to loop
 * IR, and code generation through the compile cache (a second launch with the same cache directory
 * generates nothing). Unfused steps of the plan are left to the kernel library.
 */
public final class GraphCompiler {
    private final CompileCache cache;
    private final PassPipeline pipeline;

    /** One compiled group: the lowering (parameter mapping) and its loaded kernel. */
    public record Kernel(GroupKernel lowered, CompiledKernel compiled) {}

    /** The optimised graph, its plan, and one kernel per group in plan order. */
    public record Program(Graph graph, FusionPlan plan, List<Kernel> kernels) {}

    public GraphCompiler(CompileCache cache) {
        this(cache, PassPipeline.standard());
    }

    public GraphCompiler(CompileCache cache, PassPipeline pipeline) {
        this.cache = cache;
        this.pipeline = pipeline;
    }

    /** Compiles {@code g} for {@code shapeBucket} ({@code "generic"}: symbols stay kernel arguments). */
    public Program compile(Graph g, String shapeBucket) {
        Graph optimised = pipeline.run(g).graph();
        FusionPlan plan = ElementwiseFusion.plan(optimised);
        if (Debug.level() >= 2) System.err.println("[ingot] fusion plan\n" + plan);
        List<Kernel> kernels = new ArrayList<>();
        for (KernelGroup group : plan.groups()) {
            GroupKernel lowered = GroupLowering.lower(group);
            kernels.add(new Kernel(lowered, cache.kernel(lowered.kernel(), shapeBucket)));
        }
        return new Program(optimised, plan, kernels);
    }
}
