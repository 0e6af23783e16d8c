package dev.ingot.compiler.graphexec;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.Graph;
import dev.ingot.ir.Node;
import dev.ingot.ir.Op;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import java.util.List;
import java.util.Map;

/**
 * Pattern-matching helpers over one (old) graph: producers, consumers and constant values. Matchers return null
 * when a shape does not match, so rules read as a chain of checks.
 */
final class Match {
    final Graph g;
    private final Map<Value, List<Node>> consumers;

    Match(Graph g) {
        this.g = g;
        this.consumers = g.consumers();
    }

    Node producer(Value v) { return v == null ? null : g.producer(v); }

    List<Node> consumers(Value v) { return consumers.getOrDefault(v, List.of()); }

    /** Readers of v, counting graph outputs as one more reader. */
    int uses(Value v) { return consumers(v).size() + (g.outputs().contains(v) ? 1 : 0); }

    /** The producer of v when it applies a binary op of this kind, else null. */
    Node binary(Value v, BinaryKind k) {
        Node n = producer(v);
        return n != null && n.op() instanceof ElementwiseOp.Binary b && b.kind() == k ? n : null;
    }

    Node unary(Value v, UnaryKind k) {
        Node n = producer(v);
        return n != null && n.op() instanceof ElementwiseOp.Unary u && u.kind() == k ? n : null;
    }

    /** The producer of v when its op is an instance of {@code type}. */
    <T extends Op> Node op(Value v, Class<T> type) {
        Node n = producer(v);
        return n != null && type.isInstance(n.op()) ? n : null;
    }

    /** For a commutative node, the operand other than {@code one}, or null when neither operand is it. */
    static Value other(Node n, Value one) {
        if (n.input(0) == one) return n.input(1);
        if (n.input(1) == one) return n.input(0);
        return null;
    }

    /** The value of a one-element constant (any plain dtype), or NaN when v is not one. */
    static double scalar(Value v) {
        if (v.definingOp() instanceof SourceOp.Constant c && v.shape().numel().equals(Dim.of(1)) && !v.dtype().isQuantized()) {
            return SegmentReader.getDouble(v.dtype(), c.data(), 0);
        }
        return Double.NaN;
    }

    /** Constant or weight values of an integer-typed source as longs (row-major), or null. */
    static long[] integers(Value v) {
        java.lang.foreign.MemorySegment data = switch (v.definingOp()) {
            case SourceOp.Constant c -> c.data();
            case SourceOp.Weight w -> w.data();
            default -> null;
        };
        if (data == null || v.dtype().isFloatingPoint() || v.dtype().isQuantized() || !v.shape().isStatic()) return null;
        long n = v.shape().numel().constant();
        long[] out = new long[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) out[i] = SegmentReader.getLong(v.dtype(), data, i);
        return out;
    }

    /** True for a constant or weight (data known before run time). */
    static boolean isData(Value v) {
        return v.definingOp() instanceof SourceOp.Constant || v.definingOp() instanceof SourceOp.Weight;
    }
}
