package dev.ingot.onnx;

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
 * Resize (and the older Upsample), separable: each resized axis becomes a sum over T taps (1 nearest, 2 linear,
 * 4 cubic) of {@code gather(x, idx_t, axis) * w_t}, with the index and weight tables computed at import from the
 * ONNX coordinate transformation. Out-of-range taps read the edge (as ONNX's reference pads with edge values);
 * tf_crop_and_resize positions outside the input take extrapolation_value. Static shapes only.
 */
final class ResizeOp {
    private ResizeOp() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("Resize", ResizeOp::resize);
        m.put("Upsample", ResizeOp::upsample);
    }

    private static void upsample(NodeCtx n) {
        double[] scales = n.opset() < 9 ? n.attrFloats("scales").stream().mapToDouble(Float::doubleValue).toArray() : doubles(n.constant(1, "scales"));
        n.out(apply(n, n.x(0), scales, null, null, "asymmetric", n.attrString("mode", "nearest"), "floor"));
    }

    private static void resize(NodeCtx n) {
        Value x = n.x(0);
        double[] scales = null;
        long[] sizes = null;
        double[] roi = null;
        int scaleInput = n.opset() < 11 ? 1 : 2;
        if (n.has(scaleInput) && n.constant(scaleInput, "scales").numel() > 0) scales = doubles(n.constant(scaleInput, "scales"));
        if (n.opset() >= 11 && n.has(3)) sizes = n.longs(3, "sizes").stream().mapToLong(Long::longValue).toArray();
        if (n.opset() >= 11 && n.has(1) && n.constant(1, "roi").numel() > 0) roi = doubles(n.constant(1, "roi"));
        String coord = n.opset() < 11 ? "asymmetric" : n.attrString("coordinate_transformation_mode", "half_pixel");
        String nearest = n.opset() < 11 ? "floor" : n.attrString("nearest_mode", "round_prefer_floor");
        n.out(apply(n, x, scales, sizes, roi, coord, n.attrString("mode", "nearest"), nearest));
    }

    private static double[] doubles(Tensor t) {
        double[] d = new double[(int) t.numel()];
        for (int i = 0; i < d.length; i++) d[i] = t.getDouble(i);
        return d;
    }

    private static Value apply(NodeCtx n, Value x, double[] scales, long[] sizes, double[] roi, String coord, String mode, String nearest) {
        Shape s = x.shape();
        if (!s.isStatic()) throw n.fail("static shapes only, got " + s);
        long[] in = s.staticSizes();
        int r = in.length;
        for (int a = 0; a < r; a++) {
            long out = sizes != null ? sizes[a] : (long) Math.floor(in[a] * scales[a]);
            double scale = sizes != null ? (double) out / in[a] : scales[a];
            if (out == in[a] && scale == 1 && !coord.equals("tf_crop_and_resize")) continue;
            double start = roi == null ? 0 : roi[a], end = roi == null ? 1 : roi[a + r];
            x = axis(n, x, a, in[a], out, scale, start, end, coord, mode, nearest);
        }
        return n.b.reshape(x, x.shape(), n.outName(0));
    }

    private static Value axis(NodeCtx n, Value x, int a, long in, long out, double scale, double roiStart, double roiEnd,
                              String coord, String mode, String nearest) {
        int taps = switch (mode) {
            case "nearest" -> 1;
            case "linear" -> 2;
            case "cubic" -> 4;
            default -> throw n.fail("mode " + mode + " is not supported");
        };
        double cubicA = n.attrFloat("cubic_coeff_a", -0.75f);
        boolean exclude = n.attrInt("exclude_outside", 0) != 0;
        double extrapolation = n.attrFloat("extrapolation_value", 0f);
        long[][] idx = new long[taps][(int) out];
        double[][] w = new double[taps][(int) out];
        boolean[] outside = new boolean[(int) out];
        // ONNX's formulas use the unrounded resized length in * scale (= out when sizes are given)
        double len = in * scale;
        for (int o = 0; o < out; o++) {
            double xo = switch (coord) {
                case "half_pixel" -> (o + 0.5) / scale - 0.5;
                case "pytorch_half_pixel" -> len > 1 ? (o + 0.5) / scale - 0.5 : 0;
                case "align_corners" -> len == 1 ? 0 : o * (in - 1) / (len - 1);
                case "asymmetric" -> o / scale;
                case "tf_half_pixel_for_nearest", "tf_half_pixel_for_nn" -> (o + 0.5) / scale;
                case "tf_crop_and_resize" -> len > 1 ? roiStart * (in - 1) + o * (roiEnd - roiStart) * (in - 1) / (len - 1)
                        : 0.5 * (roiStart + roiEnd) * (in - 1);
                default -> throw n.fail("coordinate_transformation_mode " + coord + " is not supported");
            };
            outside[o] = coord.equals("tf_crop_and_resize") && (xo < 0 || xo > in - 1);
            if (taps == 1) {
                double f = Math.floor(xo);
                long i = (long) switch (nearest) {
                    case "round_prefer_floor" -> xo == f + 0.5 ? f : Math.round(xo);
                    case "round_prefer_ceil" -> xo == f + 0.5 ? f + 1 : Math.round(xo);
                    case "floor" -> f;
                    case "ceil" -> Math.ceil(xo);
                    default -> throw n.fail("nearest_mode " + nearest + " is not supported");
                };
                idx[0][o] = Math.clamp(i, 0, in - 1);
                w[0][o] = 1;
                continue;
            }
            long i0 = (long) Math.floor(xo);
            double t = xo - i0;
            double[] c = taps == 2 ? new double[] {1 - t, t} : cubic(t, cubicA);
            long first = taps == 2 ? i0 : i0 - 1;
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                long j = first + k;
                if (exclude && (j < 0 || j >= in)) c[k] = 0;
                sum += c[k];
                idx[k][o] = Math.clamp(j, 0, in - 1);
            }
            for (int k = 0; k < taps; k++) w[k][o] = exclude ? c[k] / sum : c[k];
        }
        int rank = x.rank();
        Value y = null;
        for (int k = 0; k < taps; k++) {
            Value g = n.b.gather(x, vector(n, DType.I64, idx[k], 1, 0), a, null);
            if (taps > 1) {
                double[] wk = w[k];
                for (int o = 0; o < out; o++) if (outside[o]) wk[o] = k == 0 ? 1 : 0; // tap 0 carries the fill below
                g = n.b.mul(g, vector(n, x.dtype(), wk, rank, a), null);
            }
            y = y == null ? g : n.b.add(y, g, null);
        }
        boolean any = false;
        for (boolean b : outside) any |= b;
        if (any) {
            // positions outside the crop take extrapolation_value
            long[] mask = new long[(int) out];
            for (int o = 0; o < out; o++) mask[o] = outside[o] ? 1 : 0;
            Value cond = n.b.cast(vector(n, DType.I64, mask, rank, a), DType.BOOL, null);
            y = n.b.where(cond, ElementwiseOps.scalar(n, x.dtype(), extrapolation), y, null);
        }
        return y;
    }

    /** Keys' cubic convolution weights for taps at offsets -1, 0, 1, 2 from floor(x), fraction t. */
    private static double[] cubic(double t, double a) {
        double[] d = {1 + t, t, 1 - t, 2 - t};
        double[] c = new double[4];
        for (int k = 0; k < 4; k++) {
            double z = d[k];
            c[k] = z <= 1 ? ((a + 2) * z - (a + 3)) * z * z + 1 : ((a * z - 5 * a) * z + 8 * a) * z - 4 * a;
        }
        return c;
    }

    /** A constant vector shaped [len] placed on {@code axis} of a rank-{@code rank} tensor ([len, 1, ..., 1]). */
    private static Value vector(NodeCtx n, DType t, Object values, int rank, int axis) {
        int len = values instanceof long[] l ? l.length : ((double[]) values).length;
        Tensor v = Tensor.zeros(t, len);
        for (int i = 0; i < len; i++) {
            if (values instanceof long[] l) v.setLong(i, l[i]);
            else v.setDouble(i, ((double[]) values)[i]);
        }
        List<Dim> dims = new ArrayList<>(List.of(Dim.of(len)));
        for (int i = axis + 1; i < rank; i++) dims.add(Dim.of(1));
        Value c = n.b.constant(new TensorType(t, Shape.of(len)), v.toSegment(), null);
        return dims.size() == 1 ? c : n.b.reshape(c, new Shape(dims), null);
    }
}
