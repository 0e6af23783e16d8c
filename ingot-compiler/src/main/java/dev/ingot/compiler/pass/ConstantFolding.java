package dev.ingot.compiler.pass;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Node;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Folds what is known before run time, mostly the shape arithmetic ONNX graphs are full of
 * ({@code shape_of -> gather -> concat -> reshape}):
 * <ul>
 *   <li>{@code shape_of(x)} with a static shape becomes an i64 constant;</li>
 *   <li>any op whose inputs are all constants and whose output is small ({@value #MAX_ELEMENTS} elements)
 *       and static is evaluated by the reference interpreter, so folding has exactly the run-time semantics;</li>
 *   <li>a reshape to the same shape and a cast to the same dtype become their input.</li>
 * </ul>
 * Symbolic shapes are left alone: a shape with {@code T} is not a constant.
 */
public final class ConstantFolding implements Pass {
    static final int MAX_ELEMENTS = 4096;

    @Override
    public String name() {
        return "fold-constants";
    }

    @Override
    public Graph run(Graph g) {
        Rebuild r = new Rebuild();
        for (Node n : g.nodes()) {
            Value out = n.output();
            if (n.op() instanceof ShapeOp.Reshape rs && rs.to().equals(n.input(0).shape())
                    || n.op() instanceof ElementwiseOp.Cast c && c.to() == n.input(0).dtype()) {
                if (out.name() == null) {   // a named value stays: dumps compare activations by name
                    r.alias(out, r.get(n.input(0)));
                    continue;
                }
            }
            if (n.op() instanceof ShapeOp.ShapeOf && n.input(0).shape().isStatic()) {
                r.alias(out, r.b.constant(n.input(0).shape().staticSizes(), DType.I64, Shape.of(n.input(0).rank()), out.name()));
                continue;
            }
            if (foldable(n, r)) {
                r.alias(out, evaluate(n, r));
                continue;
            }
            r.copy(n);
        }
        return r.finish(g);
    }

    private static boolean foldable(Node n, Rebuild r) {
        if (n.op() instanceof SourceOp || n.inputs().isEmpty()) return false;
        TensorType t = n.output().type();
        if (!t.shape().isStatic() || t.dtype().isQuantized() || t.shape().numel().constant() > MAX_ELEMENTS) return false;
        for (Value v : n.inputs()) if (!(r.get(v).definingOp() instanceof SourceOp.Constant)) return false;
        return true;
    }

    /** Runs the node alone in the interpreter and returns a constant holding the result. */
    private static Value evaluate(Node n, Rebuild r) {
        GraphBuilder mini = new GraphBuilder();
        List<Value> ins = new ArrayList<>();
        for (Value v : n.inputs()) {
            SourceOp.Constant c = (SourceOp.Constant) r.get(v).definingOp();
            ins.add(mini.constant(c.type(), c.data(), null));
        }
        mini.output(mini.op(n.op(), ins, null));
        Tensor result = Interpreter.run(mini.build(), Map.of()).output(0);
        TensorType t = n.output().type();
        long count = t.shape().numel().constant();
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) Math.max(1, t.dtype().rowBytes(1) * count)]);
        boolean integer = !t.dtype().isFloatingPoint();
        for (long i = 0; i < count; i++) {
            SegmentReader.put(t.dtype(), seg, i, integer ? (double) result.getLong(i) : result.getDouble(i));
        }
        return r.b.constant(t, seg, n.output().name());
    }
}
