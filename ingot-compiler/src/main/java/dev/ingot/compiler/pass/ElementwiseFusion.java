package dev.ingot.compiler.pass;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.Graph;
import dev.ingot.ir.LlmOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.ReduceOp;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Partitions a graph into kernel groups (greedy, one pass in graph order). A fusible node joins the open
 * group of one of its producers when it has the same row shape, else (reading no open group) the newest open
 * group of its row shape, else starts a group. A group closes (is
 * scheduled) as soon as anything outside it reads one of its values, so the plan stays in dependency order:
 * a group runs after every unfused node its members read and before every node that reads it.
 *
 * <p>Fusible: F32 unary math (incl. SiLU, GELU), add/sub/mul/div/max/min, {@code rms_norm} with an F32
 * weight, softmax over the last axis; each operand must broadcast as a {@link RowForm}, and all dims must be
 * constants or bare symbols.
 */
public final class ElementwiseFusion {
    private ElementwiseFusion() {}

    static final Set<UnaryKind> UNARY = EnumSet.of(UnaryKind.NEG, UnaryKind.ABS, UnaryKind.EXP, UnaryKind.SQRT,
            UnaryKind.RSQRT, UnaryKind.ERF, UnaryKind.TANH, UnaryKind.SIGMOID, UnaryKind.RELU, UnaryKind.RECIPROCAL,
            UnaryKind.SIN, UnaryKind.COS, UnaryKind.SILU, UnaryKind.GELU_TANH, UnaryKind.GELU_ERF);
    static final Set<BinaryKind> BINARY = EnumSet.of(BinaryKind.ADD, BinaryKind.SUB, BinaryKind.MUL, BinaryKind.DIV,
            BinaryKind.MAX, BinaryKind.MIN);

    /** Whether {@code n} can be part of a kernel group. */
    static boolean fusible(Node n) {
        boolean opOk = switch (n.op()) {
            case ElementwiseOp.Unary u -> UNARY.contains(u.kind());
            case ElementwiseOp.Binary b -> BINARY.contains(b.kind());
            case LlmOp.RmsNorm r -> RowForm.of(n.input(0).shape(), n.output().shape()) == RowForm.FULL
                    && RowForm.of(n.input(1).shape(), n.output().shape()) == RowForm.COL;
            case ReduceOp.Softmax s -> s.axis() == -1 || s.axis() == n.output().rank() - 1;
            default -> false;
        };
        if (!opOk || n.output().dtype() != DType.F32 || n.output().rank() == 0 || !RowForm.simpleDims(n.output().shape())) return false;
        for (Value v : n.inputs()) {
            if (v.dtype() != DType.F32 || RowForm.of(v.shape(), n.output().shape()) == null) return false;
        }
        return true;
    }

    private static final class Open {
        final int id;
        final List<Node> nodes = new ArrayList<>();

        Open(int id) {
            this.id = id;
        }
    }

    public static FusionPlan plan(Graph g) {
        List<Object> steps = new ArrayList<>();
        Map<Value, Open> owner = new HashMap<>();
        Set<Open> open = new LinkedHashSet<>();
        Map<Value, List<Node>> consumers = g.consumers();
        Set<Value> graphOutputs = Set.copyOf(g.outputs());
        int[] ids = {0};
        for (Node n : g.nodes()) {
            if (n.op() instanceof SourceOp) continue;
            Open join = null;
            if (fusible(n)) {
                for (Value v : n.inputs()) {
                    Open o = owner.get(v);
                    if (o != null && open.contains(o) && o.nodes.getFirst().output().shape().equals(n.output().shape())) {
                        join = o;
                        break;
                    }
                }
                if (join == null) {
                    // horizontal fusion: no producer group is open, so join the newest open group of the same
                    // row shape; safe because every input of n is already scheduled or a source
                    for (Open o : open) {
                        if (o.nodes.getFirst().output().shape().equals(n.output().shape()) && !readsOpen(n, owner, open)) join = o;
                    }
                }
                if (join == null) {
                    join = new Open(ids[0]++);
                    open.add(join);
                }
            }
            // any other open group this node reads must run before it
            for (Value v : n.inputs()) {
                Open o = owner.get(v);
                if (o != null && o != join && open.remove(o)) steps.add(close(o, consumers, graphOutputs));
            }
            if (join != null) {
                join.nodes.add(n);
                owner.put(n.output(), join);
            } else {
                steps.add(n);
            }
        }
        for (Open o : open) steps.add(close(o, consumers, graphOutputs));
        return new FusionPlan(g, steps);
    }

    /** Whether n reads a value of any open group (then only that producer's group may take it). */
    private static boolean readsOpen(Node n, Map<Value, Open> owner, Set<Open> open) {
        for (Value v : n.inputs()) if (open.contains(owner.get(v))) return true;
        return false;
    }

    private static KernelGroup close(Open o, Map<Value, List<Node>> consumers, Set<Value> graphOutputs) {
        Set<Node> members = Set.copyOf(o.nodes);
        Set<Value> defined = new LinkedHashSet<>(), inputs = new LinkedHashSet<>();
        List<Value> outputs = new ArrayList<>();
        for (Node n : o.nodes) {
            for (Value v : n.inputs()) if (!defined.contains(v)) inputs.add(v);
            defined.add(n.output());
            boolean external = graphOutputs.contains(n.output())
                    || consumers.getOrDefault(n.output(), List.of()).stream().anyMatch(c -> !members.contains(c));
            if (external) outputs.add(n.output());
        }
        return new KernelGroup(o.id, o.nodes.getFirst().output().shape(), o.nodes, List.copyOf(inputs), outputs);
    }
}
