package dev.ingot.compiler.graphexec;

import dev.ingot.ir.LlmOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.Value;
import dev.ingot.kernel.gemm.Gemm;
import dev.ingot.tensor.DType;
import java.util.Arrays;

/**
 * Lowers {@code attention(q [..., Lq, D], k [..., Lk, D], v [..., Lk, Dv], mask?)} to one {@link LinalgSteps.Attention}
 * reading q, k and v through their views (the head transposes around attention are never copied) and writing its
 * output in the layout of its consumer when that is a transpose keeping the last axis (so
 * {@code transpose(attention(..), [0, 2, 1, 3])} is a plain [B, S, H, D] buffer and the reshape after it an alias).
 */
final class AttentionLowering {
    private final Lowering lw;
    private final Node n;
    private final LlmOp.Attention op;

    AttentionLowering(Lowering lw, Node n, LlmOp.Attention op) {
        this.lw = lw;
        this.n = n;
        this.op = op;
    }

    boolean lower() {
        if (op.causal()) return false;
        Value mask = n.inputs().size() > 3 ? n.input(3) : null;
        if (mask != null && (mask.dtype() != DType.F32 || lw.loc(mask) instanceof Loc.Slot)) return false;
        Loc.View q = unitLast(n.input(0)), k = unitLast(n.input(1)), v = unitLast(n.input(2));
        if (q == null || k == null || v == null) return false;
        int r = n.input(0).rank();
        long[] qs = q.shape();
        int lq = (int) qs[r - 2], d = (int) qs[r - 1], lk = (int) k.shape()[r - 2], dv = (int) v.shape()[r - 1];
        long[] batchShape = Arrays.copyOf(qs, r - 2);
        int batches = (int) FallbackStep.numel(batchShape);
        // mask strides broadcast to the scores [..., Lq, Lk]
        Loc.Buf maskBuf = null;
        float[] maskData = null;
        long[] ms = new long[r];
        long mStart = 0;
        if (mask != null) {
            long[] mShape = lw.shapeOf(mask), mSt;
            if (lw.loc(mask) instanceof Loc.Seg seg) {
                maskData = new float[(int) FallbackStep.numel(mShape)];
                for (int i = 0; i < maskData.length; i++) maskData[i] = (float) SegmentReader.getDouble(DType.F32, seg.data(), i);
                mSt = Lowering.rowMajor(mShape);
            } else {
                Loc.View mv = lw.viewOf(mask);
                maskBuf = mv.base();
                mStart = mv.start();
                mSt = mv.strides();
            }
            for (int i = 0; i < r; i++) {
                int md = i - (r - mShape.length);
                ms[i] = md < 0 || mShape[md] == 1 ? 0 : mSt[md];
            }
        }
        int at = lw.steps.size();
        for (Loc.View x : new Loc.View[] {q, k, v}) x.base().readAt(at);
        if (maskBuf != null) maskBuf.readAt(at);
        long[] os = lw.shapeOf(n.output());
        Loc.Buf out = lw.newBuf(n.output(), FallbackStep.numel(os));
        long[] ost = outputStrides(os);
        lw.put(n.output(), Arrays.equals(ost, Lowering.rowMajor(os)) ? out : new Loc.View(out, 0, os, ost));
        Loc.View o = new Loc.View(out, 0, os, ost);
        lw.steps.add(new LinalgSteps.Attention(n.output().label(), batches, lq, lk, d, dv, op.scale(),
                q.base(), batchOffsets(q.start(), q.strides(), batchShape), (int) q.strides()[r - 2],
                k.base(), batchOffsets(k.start(), k.strides(), batchShape), (int) k.strides()[r - 2],
                v.base(), batchOffsets(v.start(), v.strides(), batchShape), (int) v.strides()[r - 2],
                out, batchOffsets(0, o.strides(), batchShape), (int) o.strides()[r - 2],
                maskBuf, maskData, mask == null ? null : batchOffsets(mStart, ms, batchShape), (int) ms[r - 2], (int) ms[r - 1],
                lw.simd(), Gemm.nativeKernel(lw.simd()), lw.pool()));
        return true;
    }

    /** A view of x whose last axis is unit-strided (copying it once if it is not). */
    private Loc.View unitLast(Value x) {
        Loc.View w = lw.viewOf(x);
        if (w == null) return null;
        int r = w.shape().length;
        if (w.strides()[r - 1] == 1 || w.shape()[r - 1] == 1) return w;
        Ref c = lw.contig(x);
        return new Loc.View(c.buf(), c.start(), w.shape(), Lowering.rowMajor(w.shape()));
    }

    /** Row-major, or the layout that makes the sole consumer (a transpose keeping the last axis) contiguous. */
    private long[] outputStrides(long[] os) {
        int r = os.length;
        var users = lw.consumers(n.output());
        if (users.size() == 1 && users.getFirst().op() instanceof ShapeOp.Transpose t && t.perm().get(r - 1) == r - 1
                && !lw.graph().outputs().contains(n.output())) {
            long[] ts = new long[r];
            for (int j = 0; j < r; j++) ts[j] = os[t.perm().get(j)];
            long[] tst = Lowering.rowMajor(ts), st = new long[r];
            for (int j = 0; j < r; j++) st[t.perm().get(j)] = tst[j];
            return st;
        }
        return Lowering.rowMajor(os);
    }

    /** Offset of each batch problem (row-major over the batch dims). */
    private static long[] batchOffsets(long start, long[] strides, long[] batchShape) {
        int b = (int) FallbackStep.numel(batchShape);
        long[] out = new long[b];
        long[] idx = new long[batchShape.length];
        for (int p = 0; p < b; p++) {
            long o = start;
            for (int d = 0; d < idx.length; d++) o += idx[d] * strides[d];
            out[p] = o;
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < batchShape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }
}
