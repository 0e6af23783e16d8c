package dev.ingot.compiler.program;

import dev.ingot.ir.Graph;
import dev.ingot.ir.LinalgOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The linear steps {@link ProgramCompiler} would emit for a graph and shape bucket, as plain shapes: what
 * {@code ingot tune} tunes. Same rule as the compiler: weight [N, K] is input 1 of a {@code linear} node, and
 * the step's token count is the result's rows (numel / last dim) at the bucket's bounds.
 */
public final class LinearShapes {
    private LinearShapes() {}

    /** One linear step: {@code y[T, N] = x[T, K] W^T}, W of {@code dtype} at {@code weights}. */
    public record Shape(String label, DType dtype, int n, int k, int tokens, MemorySegment weights) {}

    /** @param bounds upper bound of every symbol (the shape bucket), as for {@link ProgramCompiler#compile} */
    public static List<Shape> of(Graph g, Map<String, Long> bounds) {
        List<Shape> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof LinalgOp.Linear)) continue;
            Value w = n.input(1), y = n.output();
            if (!w.isWeight()) continue; // the compiler rejects these with a clear error; nothing to tune
            int rows = (int) y.shape().numel().div(y.shape().last()).eval(bounds);
            out.add(new Shape(y.label(), w.dtype(), (int) w.shape().dim(0).constant(), (int) w.shape().dim(1).constant(),
                    rows, ((SourceOp.Weight) w.definingOp()).data()));
        }
        return out;
    }
}
