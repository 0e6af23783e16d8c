package dev.ingot.kernel.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A constant weight {@code W [N, K]} (F32 storage) whose every element is an integer and whose every row spans at
 * most 255 (what {@code W - zw} of a u8/s8 quantised weight is), prepared once for {@link IntGemm}:
 * {@code W[n, k] = s[n, k] + c[n]} with {@code s} in [-128, 127] ({@code c[n] = min_k W[n, k] + 128}, or 0 where
 * the row already fits s8), packed into the VNNI layout of {@code igemm.c.tmpl} (16-row groups, chunks of 4 k:
 * 64 bytes holding {@code s[16g + j, 4q + i]} at {@code 4j + i}; {@code K4 = ceil(K / 4) * 4}, padding zero) and
 * row-major for the JVM twin; {@code cs[n] = sum_k s[n, k] + K * c[n]}. Arrays {@code cc}, {@code cs} are padded
 * to whole groups. Immutable, shared by every plan and thread.
 */
public final class IntGemmWeights {
    final int n, k, k4, groups;
    final MemorySegment packed;   // off-heap, 64-aligned, groups * K4 * 16 bytes
    final byte[] rows;            // s [N][K] row-major (JVM twin)
    final int[] cc, cs;           // c[n], sum_k s[n, k] + K c[n]; groups * 16 long
    final MemorySegment source;   // the F32 weight (the float fallback)
    final int maxAbs;             // max |W[n, k]|
    private volatile PackedB[] blocks; // JVM twin: F32 panels of k blocks of exactBlock() columns, packed on first use

    private IntGemmWeights(MemorySegment source, int n, int k, byte[] rows, int[] c, int maxAbs) {
        this.source = source;
        this.maxAbs = maxAbs;
        this.n = n;
        this.k = k;
        this.k4 = (k + 3) & ~3;
        this.groups = (n + 15) / 16;
        this.rows = rows;
        this.cc = new int[groups * 16];
        this.cs = new int[groups * 16];
        this.packed = Arena.ofAuto().allocate((long) groups * k4 * 16, 64);
        for (int r = 0; r < n; r++) {
            int sum = 0;
            long base = (long) (r / 16) * k4 * 16 + 4L * (r % 16);
            for (int i = 0; i < k; i++) {
                byte s = rows[r * k + i];
                sum += s;
                packed.set(ValueLayout.JAVA_BYTE, base + (long) (i / 4) * 64 + (i % 4), s);
            }
            cc[r] = c[r];
            cs[r] = sum + k * c[r];
        }
    }

    /**
     * The integer form of {@code w}, row-major little-endian F32 {@code [n, k]}, or null when some element is not
     * an integer or a row spans more than 255 (then it is an ordinary float weight).
     */
    public static IntGemmWeights of(MemorySegment w, int n, int k) {
        if (w.byteSize() < 4L * n * k || (long) n * k > Integer.MAX_VALUE - 16) return null;
        byte[] rows = new byte[n * k];
        int[] c = new int[n];
        int maxAbs = 0;
        float[] row = new float[k];
        for (int r = 0; r < n; r++) {
            MemorySegment.copy(w, ValueLayout.JAVA_FLOAT_UNALIGNED, (long) r * k * 4, row, 0, k);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : row) {
                if (v != Math.rint(v) || Math.abs(v) > 65536) return null; // NaN fails the first test
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (hi - lo > 255) return null;
            maxAbs = (int) Math.max(maxAbs, Math.max(Math.abs(lo), Math.abs(hi)));
            c[r] = lo >= -128 && hi <= 127 ? 0 : (int) lo + 128;
            for (int i = 0; i < k; i++) rows[r * k + i] = (byte) ((int) row[i] - c[r]);
        }
        return new IntGemmWeights(w, n, k, rows, c, maxAbs);
    }

    /** Packs a row-major {@code [n, k]} float array (tests). */
    public static IntGemmWeights of(float[] w, int n, int k) {
        MemorySegment s = Arena.ofAuto().allocate(4L * w.length, 64);
        MemorySegment.copy(w, 0, s, ValueLayout.JAVA_FLOAT, 0, w.length);
        return of(s, n, k);
    }

    /**
     * Columns of k per block such that a float FMA chain over one block of activations |a| <= 255 is exact: every
     * partial sum is an integer below 2^24 in magnitude ({@code kb * 255 * maxAbs < 2^24}).
     */
    int exactBlock() { return Math.max(1, (int) (((1 << 24) - 1) / (255L * Math.max(1, maxAbs)))); }

    /** The JVM twin's F32 panels ({@link PackedB} for {@code nr}), one per k block of {@link #exactBlock()} columns. */
    PackedB[] blocks(int nr) {
        PackedB[] b = blocks;
        if (b != null && b[0].nr == nr) return b;
        int kb = exactBlock(), count = (k + kb - 1) / kb;
        b = new PackedB[count];
        float[] part = new float[n * Math.min(k, kb)];
        for (int i = 0; i < count; i++) {
            int k0 = i * kb, len = Math.min(k, k0 + kb) - k0;
            for (int r = 0; r < n; r++) MemorySegment.copy(source, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * ((long) r * k + k0), part, r * len, len);
            b[i] = PackedB.pack(java.util.Arrays.copyOf(part, n * len), n, len, nr);
        }
        return blocks = b;
    }

    public int n() { return n; }

    public int k() { return k; }

    /** The F32 weight this was built from. */
    public MemorySegment source() { return source; }
}
