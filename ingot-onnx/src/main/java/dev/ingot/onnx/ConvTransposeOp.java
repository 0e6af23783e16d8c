package dev.ingot.onnx;

import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ConvTranspose as a stride-1 convolution with the flipped, in/out-swapped kernel over the zero-upsampled input.
 * One import-time gather builds the upsampled, padded (or cropped) grid from the flattened input plus a zero
 * slot; the rest is {@link ConvOps}' im2col. out_i = s (in_i - 1) + output_padding_i + (k_i - 1) d_i + 1 - pads.
 */
final class ConvTransposeOp {
    private ConvTransposeOp() {}

    static void register(Map<String, OpTranslator> m) { m.put("ConvTranspose", ConvTransposeOp::translate); }

    private static void translate(NodeCtx n) {
        Value x = n.x(0), w = n.x(1);
        if (!w.shape().isStatic() || !x.shape().sub(1, x.rank()).isStatic()) throw n.fail("shapes must be static except the batch");
        long[] ws = w.shape().staticSizes();
        int k = ws.length - 2;
        long groups = n.attrInt("group", 1), cin = ws[0], coutG = ws[1], cg = cin / groups;
        long[] in = new long[k], kernel = new long[k], s = attr(n, "strides", k, 1), d = attr(n, "dilations", k, 1);
        long[] op = attr(n, "output_padding", k, 0), pads = n.attrInts("pads") == null ? new long[2 * k] : toArray(n.attrInts("pads"));
        long[] pb = new long[k], pe = new long[k], out = new long[k];
        String auto = n.attrString("auto_pad", "NOTSET");
        List<Long> outShape = n.attrInts("output_shape");
        for (int i = 0; i < k; i++) {
            in[i] = x.shape().dim(i + 2).constant();
            kernel[i] = ws[i + 2];
            long full = s[i] * (in[i] - 1) + op[i] + (kernel[i] - 1) * d[i] + 1;
            if (outShape != null || auto.startsWith("SAME")) {
                long want = outShape != null ? outShape.get(outShape.size() - k + i) : in[i] * s[i];
                long total = full - want;
                boolean upper = !auto.equals("SAME_LOWER");
                pb[i] = upper ? total / 2 : total - total / 2;
                pe[i] = total - pb[i];
            } else if (!auto.equals("VALID")) {
                pb[i] = pads[i];
                pe[i] = pads[i + k];
            }
            out[i] = full - pb[i] - pe[i];
        }
        // grid coordinate g holds upsampled coordinate u = g - (span - 1 - pb): x[u / s] when u % s == 0, else 0
        long[] grid = new long[k];
        long cells = 1, p = 1;
        for (int i = 0; i < k; i++) {
            grid[i] = out[i] + (kernel[i] - 1) * d[i];
            cells *= grid[i];
            p *= in[i];
        }
        long[] idx = new long[(int) cells];
        for (int c = 0; c < cells; c++) {
            long src = 0, rest = c, stride = 1;
            boolean zero = false;
            for (int i = k - 1; i >= 0; i--) {
                long g = rest % grid[i];
                rest /= grid[i];
                long u = g - ((kernel[i] - 1) * d[i] - pb[i]);
                if (u < 0 || u % s[i] != 0 || u / s[i] >= in[i]) zero = true;
                else src += (u / s[i]) * stride;
                stride *= in[i];
            }
            idx[c] = zero ? p : src;
        }
        Dim batch = x.shape().dim(0);
        Value flat = n.b.reshape(x, new Shape(List.of(batch, Dim.of(cin), Dim.of(p))), null);
        Value zeroSlot = n.b.expand(ElementwiseOps.scalar(n, x.dtype(), 0), new Shape(List.of(batch, Dim.of(cin), Dim.of(1))), null);
        flat = n.b.concat(List.of(flat, zeroSlot), 2, null);
        Value ix = n.b.constant(new TensorType(DType.I64, Shape.of(cells)), Tensor.i64(idx, cells).toSegment(), null);
        List<Dim> gd = new ArrayList<>(List.of(batch, Dim.of(cin)));
        for (long g : grid) gd.add(Dim.of(g));
        Value up = n.b.reshape(n.b.gather(flat, ix, 2, null), new Shape(gd), null);
        ConvOps.Geometry geo = new ConvOps.Geometry(grid, kernel, ones(k), d, new long[k], new long[k], out);
        long taps = geo.taps();
        Value cols = n.b.reshape(ConvOps.windows(n, up, geo, 0), new Shape(List.of(batch, Dim.of(groups), Dim.of(cg * taps), Dim.of(geo.positions()))), null);
        // w [G*Cg, CoutG, K] -> flip K (reverses every spatial axis) -> [G, CoutG, Cg*K]
        Value wk = n.b.reshape(w, Shape.of(groups, cg, coutG, taps), null);
        wk = n.b.slice(wk, List.of(-1L), List.of(-ShapeOp.Slice.END), List.of(3), List.of(-1L), null);
        wk = n.b.reshape(n.b.transpose(wk, List.of(0, 2, 1, 3), null), Shape.of(groups, coutG, cg * taps), null);
        long cout = coutG * groups;
        Value y = n.b.reshape(n.b.matmul(wk, cols, null), new Shape(List.of(batch, Dim.of(cout), Dim.of(geo.positions()))), null);
        if (n.has(2)) y = n.b.add(y, n.b.unsqueeze(n.x(2), List.of(1), null), null);
        List<Dim> od = new ArrayList<>(List.of(batch, Dim.of(cout)));
        for (long o : out) od.add(Dim.of(o));
        n.out(n.b.reshape(y, new Shape(od), n.outName(0)));
    }

    private static long[] attr(NodeCtx n, String name, int k, long def) {
        List<Long> v = n.attrInts(name);
        long[] a = new long[k];
        for (int i = 0; i < k; i++) a[i] = v == null ? def : v.get(i);
        return a;
    }

    private static long[] toArray(List<Long> v) { return v.stream().mapToLong(Long::longValue).toArray(); }

    private static long[] ones(int k) {
        long[] a = new long[k];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
