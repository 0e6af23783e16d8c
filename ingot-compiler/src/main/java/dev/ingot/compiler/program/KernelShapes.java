package dev.ingot.compiler.program;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.Graph;
import dev.ingot.ir.LlmOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.Value;
import java.util.ArrayList;
import dev.ingot.tensor.DType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attention and fused-group steps {@link ProgramCompiler} would emit for a graph and shape bucket, as plain
 * shapes: what {@code ingot tune} tunes besides the linears ({@link LinearShapes}). Fused ops follow the
 * compiler's fusion rules: an add feeding an rms_norm is {@code add_rms_norm}, {@code silu(g) * u} is
 * {@code swiglu}, other rms_norms and same-shape adds stand alone. Rows and context are at the bucket's bounds.
 */
public final class KernelShapes {
    private KernelShapes() {}

    /** A paged attention step: q [tokens, heads, headDim] over a kvType cache of blockSize-slot blocks, contexts up to maxContext. */
    public record Attention(DType kvType, int heads, int kvHeads, int headDim, int blockSize, int tokens, int maxContext) {}

    /** A fused step: {@code op} ({@link FusedCall.Op#id}) over [tokens, n]. */
    public record Fused(String op, int n, int tokens) {}

    public static Set<Attention> attention(Graph g, Map<String, Long> bounds) {
        Set<Attention> out = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            if (!(n.op() instanceof LlmOp.PagedAttention)) continue;
            Value q = n.input(0), cache = n.input(1), bt = n.input(3);
            int bs = (int) cache.shape().dim(1).constant();
            out.add(new Attention(cache.dtype(), (int) q.shape().dim(1).constant(), (int) cache.shape().dim(2).constant(),
                    (int) q.shape().dim(2).constant(), bs, (int) q.shape().dim(0).eval(bounds),
                    (int) Math.min(Integer.MAX_VALUE, bt.shape().dim(1).eval(bounds) * bs)));
        }
        return out;
    }

    public static Set<Fused> fused(Graph g, Map<String, Long> bounds) {
        Set<Fused> out = new LinkedHashSet<>();
        Set<Value> normed = new java.util.HashSet<>(); // adds whose result an rms_norm reads: fused into it
        for (Node n : g.nodes()) if (n.op() instanceof LlmOp.RmsNorm) normed.add(n.input(0));
        for (Node n : g.nodes()) {
            Value y = n.output();
            String op = switch (n.op()) {
                case LlmOp.RmsNorm r -> g.producer(n.input(0)) != null && isAdd(g.producer(n.input(0))) ? "add_rms_norm" : "rms_norm";
                case ElementwiseOp.Binary b when b.kind() == BinaryKind.MUL && n.input(0).definingOp() instanceof ElementwiseOp.Unary u
                        && u.kind() == UnaryKind.SILU -> "swiglu";
                case ElementwiseOp.Binary b when b.kind() == BinaryKind.ADD && !normed.contains(y)
                        && n.input(0).shape().equals(n.input(1).shape()) && !n.input(1).isWeight() -> "add";
                default -> null;
            };
            if (op == null || y.rank() == 0 || !y.shape().last().isConstant()) continue;
            int width = (int) y.shape().last().constant();
            out.add(new Fused(op, width, (int) Math.max(1, y.shape().numel().div(y.shape().last()).eval(bounds))));
        }
        return out;
    }

    private static boolean isAdd(Node n) {
        return n.op() instanceof ElementwiseOp.Binary b && b.kind() == BinaryKind.ADD && n.input(0).shape().equals(n.input(1).shape());
    }
}
