package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import java.util.List;
import java.util.Map;

/** One-hot style ops built from an iota compared against indices: Hardmax and OneHot. */
final class IndexOps {
    private IndexOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("Hardmax", IndexOps::hardmax);
        m.put("OneHot", IndexOps::oneHot);
        m.put("EyeLike", IndexOps::eyeLike);
        m.put("CumSum", IndexOps::cumSum);
    }

    /** Ones where column - row == k on a 2-D shape, zeros elsewhere, in the dtype attribute or the input's. */
    private static void eyeLike(NodeCtx n) {
        Value x = n.x(0);
        DType t = n.hasAttr("dtype") ? TensorProtos.dtype((int) n.attrInt("dtype", 1)) : x.dtype();
        TensorType it = new TensorType(DType.I64, x.shape());
        Value diff = n.b.sub(n.b.iota(it, 1, null), n.b.iota(it, 0, null), null);
        Value hit = n.b.binary(BinaryKind.EQ, diff, ElementwiseOps.scalar(n, DType.I64, n.attrInt("k", 0)), null);
        n.out(n.b.cast(hit, t, n.outName(0)));
    }

    /**
     * CumSum along a static axis as a matmul with a 0/1 matrix M[j, i] (j contributes to i): j <= i, strict
     * for exclusive, reversed for reverse. x is moved to the last axis and back.
     */
    private static void cumSum(NodeCtx n) {
        Value x = n.x(0);
        int r = x.rank();
        int axis = n.axis(n.constant(1, "axis").getLong(0), r);
        dev.ingot.ir.shape.Dim d = x.shape().dim(axis);
        if (!d.isConstant()) throw n.fail("cumsum over symbolic dim " + d);
        int len = (int) d.constant();
        boolean excl = n.attrInt("exclusive", 0) != 0, rev = n.attrInt("reverse", 0) != 0;
        dev.ingot.ir.interp.Tensor mat = dev.ingot.ir.interp.Tensor.zeros(x.dtype(), len, len);
        for (int j = 0; j < len; j++) {
            for (int i = 0; i < len; i++) {
                boolean on = rev ? (excl ? j > i : j >= i) : (excl ? j < i : j <= i);
                if (on) mat.setDouble((long) j * len + i, 1);
            }
        }
        Value mc = n.b.constant(new TensorType(x.dtype(), dev.ingot.ir.shape.Shape.of(len, len)), mat.toSegment(), null);
        List<Integer> perm = new java.util.ArrayList<>();
        for (int i = 0; i < r; i++) if (i != axis) perm.add(i);
        perm.add(axis);
        List<Integer> inv = new java.util.ArrayList<>(java.util.Collections.nCopies(r, 0));
        for (int i = 0; i < r; i++) inv.set(perm.get(i), i);
        Value moved = axis == r - 1 ? x : n.b.transpose(x, perm, null);
        Value y = n.b.matmul(moved, mc, null);
        n.out(axis == r - 1 ? n.b.reshape(y, y.shape(), n.outName(0)) : n.b.transpose(y, inv, n.outName(0)));
    }

    /** 1 at the first maximum along axis (opset 13+; earlier opsets coerce to 2-D and are refused), 0 elsewhere. */
    private static void hardmax(NodeCtx n) {
        if (n.opset() < 13) throw n.fail("opset < 13 Hardmax (2-D coercion) is not supported");
        Value x = n.x(0);
        int axis = n.axis(n.attrInt("axis", -1), x.rank());
        Value arg = n.b.argMax(x, axis, true, null);
        Value iota = n.b.iota(new TensorType(DType.I64, x.shape()), axis, null);
        n.out(n.b.cast(n.b.binary(BinaryKind.EQ, iota, arg, null), x.dtype(), n.outName(0)));
    }

    /** out[..., j, ...] = indices == j ? on : off, j in [0, depth) inserted at axis; negative indices count from depth. */
    private static void oneHot(NodeCtx n) {
        Value idx = n.x(0);
        long depth = (long) n.constant(1, "depth").getDouble(0);
        int r = idx.rank() + 1;
        int axis = n.axis(n.attrInt("axis", -1), r);
        Value i = n.b.cast(idx, DType.I64, null);
        Value depthC = ElementwiseOps.scalar(n, DType.I64, depth);
        // negative index -> index + depth
        i = n.b.where(n.b.binary(BinaryKind.LT, i, ElementwiseOps.scalar(n, DType.I64, 0), null), n.b.add(i, depthC, null), i, null);
        i = n.b.unsqueeze(i, List.of(axis), null);
        Value iota = n.b.iota(new TensorType(DType.I64, i.shape().with(axis, dev.ingot.ir.shape.Dim.of(depth))), axis, null);
        Value hit = n.b.binary(BinaryKind.EQ, i, iota, null);
        // values [off, on] may be a run-time input: pick its elements as 0-d values
        Value values = n.x(2);
        Value off = n.b.gather(values, ElementwiseOps.scalar(n, DType.I64, 0), 0, null);
        Value on = n.b.gather(values, ElementwiseOps.scalar(n, DType.I64, 1), 0, null);
        n.out(n.b.where(hit, on, off, n.outName(0)));
    }
}
