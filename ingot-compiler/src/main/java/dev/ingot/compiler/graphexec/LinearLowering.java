package dev.ingot.compiler.graphexec;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.Graph;
import dev.ingot.ir.LinalgOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.Value;
import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.gemm.Gemm;
import dev.ingot.kernel.gemm.IntGemmWeights;
import dev.ingot.kernel.gemm.PackedB;
import dev.ingot.compiler.pass.KernelGroup;
import dev.ingot.tensor.DType;
import java.util.Arrays;
import java.util.List;

/**
 * Lowers linears ({@code y [T, N] = x [T, K] . W^T}, W a constant) to the integer GEMM (integer-valued weights),
 * the packed F32 GEMM or the kernel library's linear, and decides which fused groups after an F32 linear fold into
 * its GEMM's stores instead of running a step of their own: a bias add, bias add then GELU (BERT's intermediate
 * dense), bias add then residual add (BERT's attention and output dense). A folded group's outputs are written by
 * the GEMM; {@link Lowering} then skips the group.
 */
final class LinearLowering {
    /** {@code -Dingot.graphexec.intgemm=false} keeps integer-valued weights on the float GEMM (A/B, debugging). */
    static final boolean INT_GEMM = Boolean.parseBoolean(System.getProperty("ingot.graphexec.intgemm", "true"));
    /** Rows from which {@link #geluGroup} folds BERT's bias + GELU into the GEMM. */
    static final int GELU_FOLD_ROWS = 64;

    private final Lowering lw;
    private final Graph g;

    LinearLowering(Lowering lw) {
        this.lw = lw;
        this.g = lw.graph();
    }

    /** Decided once per group, when the first linear feeding it is lowered (a residual must be in place by then). */
    private final java.util.Map<KernelGroup, Boolean> folded = new java.util.IdentityHashMap<>();

    /** Whether grp's ops are done by the GEMM of the linear before it (see the class comment). */
    boolean folded(KernelGroup grp) {
        return folded.computeIfAbsent(grp, x -> biasGroup(x) || geluGroup(x) || residualGroup(x));
    }

    /** Whether every consumer of y is a linear that {@link #lower} puts on the integer GEMM (and y no graph output). */
    boolean foldable(Value y) {
        if (!INT_GEMM || g.outputs().contains(y) || lw.consumers(y).isEmpty()) return false;
        for (Node u : lw.consumers(y)) {
            if (!(u.op() instanceof LinalgOp.Linear) || u.input(0) != y || intWeights(u.input(1)) == null) return false;
        }
        return true;
    }

    boolean lower(Node n) {
        Value x = n.input(0), w = n.input(1);
        QuantPrologue qp = lw.prologues.get(x);
        if (qp != null) x = qp.x(); // quantised in the integer GEMM's prep (foldable checked the weight)
        if (!(lw.loc(w) instanceof Loc.Seg seg) || lw.loc(x) instanceof Loc.Seg) return false;
        long[] ws = w.shape().staticSizes();
        int nn = Math.toIntExact(ws[0]), k = Math.toIntExact(ws[1]);
        if (k % w.dtype().blockSize() != 0) return false;
        Ref xr = lw.contig(x);
        int t = Math.toIntExact(FallbackStep.numel(lw.shapeOf(x)) / k);
        xr.buf().readAt(lw.steps.size());
        Loc.Buf out = lw.newBuf(n.output(), (long) t * nn);
        lw.put(n.output(), out);
        IntGemmWeights iw = INT_GEMM ? intWeights(w) : null;
        if (iw != null) { // integer-valued weights (quantised minus zero point): exact int32 GEMM
            ScalarStep.Cell[] quant = null;
            if (qp != null) {
                quant = new ScalarStep.Cell[3];
                Value[] vs = {qp.scale(), qp.zp(), qp.za()};
                for (int i = 0; i < 3; i++) {
                    Loc l = lw.loc(vs[i]);
                    Lowering.read(l, lw.steps.size());
                    quant[i] = ScalarStep.Cell.of(l, l instanceof Loc.Seg sg ? SegmentReader.getDouble(DType.F32, sg.data(), 0) : 0);
                }
            }
            lw.steps.add(new LinalgSteps.IntLinear(n.output().label(), xr, new Ref(out, 0), iw, t, lw.simd(), quant,
                    qp == null ? 0 : qp.lo(), qp == null ? 0 : qp.hi(), lw.pool()));
            return true;
        }
        if (w.dtype() == DType.F32) { // encoder-sized row counts: a packed GEMM reads each weight once per call
            boolean simd = lw.simd();
            PackedB pb = lw.compiled().packed().computeIfAbsent(seg.data(), d -> PackedB.pack(d, nn, k, Gemm.nr(simd)));
            float[] bias = null;
            Ref residual = null;
            boolean gelu = false;
            List<Node> us = lw.consumers(n.output());
            KernelGroup grp = us.size() == 1 ? lw.groupOf(us.getFirst()) : null;
            if (grp != null && folded(grp)) {
                Node add = us.getFirst();
                bias = Lowering.floats(((Loc.Seg) lw.loc(add.input(biasOperand(add)))).data(), nn);
                gelu = geluGroup(grp);
                Node last = add; // whose value the GEMM writes: the bias add's, or the GELU's or residual add's after it
                if (gelu) last = grp.nodes().get(1);
                else if (residualGroup(grp)) {
                    last = grp.nodes().get(1);
                    residual = lw.contig(residualOperand(grp));
                    residual.buf().readAt(lw.steps.size());
                }
                lw.put(last.output(), out);
            }
            lw.steps.add(new LinalgSteps.PackedLinear(n.output().label(), xr, new Ref(out, 0), pb, t, simd, Gemm.nativeKernel(simd),
                    bias, residual, gelu, lw.pool()));
            return true;
        }
        lw.steps.add(new LinalgSteps.Linear(n.output().label(), xr, new Ref(out, 0), seg.data(), nn, k, t,
                KernelProvider.get().linear(w.dtype()), lw.pool()));
        return true;
    }

    /**
     * Whether every node of grp is {@code add(bias, y)} (either order) with a constant F32 bias over y's last axis and
     * y the output of an F32 linear on the packed GEMM, used by nothing else: the linears then add the biases and
     * the group runs no step.
     */
    private boolean biasGroup(KernelGroup grp) {
        for (Node a : grp.nodes()) if (biasOperand(a) < 0) return false;
        return true;
    }

    /**
     * Whether grp is {@code gelu_erf(add(bias, y))} with the add a foldable bias add ({@link #biasOperand}) used only
     * by the gelu: BERT's intermediate dense. Its linear then adds the bias and applies the GELU as it stores each
     * block, and the group runs no step (one pass over the [T, 1536] activation fewer). Only from
     * {@link #GELU_FOLD_ROWS} rows: at 16 the GEMM streams its weights from memory and the GELU in its stores stalled
     * that stream (all-MiniLM 1x16: 1.07 -> 0.98x ONNX Runtime; 1x128: 1.07 -> 1.11x).
     */
    private boolean geluGroup(KernelGroup grp) {
        if (grp.nodes().size() != 2) return false;
        Node add = grp.nodes().get(0), act = grp.nodes().get(1);
        return rows(add.output()) >= GELU_FOLD_ROWS && biasOperand(add) >= 0 && act.op() instanceof ElementwiseOp.Unary u
                && u.kind() == ElementwiseOp.UnaryKind.GELU_ERF && onlyInto(add.output(), act) && act.output().dtype() == DType.F32;
    }

    /**
     * Whether grp is {@code add(add(bias, y), r)} (either order in each) with the first add a foldable bias add used
     * only by the second and r an F32 arena tensor of the output's shape, laid out contiguously: BERT's attention and
     * output dense before their LayerNorm. The GEMM adds the bias and then r as it stores each block (the
     * roundings of the two adds, in their order), and the group runs no step.
     */
    private boolean residualGroup(KernelGroup grp) {
        return grp.nodes().size() == 2 && biasOperand(grp.nodes().getFirst()) >= 0 && residualOperand(grp) != null;
    }

    /** r of a {@link #residualGroup}'s second add, or null when grp's second node is no such add. */
    private Value residualOperand(KernelGroup grp) {
        Node first = grp.nodes().get(0), add = grp.nodes().get(1);
        if (!(add.op() instanceof ElementwiseOp.Binary b) || b.kind() != ElementwiseOp.BinaryKind.ADD || !onlyInto(first.output(), add)) return null;
        Value r = add.input(0) == first.output() ? add.input(1) : add.input(0);
        Loc l = lw.locOrNull(r);
        boolean laidOut = l instanceof Loc.Buf || l instanceof Loc.View v && v.contiguousFrom();
        return r != first.output() && laidOut && r.dtype() == DType.F32 && add.output().dtype() == DType.F32
                && Arrays.equals(lw.shapeOf(r), lw.shapeOf(add.output())) ? r : null;
    }

    /** Whether v's only use is by u (and v is no graph output). */
    private boolean onlyInto(Value v, Node u) {
        return u.inputs().contains(v) && lw.consumers(v).size() == 1 && !g.outputs().contains(v);
    }

    private long rows(Value v) {
        long[] s = lw.shapeOf(v);
        return s.length == 0 || s[s.length - 1] == 0 ? 0 : FallbackStep.numel(s) / s[s.length - 1];
    }

    /** Which input of add node a is the bias (0 or 1) when a is a foldable bias add, else -1. */
    private int biasOperand(Node a) {
        if (!(a.op() instanceof ElementwiseOp.Binary b) || b.kind() != ElementwiseOp.BinaryKind.ADD) return -1;
        for (int side = 0; side < 2; side++) {
            Value bias = a.input(side), y = a.input(1 - side);
            Node lin = y.definingOp() instanceof LinalgOp.Linear ? g.producer(y) : null;
            if (lin == null || !(lw.locOrNull(bias) instanceof Loc.Seg) || bias.dtype() != DType.F32 || y.rank() < 1) continue;
            long[] bs = lw.shapeOf(bias), ys = lw.shapeOf(y);
            boolean lastAxis = bs.length >= 1 && bs[bs.length - 1] == ys[ys.length - 1];
            for (int i = 0; i < bs.length - 1; i++) lastAxis &= bs[i] == 1;
            Value w = lin.input(1);
            if (!lastAxis || bs.length > ys.length || w.dtype() != DType.F32 || !(lw.locOrNull(w) instanceof Loc.Seg)
                    || lw.locOrNull(lin.input(0)) instanceof Loc.Seg || (INT_GEMM && intWeights(w) != null)
                    || lw.consumers(y).size() != 1 || g.outputs().contains(y)) continue;
            return side;
        }
        return -1;
    }

    /** The integer GEMM's form of a constant F32 weight [N, K] holding integers within a range of 255 per row, or null. */
    private IntGemmWeights intWeights(Value w) {
        if (w.dtype() != DType.F32 || !(lw.loc(w) instanceof Loc.Seg seg) || w.rank() != 2) return null;
        long[] ws = w.shape().staticSizes();
        int nn = Math.toIntExact(ws[0]), k = Math.toIntExact(ws[1]);
        return lw.compiled().intWeights().computeIfAbsent(seg.data(), d -> java.util.Optional.ofNullable(IntGemmWeights.of(d, nn, k))).orElse(null);
    }
}
