package dev.ingot.kernel.gemm;

import dev.ingot.kernel.nativec.NativeSgemm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A constant F32 weight {@code W [N, K]} repacked for {@link Gemm}: {@code panels = ceil(N / nr)} panels, panel
 * {@code p} at {@code data[p * K * nr]} holding {@code [K][nr]} floats ({@code W[p*nr + j][k]} at {@code k*nr + j}),
 * columns past N zero. Immutable once built; shared by every plan and thread.
 *
 * <p>Two copies of the same floats, each made on first use: a heap array for the JVM tiles and a 64-byte aligned
 * off-heap segment for the native kernel. The native kernel loads a panel row as two zmm; from a heap array (8-byte
 * aligned, and moved by the GC) most of those loads straddle two cache lines, which cost it 4-13% (measured on the
 * encoder shapes). Where the native kernel will run, packing keeps only the segment.
 */
public final class PackedB {
    private volatile float[] heap;
    private volatile MemorySegment offHeap;
    final int n, k, nr, panels;

    private PackedB(float[] data, int n, int k, int nr) {
        if (nr == NativeSgemm.NR && Gemm.nativeKernel(true) != null) offHeap = aligned(data);
        else heap = data;
        this.n = n;
        this.k = k;
        this.nr = nr;
        this.panels = (n + nr - 1) / nr;
    }

    /** Packs {@code w}, row-major little-endian F32 {@code [n, k]}, into panels of {@code nr} columns. */
    public static PackedB pack(MemorySegment w, int n, int k, int nr) {
        if (w.byteSize() < 4L * n * k) throw new IllegalArgumentException("weight holds " + w.byteSize() + " bytes, [" + n + ", " + k + "] F32 needs " + 4L * n * k);
        int panels = (n + nr - 1) / nr;
        long size = (long) panels * k * nr;
        if (size > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("packed weight [" + n + ", " + k + "] too large for one array");
        float[] d = new float[(int) size];
        float[] row = new float[k];
        // one source row at a time (a sequential read), scattered into its panel column with stride nr
        for (int r = 0; r < n; r++) {
            MemorySegment.copy(w, ValueLayout.JAVA_FLOAT_UNALIGNED, (long) r * k * 4, row, 0, k);
            int base = (r / nr) * k * nr + r % nr;
            for (int i = 0; i < k; i++) d[base + i * nr] = row[i];
        }
        return new PackedB(d, n, k, nr);
    }

    /** Packs a row-major {@code [n, k]} float array (tests, small weights). */
    public static PackedB pack(float[] w, int n, int k, int nr) {
        return pack(MemorySegment.ofArray(w), n, k, nr);
    }

    /** The panels as a heap array (the JVM tiles), copied from the segment on first use. */
    float[] heap() {
        float[] h = heap;
        if (h == null) {
            synchronized (this) {
                if (heap == null) heap = offHeap.toArray(ValueLayout.JAVA_FLOAT);
                h = heap;
            }
        }
        return h;
    }

    /** The panels off-heap, 64-byte aligned (the native kernel), copied from the array on first use. */
    MemorySegment offHeap() {
        MemorySegment s = offHeap;
        if (s == null) {
            synchronized (this) {
                if (offHeap == null) offHeap = aligned(heap);
                s = offHeap;
            }
        }
        return s;
    }

    private static MemorySegment aligned(float[] d) {
        MemorySegment s = Arena.ofAuto().allocate(4L * d.length, 64);
        MemorySegment.copy(d, 0, s, ValueLayout.JAVA_FLOAT, 0, d.length);
        return s;
    }

    public int n() { return n; }

    public int k() { return k; }

    /** Output columns per panel. */
    public int nr() { return nr; }
}
