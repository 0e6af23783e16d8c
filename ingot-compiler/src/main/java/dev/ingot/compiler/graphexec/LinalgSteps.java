package dev.ingot.compiler.graphexec;

import dev.ingot.kernel.gemm.Gemm;
import dev.ingot.kernel.gemm.IntGemm;
import dev.ingot.kernel.gemm.IntGemmWeights;
import dev.ingot.kernel.nativec.NativeIntGemm;
import dev.ingot.kernel.nativec.NativeSgemm;
import dev.ingot.kernel.gemm.PackedB;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.linear.ParallelLinear;
import dev.ingot.kernel.parallel.WorkerPool;
import java.lang.foreign.MemorySegment;

/** Steps that call the kernel library or this package's row kernels, split across the worker pool. */
final class LinalgSteps {
    private LinalgSteps() {}

    /** y [T, N] = x [T, K] . W^T, W [N, K] in any dtype the kernel library has (repacked F32 for ONNX MatMul). */
    static final class Linear implements Step {
        private final String label;
        private final Ref x, y;
        private final MemorySegment w;
        private final int n, k, t;
        private final WorkerPool pool;
        private final ParallelLinear call;

        Linear(String label, Ref x, Ref y, MemorySegment w, int n, int k, int t, LinearKernel kernel, WorkerPool pool) {
            this.label = label;
            this.x = x;
            this.y = y;
            this.w = w;
            this.n = n;
            this.k = k;
            this.t = t;
            this.pool = pool;
            this.call = new ParallelLinear(kernel);
        }

        @Override public void run(Frame f) {
            call.run(pool, w, n, k, f.arena, x.off(), k, f.arena, y.off(), n, t, null);
        }

        @Override public String describe() { return "linear " + label + " [" + t + ", " + k + "] x [" + n + ", " + k + "]^T"; }
    }

    /**
     * y [T, N] = x [T, K] . W^T with W an F32 weight packed once for {@link Gemm} (register-tiled, cache-blocked), on
     * the native tiles where {@code kernel} is set; then the ops that followed it folded in: + bias [N], + a residual
     * [T, N] (an arena tensor, or null), gelu_erf.
     */
    record PackedLinear(String label, Ref x, Ref y, PackedB w, int t, boolean simd, NativeSgemm kernel, float[] bias, Ref residual,
                        boolean gelu, WorkerPool pool) implements Step {
        @Override public void run(Frame f) {
            Gemm.run(pool, simd, kernel, f.arena, x.off(), w.k(), w, f.arena, y.off(), w.n(), t,
                    new Gemm.Epilogue(bias, residual == null ? -1 : residual.off(), gelu));
        }

        @Override public String describe() {
            return "gemm " + label + " [" + t + ", " + w.k() + "] x [" + w.n() + ", " + w.k() + "]^T (packed f32"
                    + (kernel != null ? ", native" : "") + (bias != null ? ", + bias" : "") + (residual != null ? ", + residual" : "")
                    + (gelu ? ", gelu_erf" : "") + ")";
        }
    }

    /**
     * y [T, N] = x [T, K] . W^T in exact int32 arithmetic ({@link IntGemm}) for W integral (a quantised weight minus
     * its zero point) and x integral per row within a range of 255 (quantised activations minus theirs): the
     * executor's form of MatMulInteger. With {@code quant} (cells of scale, zp, za; see {@link QuantPrologue}) x is
     * the float tensor before dynamic quantisation and the prep quantises it. Should a call's x break the
     * precondition (never, for the graphs QuantRewrites makes), the step falls back to the packed float GEMM for
     * good, with a warning.
     */
    static final class IntLinear implements Step {
        private static final System.Logger LOG = System.getLogger(IntLinear.class.getName());
        private final String label;
        private final Ref x, y;
        private final IntGemmWeights w;
        private final int t;
        private final boolean simd;
        private final ScalarStep.Cell[] quant;
        private final float lo, hi;
        private final WorkerPool pool;
        private final NativeIntGemm kernel;
        private final IntGemm.Scratch scratch;
        private PackedB fallback;

        IntLinear(String label, Ref x, Ref y, IntGemmWeights w, int t, boolean simd, ScalarStep.Cell[] quant, float lo, float hi, WorkerPool pool) {
            this.label = label;
            this.x = x;
            this.y = y;
            this.w = w;
            this.t = t;
            this.simd = simd;
            this.quant = quant;
            this.lo = lo;
            this.hi = hi;
            this.pool = pool;
            this.kernel = IntGemm.nativeKernel();
            this.scratch = new IntGemm.Scratch(t, w.k(), kernel != null);
        }

        @Override public void run(Frame f) {
            IntGemm.Quant q = quant == null ? null
                    : new IntGemm.Quant((float) quant[0].get(f), (float) quant[1].get(f), lo, hi, (float) quant[2].get(f));
            if (fallback == null && IntGemm.run(pool, kernel, f.arena, x.off(), w.k(), w, f.arena, y.off(), w.n(), t, scratch, q)) return;
            if (fallback == null) {
                LOG.log(System.Logger.Level.WARNING, "igemm " + label + ": activations are not integers within a range of 255; float GEMM from now on");
                fallback = PackedB.pack(w.source(), w.n(), w.k(), Gemm.nr(simd));
            }
            float[] a = f.arena;
            int off = x.off();
            if (q != null) { // the float GEMM takes the quantised activations
                a = new float[t * w.k()];
                for (int i = 0; i < a.length; i++) a[i] = q.apply(f.arena[off + i]);
                off = 0;
            }
            Gemm.run(pool, simd, a, off, w.k(), fallback, f.arena, y.off(), w.n(), t);
        }

        @Override public String describe() {
            return "igemm " + label + " [" + t + ", " + w.k() + "] x [" + w.n() + ", " + w.k() + "]^T (exact int32, "
                    + (kernel != null ? kernel.toString() : "JVM") + (quant != null ? ", quantising A" : "") + ")";
        }
    }

    /** LayerNorm over rows [R, D]; rows split across the pool. */
    record LayerNorm(String label, Ref x, Ref y, float[] w, float[] b, float eps, int rows, int d, boolean simd, WorkerPool pool)
            implements Step {
        @Override public void run(Frame f) {
            int xo = x.off(), yo = y.off();
            float[] a = f.arena;
            // chunks of ~16K floats: below two of them (16 x 384 rows: ~1.5 us) a split costs more than it saves, as
            // the other core must first fetch rows another core wrote (measured 2.5x slower at 16 rows)
            pool.parallelFor(rows, pool.evenGrain(rows, 16384 / Math.max(1, d)), (r0, r1) -> NormKernel.layerNorm(simd, a, xo, yo, d, w, b, eps, r0, r1));
        }

        @Override public String describe() { return "layer_norm " + label + " [" + rows + ", " + d + "]"; }
    }

    /**
     * Attention over B (batch x heads) independent problems. Per problem p the operand windows start at
     * {@code base.off + xBatch[p]}; rows are {@code xRow} apart, elements contiguous. On the native tiles
     * ({@code kernel}) when the mask, if any, has contiguous keys; else on {@link AttentionKernel}.
     */
    record Attention(String label, int batches, int lq, int lk, int d, int dv, float scale,
                     Loc.Buf q, long[] qBatch, int qRow, Loc.Buf k, long[] kBatch, int kRow,
                     Loc.Buf v, long[] vBatch, int vRow, Loc.Buf o, long[] oBatch, int oRow,
                     Loc.Buf maskBuf, float[] maskData, long[] mBatch, int mRow, int mCol, boolean simd, NativeSgemm kernel,
                     WorkerPool pool)
            implements Step {
        private static final ThreadLocal<AttentionKernel.Scratch> SCRATCH = ThreadLocal.withInitial(AttentionKernel.Scratch::new);
        /** Multiply-adds (scores and weighted values, all problems) below which the problems run on one thread. */
        static final long SERIAL_FMAS = 1L << 20;

        @Override public void run(Frame f) {
            float[] a = f.arena;
            float[] m = maskBuf != null ? a : maskData;
            int mBase = maskBuf != null ? maskBuf.off : 0;
            boolean nat = kernel != null && (m == null || mCol == 1);
            // native: chunks of several problems per downcall (8 per thread in all, still balanced dynamically). Below
            // SERIAL_FMAS in all (12 heads of 16 tokens: ~7 us) one thread runs them: split, they ran 1.4x slower, the
            // other core fetching Q, K, V rows the GEMMs wrote on this one
            long fmas = (long) batches * lq * lk * (d + dv);
            int threads = pool.threads();
            if (nat && fmas >= SERIAL_FMAS && threads > 1 && lq >= threads * 24 && oneSequence()) {
                // one sequence's heads: thread i takes its share of query rows in every head, the rows the GEMMs and
                // LayerNorm around it give that thread (see WorkerPool), rather than half of the heads, whose output
                // columns span every row. Each thread then transposes every head's K once.
                pool.parallelFor(lq, (lq + threads - 1) / threads, (i0, i1) -> {
                    if (!kernel.attention(a, 0, batches, i0, i1, lq, lk, d, dv, scale, q.off, qBatch, qRow, k.off, kBatch, kRow,
                            v.off, vBatch, vRow, o.off, oBatch, oRow, m, mBase, mBatch, mRow)) {
                        jvm(a, m, mBase, 0, batches); // whole problems: both threads may write the same values, rarely
                    }
                });
                return;
            }
            int grain = fmas < SERIAL_FMAS ? batches : nat ? Math.max(1, batches / (8 * threads)) : 1;
            pool.parallelFor(batches, grain, (p0, p1) -> {
                if (nat && kernel.attention(a, p0, p1, 0, lq, lq, lk, d, dv, scale, q.off, qBatch, qRow, k.off, kBatch, kRow,
                        v.off, vBatch, vRow, o.off, oBatch, oRow, m, mBase, mBatch, mRow)) return;
                jvm(a, m, mBase, p0, p1);
            });
        }

        /** Whether every problem reads the same query rows and writes the same output rows (heads of one sequence). */
        private boolean oneSequence() {
            long q0 = Long.MAX_VALUE, q1 = Long.MIN_VALUE, o0 = Long.MAX_VALUE, o1 = Long.MIN_VALUE;
            for (int p = 0; p < batches; p++) {
                q0 = Math.min(q0, qBatch[p]);
                q1 = Math.max(q1, qBatch[p]);
                o0 = Math.min(o0, oBatch[p]);
                o1 = Math.max(o1, oBatch[p]);
            }
            return q1 - q0 + d <= qRow && o1 - o0 + dv <= oRow;
        }

        /** Problems [p0, p1) on the JVM kernel (no native kernel, or its scratch could not be allocated). */
        private void jvm(float[] a, float[] m, int mBase, int p0, int p1) {
            AttentionKernel.Scratch s = SCRATCH.get();
            for (int p = p0; p < p1; p++) {
                AttentionKernel.run(simd, a, lq, lk, d, dv, scale,
                        q.off + (int) qBatch[p], qRow, k.off + (int) kBatch[p], kRow, v.off + (int) vBatch[p], vRow,
                        o.off + (int) oBatch[p], oRow, m, m == null ? 0 : mBase + (int) mBatch[p], mRow, mCol, s);
            }
        }

        @Override public String describe() {
            return "attention " + label + " " + batches + " x [" + lq + ", " + d + "] . [" + lk + ", " + d + "]^T" + (maskBuf != null || maskData != null ? " + mask" : "")
                    + (kernel != null ? " (native)" : "");
        }
    }
}
