package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.List;

/**
 * GatherElements as a flat gather: out[i0..ik] = data[i0.., idx[i0..ik], ..ik] is element
 * {@code sum_j c_j stride_j} of the flattened data, where c_axis = idx (negative counts from the end) and the
 * other coordinates are iotas over the indices' shape. The data shape must be static.
 */
final class GatherElementsOp {
    private GatherElementsOp() {}

    static void translate(NodeCtx n) {
        n.out(gatherElements(n, n.x(0), n.x(1), (int) n.attrInt("axis", 0), n.outName(0)));
    }

    static Value gatherElements(NodeCtx n, Value data, Value indices, int axisAttr, String name) {
        Shape ds = data.shape();
        if (!ds.isStatic()) throw n.fail("data shape must be static, got " + ds);
        long[] size = ds.staticSizes();
        int r = size.length, axis = n.axis(axisAttr, r);
        long[] stride = new long[r];
        long s = 1;
        for (int i = r - 1; i >= 0; i--) {
            stride[i] = s;
            s *= size[i];
        }
        Value idx = n.b.cast(indices, DType.I64, null);
        Value zero = ElementwiseOps.scalar(n, DType.I64, 0);
        idx = n.b.where(n.b.binary(BinaryKind.LT, idx, zero, null), n.b.add(idx, ElementwiseOps.scalar(n, DType.I64, size[axis]), null), idx, null);
        Value flat = n.b.mul(idx, ElementwiseOps.scalar(n, DType.I64, stride[axis]), null);
        TensorType it = new TensorType(DType.I64, indices.shape());
        for (int j = 0; j < r; j++) {
            if (j == axis) continue;
            flat = n.b.add(flat, n.b.mul(n.b.iota(it, j, null), ElementwiseOps.scalar(n, DType.I64, stride[j]), null), null);
        }
        Value all = n.b.reshape(data, new Shape(List.of(Dim.of(s))), null);
        return n.b.gather(all, flat, 0, name);
    }
}
