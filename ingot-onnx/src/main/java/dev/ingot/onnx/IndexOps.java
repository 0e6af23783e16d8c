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
