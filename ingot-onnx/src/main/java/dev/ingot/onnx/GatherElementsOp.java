package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.List;

/**
 * GatherElements and GatherND as flat gathers. GatherElements: out[i0..ik] = data[i0.., idx[i0..ik], ..ik] is element
 * {@code sum_j c_j stride_j} of the flattened data, where c_axis = idx (negative counts from the end) and the
 * other coordinates are iotas over the indices' shape. The data shape must be static.
 */
final class GatherElementsOp {
    private GatherElementsOp() {}

    static void translate(NodeCtx n) {
        n.out(gatherElements(n, n.x(0), n.x(1), (int) n.attrInt("axis", 0), n.outName(0)));
    }

    /**
     * GatherND: indices [B..., M..., k] address slices of data [B..., D1..Dk, R...] (B the batch_dims); out
     * [B..., M..., R...]. Data becomes [prod(B) * prod(D), R...] and the index batch * prod(D) + sum idx_j stride_j.
     */
    static void gatherNd(NodeCtx n) {
        Value data = n.x(0), indices = n.x(1);
        int b = (int) n.attrInt("batch_dims", 0);
        Shape ds = data.shape(), is = indices.shape();
        if (!ds.isStatic() || !is.isStatic()) throw n.fail("static shapes only");
        long[] dsz = ds.staticSizes(), isz = is.staticSizes();
        int k = (int) isz[isz.length - 1];
        long batch = 1, slab = 1;
        for (int i = 0; i < b; i++) batch *= dsz[i];
        long[] stride = new long[k];
        for (int j = k - 1; j >= 0; j--) {
            stride[j] = slab;
            slab *= dsz[b + j];
        }
        List<Dim> flatDims = new java.util.ArrayList<>(List.of(Dim.of(batch * slab)));
        for (int i = b + k; i < dsz.length; i++) flatDims.add(Dim.of(dsz[i]));
        Value flat = n.b.reshape(data, new Shape(flatDims), null);
        Value idx = n.b.cast(indices, DType.I64, null);
        Shape lead = is.sub(0, is.rank() - 1);
        Value lin = null;
        for (int j = 0; j < k; j++) {
            Value ij = n.b.squeeze(n.b.slice(idx, is.rank() - 1, j, j + 1, null), List.of(is.rank() - 1), null);
            // negative indices count from the end of their dim
            ij = n.b.where(n.b.binary(BinaryKind.LT, ij, ElementwiseOps.scalar(n, DType.I64, 0), null),
                    n.b.add(ij, ElementwiseOps.scalar(n, DType.I64, dsz[b + j]), null), ij, null);
            Value term = n.b.mul(ij, ElementwiseOps.scalar(n, DType.I64, stride[j]), null);
            lin = lin == null ? term : n.b.add(lin, term, null);
        }
        if (lin == null) lin = n.b.expand(ElementwiseOps.scalar(n, DType.I64, 0), lead, null);
        if (b > 0) {
            // the flattened batch coordinate of every index row: iota over the leading batch dims, row-major
            Value bi = null;
            long bs = 1;
            for (int i = b - 1; i >= 0; i--) {
                Value t = n.b.mul(n.b.iota(new TensorType(DType.I64, lead), i, null), ElementwiseOps.scalar(n, DType.I64, bs * slab), null);
                bi = bi == null ? t : n.b.add(bi, t, null);
                bs *= dsz[i];
            }
            lin = n.b.add(lin, bi, null);
        }
        n.out(n.b.gather(flat, lin, 0, n.outName(0)));
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
