package dev.ingot.compiler.graphexec;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.interp.ElementwiseKernels;
import dev.ingot.ir.Node;
import dev.ingot.ir.Printer;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.tensor.DType;
import java.util.List;

/**
 * One elementwise op on one-element values (the scale and zero-point arithmetic of dynamic quantisation), computed
 * in double and rounded once to the output dtype, with the reference interpreter's semantics; run as plain Java
 * instead of a per-call interpreter graph because a quantised encoder has hundreds of them per forward pass.
 */
final class ScalarStep implements Step {
    /** Where one operand is read from / the result goes. Exactly one of the three is set. */
    record Cell(int arenaRef, Ref ref, int slot, double constant) {
        static Cell of(Loc loc, double constant) {
            return switch (loc) {
                case Loc.Buf b -> new Cell(1, new Ref(b, 0), -1, 0);
                case Loc.View v -> new Cell(1, new Ref(v.base(), v.start()), -1, 0);
                case Loc.Slot s -> new Cell(0, null, s.index(), 0);
                case Loc.Seg s -> new Cell(0, null, -1, constant);
            };
        }

        double get(Frame f) {
            if (ref != null) return f.arena[ref.off()];
            if (slot >= 0) return f.slots[slot].getDouble(0);
            return constant;
        }
    }

    private final Node node;
    private final List<Cell> in;
    private final Cell out;
    private final DType outType;

    ScalarStep(Node node, List<Cell> in, Cell out) {
        this.node = node;
        this.in = in;
        this.out = out;
        this.outType = node.output().dtype();
    }

    /** Whether {@code n} can run here: the float, BOOL, cast and where forms (integer arithmetic goes to the fallback). */
    static boolean supports(Node n) {
        DType o = n.output().dtype();
        if (o == DType.F16 || o == DType.BF16 || o.isQuantized()) return false;
        return switch ((dev.ingot.ir.Op) n.op()) {
            case ElementwiseOp.Unary u -> n.input(0).dtype() == DType.F32 && switch (u.kind()) {
                case NEG, ABS, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, RECIPROCAL, FLOOR, CEIL -> true;
                default -> false;
            };
            case ElementwiseOp.Binary b -> (n.input(0).dtype() == DType.F32 || b.kind().isLogical()) && b.kind() != ElementwiseOp.BinaryKind.POW;
            case ElementwiseOp.Where w -> true;
            case ElementwiseOp.Cast c -> true;
            default -> false;
        };
    }

    @Override public void run(Frame f) {
        double r = switch ((dev.ingot.ir.Op) node.op()) {
            case ElementwiseOp.Unary u -> ElementwiseKernels.unary(u.kind(), in.getFirst().get(f));
            case ElementwiseOp.Binary b -> ElementwiseKernels.binary(b.kind(), in.get(0).get(f), in.get(1).get(f));
            case ElementwiseOp.Where w -> in.get(0).get(f) != 0 ? in.get(1).get(f) : in.get(2).get(f);
            case ElementwiseOp.Cast c -> {
                double x = in.getFirst().get(f);
                boolean fromFloat = node.input(0).dtype().isFloatingPoint();
                if (c.to() == DType.BOOL) yield x != 0 ? 1 : 0;
                if (fromFloat && !c.to().isFloatingPoint()) yield Double.isNaN(x) ? 0 : (double) (long) x;
                yield x;
            }
            default -> throw new IllegalStateException("not elementwise: " + node.op());
        };
        if (out.ref() != null) f.arena[out.ref().off()] = (float) r;
        else {
            Tensor t = f.slots[out.slot()];
            if (outType.isFloatingPoint()) t.setDouble(0, r);
            else t.setLong(0, (long) r);
        }
    }

    @Override public String describe() { return "scalar " + Printer.line(node); }
}
