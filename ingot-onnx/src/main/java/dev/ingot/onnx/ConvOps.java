package dev.ingot.onnx;

import dev.ingot.ir.ReduceOp.ReduceKind;
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
 * Convolution and pooling over x [N, C, D1..Dk] (any k, static C and spatial dims), lowered by im2col: pad,
 * flatten the spatial dims, gather every window with an import-time index table [K, L] (K kernel taps, L
 * output positions; strides and dilations live in the table), then a grouped matmul (Conv) or a reduction over
 * K (MaxPool, AveragePool). Until the IR grows a conv op this keeps the semantics exact on the interpreter.
 */
final class ConvOps {
    private ConvOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("Conv", ConvOps::conv);
        m.put("ConvInteger", ConvOps::convInteger);
        m.put("MaxPool", n -> pool(n, true));
        m.put("AveragePool", n -> pool(n, false));
        m.put("GlobalAveragePool", n -> n.out(n.b.reduceMean(n.x(0), spatial(n.rank(0)), true, n.outName(0))));
        m.put("GlobalMaxPool", n -> n.out(n.b.reduceMax(n.x(0), spatial(n.rank(0)), true, n.outName(0))));
    }

    private static List<Integer> spatial(int rank) {
        List<Integer> a = new ArrayList<>();
        for (int i = 2; i < rank; i++) a.add(i);
        return a;
    }

    /** Window geometry of one node: per spatial axis input size, kernel, stride, dilation, pads and output size. */
    record Geometry(long[] in, long[] kernel, long[] stride, long[] dilation, long[] padBegin, long[] padEnd, long[] out) {
        int k() { return in.length; }

        long taps() { return prod(kernel); }

        long positions() { return prod(out); }

        long padded(int i) { return in[i] + padBegin[i] + padEnd[i]; }
    }

    static Geometry geometry(NodeCtx n, Shape x, long[] kernel, boolean ceil) {
        int k = x.rank() - 2;
        long[] in = new long[k];
        for (int i = 0; i < k; i++) {
            Dim d = x.dim(i + 2);
            if (!d.isConstant()) throw n.fail("spatial dim " + d + " must be static");
            in[i] = d.constant();
        }
        long[] stride = longs(n, "strides", k, 1), dil = longs(n, "dilations", k, 1);
        long[] pads = n.attrInts("pads") == null ? new long[2 * k] : n.attrInts("pads").stream().mapToLong(Long::longValue).toArray();
        long[] pb = new long[k], pe = new long[k], out = new long[k];
        String auto = n.attrString("auto_pad", "NOTSET");
        for (int i = 0; i < k; i++) {
            long span = (kernel[i] - 1) * dil[i] + 1;
            if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
                out[i] = Math.ceilDiv(in[i], stride[i]);
                long total = Math.max(0, (out[i] - 1) * stride[i] + span - in[i]);
                pb[i] = auto.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                pe[i] = total - pb[i];
                continue;
            }
            if (!auto.equals("VALID")) {
                pb[i] = pads[i];
                pe[i] = pads[i + k];
            }
            long room = in[i] + pb[i] + pe[i] - span;
            out[i] = (ceil ? Math.ceilDiv(room, stride[i]) : Math.floorDiv(room, stride[i])) + 1;
            // ceil mode: the last window must start inside the input or the leading pad
            if (ceil && (out[i] - 1) * stride[i] >= in[i] + pb[i]) out[i]--;
            // windows of ceil mode may run past the end pad: extend it (the extra is never counted by avg pools)
            pe[i] = Math.max(pe[i], (out[i] - 1) * stride[i] + span - in[i] - pb[i]);
        }
        return new Geometry(in, kernel, stride, dil, pb, pe, out);
    }

    private static long[] longs(NodeCtx n, String name, int k, long def) {
        List<Long> v = n.attrInts(name);
        long[] a = new long[k];
        for (int i = 0; i < k; i++) a[i] = v == null ? def : v.get(i);
        return a;
    }

    /** x padded with {@code value} and gathered to windows: [N, C, K, L]. */
    static Value windows(NodeCtx n, Value x, Geometry g, double value) {
        int k = g.k();
        for (int i = 0; i < k; i++) {
            int a = i + 2;
            List<Value> parts = new ArrayList<>();
            if (g.padBegin()[i] > 0) parts.add(block(n, x, a, g.padBegin()[i], value));
            parts.add(x);
            if (g.padEnd()[i] > 0) parts.add(block(n, x, a, g.padEnd()[i], value));
            if (parts.size() > 1) x = n.b.concat(parts, a, null);
        }
        long[] pstr = new long[k];
        long p = 1;
        for (int i = k - 1; i >= 0; i--) {
            pstr[i] = p;
            p *= g.padded(i);
        }
        Value flat = n.b.reshape(x, new Shape(List.of(x.shape().dim(0), x.shape().dim(1), Dim.of(p))), null);
        int taps = (int) g.taps(), pos = (int) g.positions();
        long[] idx = new long[taps * pos];
        for (int t = 0; t < taps; t++) {
            for (int l = 0; l < pos; l++) {
                long off = 0;
                for (int i = k - 1, tt = t, ll = l; i >= 0; i--) {
                    long ki = tt % g.kernel()[i], oi = ll % g.out()[i];
                    tt /= (int) g.kernel()[i];
                    ll /= (int) g.out()[i];
                    off += (oi * g.stride()[i] + ki * g.dilation()[i]) * pstr[i];
                }
                idx[t * pos + l] = off;
            }
        }
        Value ix = n.b.constant(new TensorType(DType.I64, Shape.of(taps, pos)), Tensor.i64(idx, taps, pos).toSegment(), null);
        return n.b.gather(flat, ix, 2, null);
    }

    private static Value block(NodeCtx n, Value x, int axis, long size, double value) {
        return n.b.expand(ElementwiseOps.scalar(n, x.dtype(), value), x.shape().with(axis, Dim.of(size)), null);
    }

    /** [N, C, L] -> [N, C, O1..Ok]. */
    private static Value unflatten(NodeCtx n, Value y, Dim batch, Dim channels, Geometry g, String name) {
        List<Dim> dims = new ArrayList<>(List.of(batch, channels));
        for (long o : g.out()) dims.add(Dim.of(o));
        return n.b.reshape(y, new Shape(dims), name);
    }

    private static void conv(NodeCtx n) { conv(n, n.x(0), n.x(1), n.has(2) ? n.x(2) : null); }

    /** ConvInteger: int32 convolution of (x - x_zero_point) and (w - w_zero_point, per output channel if 1-D). */
    private static void convInteger(NodeCtx n) {
        Value x = n.b.cast(n.x(0), DType.I32, null), w = n.b.cast(n.x(1), DType.I32, null);
        if (n.has(2)) x = n.b.sub(x, n.b.cast(n.x(2), DType.I32, null), null);
        if (n.has(3)) {
            Value wz = n.b.cast(n.x(3), DType.I32, null);
            if (wz.rank() == 1 && w.rank() > 1) {
                List<Integer> tail = new ArrayList<>();
                for (int i = 1; i < w.rank(); i++) tail.add(i);
                wz = n.b.unsqueeze(wz, tail, null);
            }
            w = n.b.sub(w, wz, null);
        }
        conv(n, x, w, null);
    }

    private static void conv(NodeCtx n, Value x, Value w, Value bias) {
        Shape ws = w.shape();
        if (!ws.isStatic()) throw n.fail("weights must have a static shape, got " + ws);
        long[] wsz = ws.staticSizes();
        long[] kernel = new long[wsz.length - 2];
        System.arraycopy(wsz, 2, kernel, 0, kernel.length);
        Geometry g = geometry(n, x.shape(), kernel, false);
        long groups = n.attrInt("group", 1), m = wsz[0], cg = wsz[1];
        Dim batch = x.shape().dim(0);
        // cols [N, G, Cg*K, L]; weights [G, M/G, Cg*K]; product [N, G, M/G, L]
        Value cols = n.b.reshape(windows(n, x, g, 0), new Shape(List.of(batch, Dim.of(groups), Dim.of(cg * g.taps()), Dim.of(g.positions()))), null);
        Value wg = n.b.reshape(w, Shape.of(groups, m / groups, cg * g.taps()), null);
        Value y = n.b.reshape(n.b.matmul(wg, cols, null), new Shape(List.of(batch, Dim.of(m), Dim.of(g.positions()))), null);
        if (bias != null) y = n.b.add(y, n.b.unsqueeze(bias, List.of(1), null), null);
        n.out(unflatten(n, y, batch, Dim.of(m), g, n.outName(0)));
    }

    private static void pool(NodeCtx n, boolean max) {
        if (n.outputs() > 1 && !n.node.getOutput(1).isEmpty()) throw n.fail("the Indices output is not supported");
        Value x = n.x(0);
        long[] kernel = n.attrInts("kernel_shape").stream().mapToLong(Long::longValue).toArray();
        Geometry g = geometry(n, x.shape(), kernel, n.attrInt("ceil_mode", 0) != 0);
        Dim batch = x.shape().dim(0), c = x.shape().dim(1);
        Value win = windows(n, x, g, max ? Double.NEGATIVE_INFINITY : 0);
        Value y;
        if (max) {
            y = n.b.reduceMax(win, List.of(2), false, null);
        } else {
            y = n.b.reduceSum(win, List.of(2), false, null);
            boolean includePad = n.attrInt("count_include_pad", 0) != 0;
            // divisor per output position: taps inside the input (or inside input + explicit pads)
            double[] count = counts(g, includePad ? explicitPads(n, g) : null);
            Tensor t = Tensor.zeros(x.dtype(), count.length);
            for (int i = 0; i < count.length; i++) t.setDouble(i, count[i]);
            y = n.b.div(y, n.b.constant(new TensorType(x.dtype(), Shape.of(count.length)), t.toSegment(), null), null);
        }
        n.out(unflatten(n, y, batch, c, g, n.outName(0)));
    }

    /** The pads given by the node (not the ceil-mode extension), for count_include_pad. */
    private static long[][] explicitPads(NodeCtx n, Geometry g) {
        long[] pe = new long[g.k()];
        List<Long> pads = n.attrInts("pads");
        String auto = n.attrString("auto_pad", "NOTSET");
        for (int i = 0; i < g.k(); i++) {
            pe[i] = auto.startsWith("SAME") ? g.padEnd()[i] : pads == null ? 0 : pads.get(i + g.k());
        }
        return new long[][] {g.padBegin(), pe};
    }

    /** For each output position, how many taps land inside [0, in) (or [-padBegin, in + padEnd) with pads). */
    private static double[] counts(Geometry g, long[][] pads) {
        int k = g.k(), pos = (int) g.positions();
        double[] c = new double[pos];
        for (int l = 0; l < pos; l++) {
            double total = 1;
            for (int i = k - 1, ll = l; i >= 0; i--) {
                long oi = ll % g.out()[i];
                ll /= (int) g.out()[i];
                long lo = pads == null ? 0 : -pads[0][i], hi = pads == null ? g.in()[i] : g.in()[i] + pads[1][i];
                long inside = 0;
                for (long t = 0; t < g.kernel()[i]; t++) {
                    long p = oi * g.stride()[i] + t * g.dilation()[i] - g.padBegin()[i];
                    if (p >= lo && p < hi) inside++;
                }
                total *= inside;
            }
            c[l] = total;
        }
        return c;
    }

    private static long prod(long[] a) {
        long p = 1;
        for (long v : a) p *= v;
        return p;
    }
}
