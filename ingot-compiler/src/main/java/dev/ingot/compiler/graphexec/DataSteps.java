package dev.ingot.compiler.graphexec;

import static dev.ingot.kernel.Simd.F;
import static dev.ingot.kernel.Simd.L;

import dev.ingot.ir.ReduceOp.ReduceKind;
import dev.ingot.ir.interp.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Data movement and small reductions between the library kernels. */
final class DataSteps {
    private DataSteps() {}

    /** An F32 graph input (held in its slot) copied into the arena. */
    record CopyIn(String label, int slot, Ref to, int floats) implements Step {
        @Override public void run(Frame f) {
            System.arraycopy(f.slots[slot].floatsForRead(), 0, f.arena, to.off(), floats);
        }

        @Override public String describe() { return "copy-in " + label + " (" + floats + " floats)"; }
    }

    /** A non-F32 tensor (ids, masks) under another shape: the same data, no copy. */
    record SlotReshape(String label, int from, int to, long[] shape) implements Step {
        @Override public void run(Frame f) { f.slots[to] = f.slots[from].reshape(shape); }

        @Override public String describe() { return "reshape " + label + " " + Arrays.toString(shape); }
    }

    /**
     * An integer or bool tensor (held in its slot: an attention mask, ids) cast to F32 into the arena, each value
     * rounded as the interpreter's cast rounds it (to double, then to float).
     */
    record SlotToF32(String label, int slot, Ref to, int n) implements Step {
        @Override public void run(Frame f) {
            Tensor x = f.slots[slot];
            float[] a = f.arena;
            int o = to.off();
            for (int i = 0; i < n; i++) a[o + i] = (float) (double) x.getLong(i);
        }

        @Override public String describe() { return "cast " + label + " to f32 (" + n + " values)"; }
    }

    /** A strided view copied into a contiguous buffer (a transpose some consumer needs laid out). */
    record Materialise(String label, Loc.View from, Ref to) implements Step {
        @Override public void run(Frame f) { gather(f.arena, from, f.arena, to.off()); }

        @Override public String describe() { return "copy " + label + " " + Arrays.toString(from.shape()) + " strides " + Arrays.toString(from.strides()); }
    }

    /** Copies the elements of {@code v} in row-major order to {@code dst[dstOff..]}; the innermost run uses arraycopy when unit-strided. */
    static void gather(float[] a, Loc.View v, float[] dst, int dstOff) {
        long[] shape = v.shape(), st = v.strides();
        int r = shape.length;
        if (r == 0) {
            dst[dstOff] = a[v.base().off + (int) v.start()];
            return;
        }
        int inner = (int) shape[r - 1];
        long rows = 1;
        for (int d = 0; d < r - 1; d++) rows *= shape[d];
        long[] idx = new long[r];
        int base = v.base().off + (int) v.start(), o = dstOff;
        int innerStride = (int) st[r - 1];
        for (long row = 0; row < rows; row++) {
            long src = base;
            for (int d = 0; d < r - 1; d++) src += idx[d] * st[d];
            if (innerStride == 1) System.arraycopy(a, (int) src, dst, o, inner);
            else for (int i = 0; i < inner; i++) dst[o + i] = a[(int) src + i * innerStride];
            o += inner;
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }

    /** out [ids..., D] = rows of an F32 table [V, D] chosen by integer ids (negative ids count from the end). */
    record GatherRows(String label, MemorySegment table, long vocab, int d, int idsSlot, Ref out) implements Step {
        @Override public void run(Frame f) {
            Tensor ids = f.slots[idsSlot];
            long n = ids.numel();
            int o = out.off();
            for (long i = 0; i < n; i++) {
                long id = ids.getLong(i);
                if (id < 0) id += vocab;
                if (id < 0 || id >= vocab) throw new IndexOutOfBoundsException(label + ": index " + ids.getLong(i) + " out of range [0, " + vocab + ")");
                MemorySegment.copy(table, ValueLayout.JAVA_FLOAT_UNALIGNED, id * d * 4L, f.arena, o + (int) (i * d), d);
            }
        }

        @Override public String describe() { return "gather-rows " + label + " [" + vocab + ", " + d + "]"; }
    }

    /**
     * Min and max of all n elements of x in one pass (the two statistics of dynamic quantisation), chunks split
     * across the pool; NaN propagates as in {@link Reduce}.
     */
    record MinMax(String label, Ref x, Ref lo, Ref hi, int n, boolean simd, dev.ingot.kernel.parallel.WorkerPool pool) implements Step {
        static final int CHUNK = 64 * 1024;

        @Override public void run(Frame f) {
            float[] a = f.arena;
            int xo = x.off(), chunks = (n + CHUNK - 1) / CHUNK;
            float[] part = new float[2 * chunks];
            if (pool != null && chunks > 1) {
                pool.parallelFor(chunks, 1, (c0, c1) -> {
                    for (int c = c0; c < c1; c++) fold(a, xo + c * CHUNK, Math.min(CHUNK, n - c * CHUNK), part, 2 * c);
                });
            } else {
                for (int c = 0; c < chunks; c++) fold(a, xo + c * CHUNK, Math.min(CHUNK, n - c * CHUNK), part, 2 * c);
            }
            float mn = part[0], mx = part[1];
            for (int c = 1; c < chunks; c++) {
                mn = min(mn, part[2 * c]);
                mx = max(mx, part[2 * c + 1]);
            }
            a[lo.off()] = mn;
            a[hi.off()] = mx;
        }

        private static float min(float acc, float v) { return Float.isNaN(v) || Float.isNaN(acc) ? Float.NaN : Math.min(acc, v); }

        private static float max(float acc, float v) { return Float.isNaN(v) || Float.isNaN(acc) ? Float.NaN : Math.max(acc, v); }

        private void fold(float[] a, int o, int len, float[] out, int at) {
            float mn = Float.POSITIVE_INFINITY, mx = Float.NEGATIVE_INFINITY;
            int i = 0, nv = simd ? len - len % (2 * L) : 0;
            if (nv > 0) {
                FloatVector l0 = FloatVector.broadcast(F, mn), l1 = l0, h0 = FloatVector.broadcast(F, mx), h1 = h0;
                for (; i < nv; i += 2 * L) {
                    FloatVector v0 = FloatVector.fromArray(F, a, o + i), v1 = FloatVector.fromArray(F, a, o + i + L);
                    l0 = l0.min(v0);
                    h0 = h0.max(v0);
                    l1 = l1.min(v1);
                    h1 = h1.max(v1);
                }
                mn = l0.min(l1).reduceLanes(VectorOperators.MIN);
                mx = h0.max(h1).reduceLanes(VectorOperators.MAX);
            }
            for (; i < len; i++) {
                mn = min(mn, a[o + i]);
                mx = max(mx, a[o + i]);
            }
            out[at] = mn;
            out[at + 1] = mx;
        }

        @Override public String describe() { return "minmax " + label + " [" + n + "]"; }
    }

    /**
     * Reduction of contiguous rows [rows, n] to [rows] (n = everything for a full reduction, as dynamic quantisation's
     * min/max over a whole activation). Large work is split across the pool: rows by ranges, a single long row by
     * chunks whose partial results are combined in chunk order.
     */
    record Reduce(String label, ReduceKind kind, Ref x, Ref out, int rows, int n, boolean simd, dev.ingot.kernel.parallel.WorkerPool pool) implements Step {
        /** Elements per parallel chunk. */
        static final int CHUNK = 16 * 1024;

        @Override public void run(Frame f) {
            float[] a = f.arena;
            int xo = x.off(), oo = out.off();
            boolean par = pool != null && pool.threads() > 1 && (long) rows * n >= 2L * CHUNK;
            if (par && rows == 1) {
                int chunks = (n + CHUNK - 1) / CHUNK;
                float[] part = new float[chunks];
                pool.parallelFor(chunks, 1, (c0, c1) -> {
                    for (int c = c0; c < c1; c++) part[c] = fold(a, xo + c * CHUNK, Math.min(CHUNK, n - c * CHUNK));
                });
                a[oo] = finish(fold(part, 0, chunks));
            } else if (par) {
                pool.parallelFor(rows, Math.max(1, CHUNK / Math.max(1, n)), (r0, r1) -> {
                    for (int r = r0; r < r1; r++) a[oo + r] = finish(fold(a, xo + r * n, n));
                });
            } else {
                for (int r = 0; r < rows; r++) a[oo + r] = finish(fold(a, xo + r * n, n));
            }
        }

        private float finish(float acc) { return kind == ReduceKind.MEAN ? acc / n : acc; }

        /** Sum (SUM, MEAN), max or min of a[o .. o + len); four vector accumulators so adds do not wait on each other. */
        private float fold(float[] a, int o, int len) {
            int nv = simd ? len - len % (4 * L) : 0, i = 0;
            float acc = switch (kind) {
                case SUM, MEAN -> 0f;
                case MAX -> Float.NEGATIVE_INFINITY;
                case MIN -> Float.POSITIVE_INFINITY;
                case PROD -> throw new IllegalStateException("prod is not lowered");
            };
            if (nv > 0) {
                VectorOperators.Associative op = kind == ReduceKind.MAX ? VectorOperators.MAX : kind == ReduceKind.MIN ? VectorOperators.MIN : VectorOperators.ADD;
                FloatVector v0 = FloatVector.broadcast(F, acc), v1 = v0, v2 = v0, v3 = v0;
                for (; i < nv; i += 4 * L) {
                    v0 = v0.lanewise(op, FloatVector.fromArray(F, a, o + i));
                    v1 = v1.lanewise(op, FloatVector.fromArray(F, a, o + i + L));
                    v2 = v2.lanewise(op, FloatVector.fromArray(F, a, o + i + 2 * L));
                    v3 = v3.lanewise(op, FloatVector.fromArray(F, a, o + i + 3 * L));
                }
                acc = v0.lanewise(op, v1).lanewise(op, v2.lanewise(op, v3)).reduceLanes(op);
            }
            for (; i < len; i++) {
                float x = a[o + i];
                acc = switch (kind) {
                    case MAX -> Float.isNaN(x) || Float.isNaN(acc) ? Float.NaN : Math.max(acc, x);
                    case MIN -> Float.isNaN(x) || Float.isNaN(acc) ? Float.NaN : Math.min(acc, x);
                    default -> acc + x;
                };
            }
            return acc;
        }

        @Override public String describe() { return "reduce_" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + label + " [" + rows + ", " + n + "]"; }
    }

    /**
     * A generated fused elementwise kernel (loop IR from the fusion planner). Its arguments are bound into the
     * handle once the plan's arena exists: per parameter a {@link Ref} (arena, offset), a segment or an int symbol.
     * With a {@link RowSplit} and enough rows, chunks of rows run in parallel on the pool, each as the same kernel
     * on moved offsets and a smaller row count.
     */
    static final class Group implements Step {
        /** Floats per parallel chunk: below this a dispatch to the pool costs more than it saves. */
        static final int CHUNK_FLOATS = 4 * 1024;
        private final String label;
        private final MethodHandle handle;
        private final java.util.List<Object> args;
        private final RowSplit split;
        private final int rows;
        private final dev.ingot.kernel.parallel.WorkerPool pool;
        private MethodHandle bound, spread;
        private Object[] flat;
        private int[] offAt, symAt;

        Group(String label, MethodHandle handle, java.util.List<Object> args, RowSplit split, int rows, dev.ingot.kernel.parallel.WorkerPool pool) {
            this.label = label;
            this.handle = handle;
            this.args = args;
            this.split = split;
            this.rows = rows;
            this.pool = pool;
        }

        void bind(float[] arena) {
            java.util.List<Object> a = new java.util.ArrayList<>();
            int[] pos = new int[args.size()];
            for (int i = 0; i < args.size(); i++) {
                Object o = args.get(i);
                if (o instanceof Ref r) {
                    a.add(arena);
                    pos[i] = a.size();
                    a.add(r.off());
                } else {
                    pos[i] = a.size();
                    a.add(o);
                }
            }
            flat = a.toArray();
            bound = java.lang.invoke.MethodHandles.insertArguments(handle, 0, flat);
            if (parallel()) {
                offAt = pos;
                symAt = java.util.Arrays.stream(split.boundSymbols()).map(i -> pos[i]).toArray();
                spread = handle.asSpreader(Object[].class, flat.length).asType(java.lang.invoke.MethodType.methodType(void.class, Object[].class));
            }
        }

        private boolean parallel() {
            return split != null && pool != null && pool.threads() > 1 && (long) rows * split.rowFloats() >= 2L * CHUNK_FLOATS;
        }

        @Override public void run(Frame f) {
            try {
                if (spread == null) bound.invokeExact();
                else pool.parallelFor(rows, pool.evenGrain(rows, CHUNK_FLOATS / Math.max(1, split.rowFloats())), this::rows);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Rows [r0, r1): offsets moved by r0 rows, the row count (product of the bound symbols) set to r1 - r0. */
        private void rows(int r0, int r1) {
            Object[] a = flat.clone();
            int[] stride = split.rowStride();
            for (int p = 0; p < stride.length; p++) if (stride[p] != 0) a[offAt[p]] = (Integer) a[offAt[p]] + r0 * stride[p];
            for (int i = 0; i < symAt.length; i++) a[symAt[i]] = i == 0 ? r1 - r0 : 1;
            try {
                spread.invokeExact(a);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override public String describe() { return "fused[gen] " + label + (parallel() ? " (rows split)" : ""); }
    }
}
