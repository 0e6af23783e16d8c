package dev.ingot.compiler.graphexec;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.LinalgOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Rewrites of the integer patterns ONNX's dynamic quantisation is built from (as the importer expands
 * DynamicQuantizeLinear and MatMulInteger), into F32 ops the executor fuses and a {@code linear}:
 * <ul>
 *   <li>round-half-to-even {@code where(d > .5, f + 1, where(d < .5, f, f + mod(f, 2)))}, {@code f = floor(q)},
 *   {@code d = q - f}, becomes {@code (q + 1.5*2^23) - 1.5*2^23} (IEEE float addition rounds to nearest even):
 *   exact for |q| < 2^22; used only where every use is then clamped to within ±2^21 (after adding a value bounded
 *   by 2^20), so a larger |q| clamps to the same bound either way;</li>
 *   <li>{@code cast_f32(cast_u8(c))} of an integral value already clamped into the u8 (or i8) range is {@code c};</li>
 *   <li>{@code cast_f32(matmul_i32(cast_i32(y) - za, cast_i32(W) - zw))} with constant integer {@code W [K, N]} becomes
 *   {@code linear(cast_f32(y) - za, Wf)}, {@code Wf [N, K] = W - zw} in float: integer operands below 2^24 are exact
 *   in float; the executor lowers such a linear (integer weights, each row within a range of 255) to the exact int32
 *   GEMM ({@code dev.ingot.kernel.gemm.IntGemm}), and the interpreter accumulates in double, so both give
 *   {@code (float)} of the int32 sum;</li>
 *   <li>{@code cast_f32(gather(T, ids))} of an integer table becomes a gather from the table converted once to F32.</li>
 * </ul>
 * Inputs that are NaN or infinite before quantisation are out of scope (the reference yields NaN where these yield
 * a clamped bound).
 */
final class QuantRewrites {
    private QuantRewrites() {}

    /** 1.5 * 2^23: adding it to |q| < 2^22 leaves q rounded to an integer in the low mantissa bits. */
    static final float MAGIC = dev.ingot.kernel.gemm.IntGemm.Quant.MAGIC;
    private static final double CLAMP_LIMIT = 1 << 21, ADDEND_LIMIT = 1 << 20;

    static Value rewrite(EncoderRewrites.Ctx c, Node n) {
        Value r = roundHalfEven(c, n);
        if (r == null) r = castToFloat(c, n);
        return r;
    }

    private static Value roundHalfEven(EncoderRewrites.Ctx c, Node n) {
        Value q = rheInput(c.m, n.output());
        if (q == null || q.dtype() != DType.F32 || !clampsAll(c.m, n.output())) return null;
        Value magic = c.b.scalar(MAGIC, null);
        return c.b.sub(c.b.add(c.get(q), magic, null), magic, n.output().name());
    }

    /** q when v is the importer's round-half-even expansion of q, else null. */
    static Value rheInput(Match m, Value v) {
        Node root = m.op(v, ElementwiseOp.Where.class);
        if (root == null) return null;
        Node gt = m.binary(root.input(0), BinaryKind.GT);
        if (gt == null || Match.scalar(gt.input(1)) != 0.5) return null;
        Node d = m.binary(gt.input(0), BinaryKind.SUB);
        if (d == null) return null;
        Node f = m.unary(d.input(1), UnaryKind.FLOOR);
        if (f == null || f.input(0) != d.input(0)) return null;
        Node up = m.binary(root.input(1), BinaryKind.ADD);
        if (up == null || up.input(0) != f.output() || Match.scalar(up.input(1)) != 1.0) return null;
        Node below = m.op(root.input(2), ElementwiseOp.Where.class);
        if (below == null || below.input(1) != f.output()) return null;
        Node lt = m.binary(below.input(0), BinaryKind.LT);
        if (lt == null || lt.input(0) != d.output() || Match.scalar(lt.input(1)) != 0.5) return null;
        Node tie = m.binary(below.input(2), BinaryKind.ADD);
        if (tie == null || tie.input(0) != f.output()) return null;
        Node mod = m.binary(tie.input(1), BinaryKind.MOD);
        if (mod == null || mod.input(0) != f.output() || Match.scalar(mod.input(1)) != 2.0) return null;
        return d.input(0);
    }

    /** Whether every use of v is clamped (max then min, or min then max, by constants within ±2^21), possibly after adding a bounded value. */
    private static boolean clampsAll(Match m, Value v) {
        if (m.g.outputs().contains(v) || m.consumers(v).isEmpty()) return false;
        for (Node u : m.consumers(v)) {
            boolean ok = false;
            if (u.op() instanceof ElementwiseOp.Binary b && u.input(0) == v) {
                double bound = Match.scalar(u.input(1));
                if (b.kind() == BinaryKind.ADD) ok = bounded(m, u.input(1), ADDEND_LIMIT) && clampsAll(m, u.output());
                else if ((b.kind() == BinaryKind.MAX || b.kind() == BinaryKind.MIN) && Math.abs(bound) <= CLAMP_LIMIT) {
                    BinaryKind second = b.kind() == BinaryKind.MAX ? BinaryKind.MIN : BinaryKind.MAX;
                    ok = !m.g.outputs().contains(u.output()) && !m.consumers(u.output()).isEmpty();
                    for (Node w : m.consumers(u.output())) {
                        ok &= w.op() instanceof ElementwiseOp.Binary b2 && b2.kind() == second && w.input(0) == u.output()
                                && Math.abs(Match.scalar(w.input(1))) <= CLAMP_LIMIT;
                    }
                }
            }
            if (!ok) return false;
        }
        return true;
    }

    /** Whether |v| <= limit everywhere: a small constant, a clamp by small constants, or a widened byte. */
    private static boolean bounded(Match m, Value v, double limit) {
        double s = Match.scalar(v);
        if (!Double.isNaN(s)) return Math.abs(s) <= limit;
        double[] range = clampRange(m, v);
        if (range != null) return Math.abs(range[0]) <= limit && Math.abs(range[1]) <= limit;
        Node cast = m.op(v, ElementwiseOp.Cast.class);
        return cast != null && (cast.input(0).dtype() == DType.U8 || cast.input(0).dtype() == DType.I8);
    }

    /** [lo, hi] when v = min(max(x, lo), hi) or max(min(x, hi), lo) with constant bounds, else null. */
    private static double[] clampRange(Match m, Value v) {
        for (BinaryKind outer : new BinaryKind[] {BinaryKind.MIN, BinaryKind.MAX}) {
            Node o = m.binary(v, outer);
            if (o == null) continue;
            Node i = m.binary(o.input(0), outer == BinaryKind.MIN ? BinaryKind.MAX : BinaryKind.MIN);
            double ob = Match.scalar(o.input(1));
            if (i == null || Double.isNaN(ob)) continue;
            double ib = Match.scalar(i.input(1));
            if (Double.isNaN(ib)) continue;
            return outer == BinaryKind.MIN ? new double[] {ib, ob} : new double[] {ob, ib};
        }
        return null;
    }

    /** Whether every element of v is an integer (by construction), to the depth these patterns need. */
    private static boolean integral(Match m, Value v, int depth) {
        if (depth > 8) return false;
        if (!v.dtype().isFloatingPoint()) return true;
        if (rheInput(m, v) != null) return true;
        double s = Match.scalar(v);
        if (!Double.isNaN(s)) return s == Math.rint(s);
        Node n = m.producer(v);
        if (n == null) return false;
        return switch (n.op()) {
            case ElementwiseOp.Unary u -> (u.kind() == UnaryKind.FLOOR || u.kind() == UnaryKind.CEIL);
            case ElementwiseOp.Binary b -> switch (b.kind()) {
                case ADD, SUB, MUL, MAX, MIN -> integral(m, n.input(0), depth + 1) && integral(m, n.input(1), depth + 1);
                default -> false;
            };
            case ElementwiseOp.Cast cast -> !n.input(0).dtype().isFloatingPoint();
            default -> false;
        };
    }

    /** Rewrites of {@code cast(x){to=f32}}. */
    private static Value castToFloat(EncoderRewrites.Ctx c, Node n) {
        if (!(n.op() instanceof ElementwiseOp.Cast cast) || cast.to() != DType.F32) return null;
        Value exact = floatOfByte(c, n.input(0));
        if (exact != null) return exact;
        Value r = quantisedMatMul(c, n);
        return r != null ? r : gatherTable(c, n);
    }

    /** c when y = cast_u8(c) (or i8) with c integral and clamped into the type's range; else null. */
    private static Value floatOfByte(EncoderRewrites.Ctx c, Value y) {
        Node cast = c.m.op(y, ElementwiseOp.Cast.class);
        if (cast == null || !(y.dtype() == DType.U8 || y.dtype() == DType.I8) || cast.input(0).dtype() != DType.F32) return null;
        double[] range = clampRange(c.m, cast.input(0));
        double lo = y.dtype() == DType.U8 ? 0 : -128, hi = y.dtype() == DType.U8 ? 255 : 127;
        if (range == null || range[0] < lo || range[1] > hi || !integral(c.m, cast.input(0), 0)) return null;
        return c.get(cast.input(0));
    }

    private static Value quantisedMatMul(EncoderRewrites.Ctx c, Node n) {
        Match m = c.m;
        Node mm = m.op(n.input(0), LinalgOp.MatMul.class);
        if (mm == null || mm.output().dtype() != DType.I32 || m.uses(mm.output()) != 1 || mm.input(0).rank() < 2) return null;
        // activations: cast_i32(y) [- za]
        Value a = mm.input(0), za = null;
        Node sa = m.binary(a, BinaryKind.SUB);
        if (sa != null) {
            a = sa.input(0);
            za = sa.input(1);
            if (!za.shape().numel().equals(dev.ingot.ir.shape.Dim.of(1))) return null;
        }
        Node ca = m.op(a, ElementwiseOp.Cast.class);
        if (ca == null || !(ca.input(0).dtype() == DType.U8 || ca.input(0).dtype() == DType.I8)) return null;
        // weights: cast_i32(W) [- zw], W constant [K, N], zw constant [] or [N]
        Value w = mm.input(1);
        long[] zw = null;
        Node sw = m.binary(w, BinaryKind.SUB);
        if (sw != null) {
            zw = constInts(m, sw.input(1));
            w = sw.input(0);
            if (zw == null) return null;
        }
        Node cw = m.op(w, ElementwiseOp.Cast.class);
        long[] wq = cw == null ? null : Match.integers(cw.input(0));
        if (wq == null || cw.input(0).rank() != 2) return null;
        long[] ks = cw.input(0).shape().staticSizes();
        int cols = Math.toIntExact(ks[1]);
        if (zw != null && zw.length != 1 && zw.length != cols) return null;
        final long[] zwf = zw;
        Value wf = c.transposedWeight(cw.input(0), (k, col) -> wq[k * cols + col] - (zwf == null ? 0 : zwf[zwf.length == 1 ? 0 : col]));
        Value af = floatOfByte(c, ca.input(0));
        if (af == null) af = c.b.cast(c.get(ca.input(0)), DType.F32, null);
        if (za != null) {
            long[] zc = constInts(m, za);
            Node cz = m.op(za, ElementwiseOp.Cast.class);
            Value zf = zc != null ? c.b.scalar(zc[0], null) : cz != null ? c.b.cast(c.get(cz.input(0)), DType.F32, null) : null;
            if (zf == null) return null;
            af = c.b.sub(af, zf, null);
        }
        return c.b.linear(af, wf, n.output().name());
    }

    /** Integer values of a constant or of a cast of one. */
    private static long[] constInts(Match m, Value v) {
        long[] direct = Match.integers(v);
        if (direct != null) return direct;
        Node cast = m.op(v, ElementwiseOp.Cast.class);
        return cast == null ? null : Match.integers(cast.input(0));
    }

    /** cast_f32(gather(T, ids, axis 0)) of a constant integer table: gather rows of the table converted once. */
    private static Value gatherTable(EncoderRewrites.Ctx c, Node n) {
        Node g = c.m.op(n.input(0), ShapeOp.Gather.class);
        if (g == null || ((ShapeOp.Gather) g.op()).axis() != 0 || c.m.uses(g.output()) != 1) return null;
        Value t = g.input(0);
        MemorySegment src = t.definingOp() instanceof SourceOp.Constant k ? k.data() : t.definingOp() instanceof SourceOp.Weight w ? w.data() : null;
        if (src == null || t.dtype().isFloatingPoint() || t.dtype().isQuantized() || t.rank() != 2) return null;
        long count = t.shape().numel().constant();
        MemorySegment seg = Arena.ofAuto().allocate(count * 4, 64);
        for (long i = 0; i < count; i++) seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, SegmentReader.getLong(t.dtype(), src, i));
        Value tf = c.b.weight(t.label() + "#f32", DType.F32, t.shape(), seg);
        return c.b.gather(tf, c.get(g.input(1)), 0, n.output().name());
    }
}
