package dev.ingot.compiler.graphexec;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Node;
import dev.ingot.ir.Printer;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An op without a fast lowering, run by the reference interpreter on a one-node graph built for this shape
 * binding: F32 operands are copied out of the arena, other dtypes come from their slots, and the result is copied
 * back (F32) or kept in its slot. Slow per element, but every graph the interpreter runs still runs.
 */
final class FallbackStep implements Step {
    private final Node node;
    private final Graph mini;
    private final List<Loc> inputs;  // per mini-graph input, in order (constants are inside the mini graph)
    private final List<long[]> shapes;
    private final Loc out;
    private final Map<String, Long> binding;

    /** Compute on the first run only: the inputs are run-invariant and the output is a slot nothing else writes. */
    private final boolean once;
    private boolean done;

    FallbackStep(Node node, List<Loc> locs, Map<String, Long> binding, Loc out, boolean once) {
        this.node = node;
        this.once = once && out instanceof Loc.Slot;
        this.out = out;
        GraphBuilder b = new GraphBuilder();
        List<Value> ins = new ArrayList<>();
        this.inputs = new ArrayList<>();
        this.shapes = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            Value v = node.input(i);
            long[] s = v.shape().eval(binding);
            if (v.definingOp() instanceof SourceOp.Weight || v.definingOp() instanceof SourceOp.Constant) {
                ins.add(b.op(v.definingOp(), List.of(), "c" + i));
            } else {
                // symbolic as in the graph: op attributes (reshape targets, iota types) may name symbols
                ins.add(b.input("in" + i, v.type()));
                inputs.add(locs.get(i));
                shapes.add(s);
            }
        }
        b.output(b.op(node.op(), ins, null));
        this.mini = b.build();
        this.binding = Map.copyOf(binding);
    }

    @Override public void run(Frame f) {
        if (done) return;
        done = once;
        Map<String, Tensor> in = new HashMap<>();
        int k = 0;
        for (int i = 0; i < node.inputs().size(); i++) {
            Value v = node.input(i);
            if (v.definingOp() instanceof SourceOp.Weight || v.definingOp() instanceof SourceOp.Constant) continue;
            in.put("in" + i, read(f, inputs.get(k), shapes.get(k)));
            k++;
        }
        Tensor r = Interpreter.run(mini, binding, in, Interpreter.Options.defaults()).output(0);
        switch (out) {
            case Loc.Buf b -> System.arraycopy(r.floatsForRead(), 0, f.arena, b.off, (int) r.numel());
            case Loc.Slot s -> f.slots[s.index()] = r;
            default -> throw new IllegalStateException("fallback output must be a buffer or a slot: " + out);
        }
    }

    static Tensor read(Frame f, Loc loc, long[] shape) {
        return switch (loc) {
            case Loc.Slot s -> f.slots[s.index()];
            case Loc.Buf b -> {
                int n = (int) numel(shape);
                float[] a = new float[n];
                System.arraycopy(f.arena, b.off, a, 0, n);
                yield Tensor.f32(a, shape);
            }
            case Loc.View v -> {
                float[] a = new float[(int) numel(shape)];
                DataSteps.gather(f.arena, v, a, 0);
                yield Tensor.f32(a, shape);
            }
            case Loc.Seg s -> throw new IllegalStateException("constants are part of the one-node graph");
        };
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override public String describe() { return "reference " + (once ? "(once) " : "") + Printer.line(node); }
}
