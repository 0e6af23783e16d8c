package dev.ingot.compiler.graphexec;

import dev.ingot.compiler.pass.Pass;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.LinalgOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.ReduceOp;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Recognises the op patterns exported encoders are made of and rewrites them into the graph IR's fused ops, so the
 * executor can give each one library kernel:
 * <ul>
 *   <li>{@code add(mul(div(x - mean(x), sqrt(mean((x - mean(x))^2) + eps)), w), b)} (last axis) becomes
 *   {@code layer_norm(x, w, b)};</li>
 *   <li>{@code matmul(softmax(matmul(q, kT) / c + mask), v)} (softmax over the last axis, optionally wrapped in
 *   reshapes that keep it) becomes {@code attention(q, transpose(kT), v, mask)} with scale 1/c;</li>
 *   <li>{@code matmul(x, W)} with constant F32 {@code W [K, N]} becomes {@code linear(x, Wt)} with {@code Wt [N, K]}
 *   repacked once here (the kernel library's layout);</li>
 *   <li>{@code mul(mul(x, add(erf(div(x, sqrt 2)), 1)), 0.5)} (BERT's exported GELU, operands in either order)
 *   becomes {@code gelu_erf(x)}: one activation call, x / sqrt 2 as a multiply (within an ulp), one pass fewer of
 *   arithmetic per element;</li>
 *   <li>the quantised patterns of {@link QuantRewrites}.</li>
 * </ul>
 * Every rewrite keeps the reference semantics up to float rounding (the interpreter runs the result too, which is how
 * the tests check it); the nodes a rewrite bypasses are left for dead-code elimination.
 */
public final class EncoderRewrites implements Pass {
    @Override public String name() { return "encoder-patterns"; }

    /** State of one rewrite: the old graph's matcher, the new builder and the old-to-new value map. */
    static final class Ctx {
        final Match m;
        final GraphBuilder b = new GraphBuilder();
        final Map<Value, Value> map = new HashMap<>();
        private final Map<Value, Value> repacked = new HashMap<>();

        Ctx(Graph g) { this.m = new Match(g); }

        Value get(Value old) {
            Value v = map.get(old);
            if (v == null) throw new IllegalStateException("rewrite bug: " + old + " used before it was rebuilt");
            return v;
        }

        /** A new F32 weight [N, K] from {@code w [K, N]} (row-major), built once per source value. */
        Value transposedWeight(Value w, Transposer fill) {
            return repacked.computeIfAbsent(w, k -> {
                long[] s = w.shape().staticSizes();
                int kk = Math.toIntExact(s[0]), n = Math.toIntExact(s[1]);
                // off-heap and 64-byte aligned: the linear kernels stream it with vector loads
                MemorySegment seg = Arena.ofAuto().allocate((long) n * kk * 4, 64);
                for (int r = 0; r < kk; r++) {
                    for (int c = 0; c < n; c++) seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, (long) c * kk + r, fill.at(r, c));
                }
                return b.weight(w.label() + "#nk", DType.F32, Shape.ofSizes(n, kk), seg);
            });
        }
    }

    /** Element (k, n) of a [K, N] matrix as float. */
    @FunctionalInterface
    interface Transposer { float at(int k, int n); }

    @Override
    public Graph run(Graph g) {
        Ctx c = new Ctx(g);
        for (Node n : g.nodes()) {
            Value r = n.op() instanceof SourceOp ? null : rewrite(c, n);
            if (r == null) {
                List<Value> in = new ArrayList<>();
                for (Value v : n.inputs()) in.add(c.get(v));
                r = c.b.op(n.op(), in, n.output().name());
            }
            c.map.put(n.output(), r);
        }
        for (Value o : g.outputs()) c.b.output(c.get(o));
        return c.b.build();
    }

    private static Value rewrite(Ctx c, Node n) {
        Value r = layerNorm(c, n);
        if (r == null) r = attention(c, n);
        if (r == null) r = linear(c, n);
        if (r == null) r = gelu(c, n);
        if (r == null) r = QuantRewrites.rewrite(c, n);
        return r;
    }

    private static Value gelu(Ctx c, Node n) {
        Match m = c.m;
        if (!(n.op() instanceof dev.ingot.ir.ElementwiseOp.Binary b) || b.kind() != BinaryKind.MUL || n.output().dtype() != DType.F32) return null;
        for (int side = 0; side < 2; side++) {
            Node mx = m.binary(n.input(side), BinaryKind.MUL);
            if (mx == null || Match.scalar(n.input(1 - side)) != 0.5) continue;
            for (int xs = 0; xs < 2; xs++) {
                Value x = mx.input(xs);
                Node add = m.binary(mx.input(1 - xs), BinaryKind.ADD);
                for (int as = 0; add != null && as < 2; as++) {
                    Node erf = m.unary(add.input(as), UnaryKind.ERF);
                    if (erf == null || Match.scalar(add.input(1 - as)) != 1.0) continue;
                    Node div = m.binary(erf.input(0), BinaryKind.DIV);
                    if (div != null && div.input(0) == x && Math.abs(Match.scalar(div.input(1)) - Math.sqrt(2)) < 1e-6) {
                        return c.b.gelu(c.get(x), false, n.output().name());
                    }
                }
            }
        }
        return null;
    }

    /** Reduce-mean over the last axis with kept dims, or null. */
    private static Node lastMean(Match m, Value v) {
        Node n = m.op(v, ReduceOp.Reduce.class);
        if (n == null) return null;
        ReduceOp.Reduce r = (ReduceOp.Reduce) n.op();
        int rank = n.input(0).rank();
        boolean last = r.axes().size() == 1 && (r.axes().getFirst() == -1 || r.axes().getFirst() == rank - 1);
        return r.kind() == ReduceOp.ReduceKind.MEAN && r.keepDims() && last && rank >= 1 ? n : null;
    }

    private static Value layerNorm(Ctx c, Node n) {
        Match m = c.m;
        if (!(n.op() instanceof dev.ingot.ir.ElementwiseOp.Binary b) || b.kind() != BinaryKind.ADD || n.output().dtype() != DType.F32) return null;
        for (int side = 0; side < 2; side++) {
            Node mul = m.binary(n.input(side), BinaryKind.MUL);
            Value bias = n.input(1 - side);
            if (mul == null) continue;
            for (int ms = 0; ms < 2; ms++) {
                Node div = m.binary(mul.input(ms), BinaryKind.DIV);
                Value w = mul.input(1 - ms);
                if (div == null) continue;
                Node sub = m.binary(div.input(0), BinaryKind.SUB);
                Node sqrt = m.unary(div.input(1), UnaryKind.SQRT);
                if (sub == null || sqrt == null) continue;
                Node mean = lastMean(m, sub.input(1));
                if (mean == null || mean.input(0) != sub.input(0)) continue;
                Node addEps = m.binary(sqrt.input(0), BinaryKind.ADD);
                if (addEps == null) continue;
                for (int es = 0; es < 2; es++) {
                    double eps = Match.scalar(addEps.input(1 - es));
                    Node var = lastMean(m, addEps.input(es));
                    if (Double.isNaN(eps) || var == null) continue;
                    Node sq = m.binary(var.input(0), BinaryKind.POW);
                    boolean squares = sq != null && sq.input(0) == sub.output() && Match.scalar(sq.input(1)) == 2.0;
                    Node mm = m.binary(var.input(0), BinaryKind.MUL);
                    squares |= mm != null && mm.input(0) == sub.output() && mm.input(1) == sub.output();
                    Value x = sub.input(0);
                    Shape d = Shape.of(x.shape().last());
                    if (!squares || x.dtype() != DType.F32 || !w.shape().equals(d) || !bias.shape().equals(d)
                            || w.dtype() != DType.F32 || bias.dtype() != DType.F32) continue;
                    return c.b.layerNorm(c.get(x), c.get(w), c.get(bias), (float) eps, n.output().name());
                }
            }
        }
        return null;
    }

    /** Skips reshapes that keep the last dim (softmax over the last axis commutes with them). */
    private static Value throughReshapes(Match m, Value v) {
        Node r;
        while ((r = m.op(v, ShapeOp.Reshape.class)) != null && r.input(0).shape().last().equals(v.shape().last()) && m.uses(v) == 1) {
            v = r.input(0);
        }
        return v;
    }

    private static Value attention(Ctx c, Node n) {
        Match m = c.m;
        if (!(n.op() instanceof LinalgOp.MatMul) || n.output().dtype() != DType.F32 || n.output().rank() < 3) return null;
        Value p = throughReshapes(m, n.input(0));
        Node sm = m.op(p, ReduceOp.Softmax.class);
        if (sm == null || m.uses(p) != 1) return null;
        int ax = ((ReduceOp.Softmax) sm.op()).axis();
        if (ax != -1 && ax != sm.output().rank() - 1) return null;
        Value s2 = throughReshapes(m, sm.input(0));
        if (!s2.shape().equals(n.input(0).shape())) return null;
        Value mask = null, s1 = s2;
        Node add = m.binary(s2, BinaryKind.ADD);
        if (add != null) {
            for (int side = 0; side < 2 && mask == null; side++) {
                if (m.binary(add.input(side), BinaryKind.DIV) != null || m.binary(add.input(side), BinaryKind.MUL) != null
                        || m.op(add.input(side), LinalgOp.MatMul.class) != null) {
                    s1 = add.input(side);
                    mask = add.input(1 - side);
                }
            }
            if (mask == null || !s1.shape().equals(s2.shape())) return null;
        }
        double scale = 1;
        Value s0 = s1;
        Node div = m.binary(s1, BinaryKind.DIV), mul = m.binary(s1, BinaryKind.MUL);
        if (div != null && !Double.isNaN(Match.scalar(div.input(1)))) {
            scale = 1 / Match.scalar(div.input(1));
            s0 = div.input(0);
        } else if (mul != null) {
            for (int side = 0; side < 2; side++) {
                if (!Double.isNaN(Match.scalar(mul.input(side)))) {
                    scale = Match.scalar(mul.input(side));
                    s0 = mul.input(1 - side);
                }
            }
        }
        Node qk = m.op(s0, LinalgOp.MatMul.class);
        if (qk == null) return null;
        Value q = qk.input(0), kT = qk.input(1), v = n.input(1);
        int r = q.rank();
        if (r < 3 || kT.rank() != r || v.rank() != r || q.dtype() != DType.F32 || kT.dtype() != DType.F32) return null;
        if (!q.shape().sub(0, r - 2).equals(kT.shape().sub(0, r - 2)) || !q.shape().sub(0, r - 2).equals(v.shape().sub(0, r - 2))) return null;
        if (mask != null && mask.dtype() != DType.F32) return null;
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < r; i++) perm.add(i < r - 2 ? i : (i == r - 2 ? r - 1 : r - 2));
        Value k = c.b.transpose(c.get(kT), perm, null);
        return c.b.attention(c.get(q), k, c.get(v), mask == null ? null : c.get(mask), (float) scale, false, n.output().name());
    }

    private static Value linear(Ctx c, Node n) {
        if (!(n.op() instanceof LinalgOp.MatMul)) return null;
        Value x = n.input(0), w = n.input(1);
        if (x.dtype() != DType.F32 || x.rank() < 2 || w.rank() != 2 || !Match.isData(w) || w.dtype() != DType.F32) return null;
        MemorySegment data = w.definingOp() instanceof SourceOp.Weight wt ? wt.data() : ((SourceOp.Constant) w.definingOp()).data();
        int cols = Math.toIntExact(w.shape().staticSizes()[1]);
        Value wt = c.transposedWeight(w, (k, col) -> (float) SegmentReader.getDouble(DType.F32, data, (long) k * cols + col));
        return c.b.linear(c.get(x), wt, n.output().name());
    }
}
