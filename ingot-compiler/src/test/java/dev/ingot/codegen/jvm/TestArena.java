package dev.ingot.codegen.jvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One float arena holding several buffers at odd offsets (as a program's activations do), plus helpers
 * to compare results. Gaps between windows are filled with NaN so a kernel writing out of bounds or
 * reading a neighbour shows up.
 */
final class TestArena {
    private static final int GAP = 5;
    private final List<float[]> parts = new ArrayList<>();
    private final List<Integer> offsets = new ArrayList<>();
    private int size = 3;
    float[] data;

    /** Reserves a window holding {@code init}; returns its offset (valid after {@link #build}). */
    int add(float[] init) {
        parts.add(init);
        offsets.add(size);
        int off = size;
        size += init.length + GAP;
        return off;
    }

    TestArena build() {
        data = new float[size];
        Arrays.fill(data, Float.NaN);
        for (int i = 0; i < parts.size(); i++) System.arraycopy(parts.get(i), 0, data, offsets.get(i), parts.get(i).length);
        return this;
    }

    float[] read(int off, int n) {
        return Arrays.copyOfRange(data, off, off + n);
    }

    /** A gap must still be NaN: checks nothing was written outside the windows. */
    void assertGapsUntouched() {
        for (int i = 0; i < parts.size(); i++) {
            int end = offsets.get(i) + parts.get(i).length;
            for (int g = end; g < end + GAP; g++) {
                if (!Float.isNaN(data[g])) throw new AssertionError("write outside buffer " + i + " at arena[" + g + "]");
            }
        }
    }

    /** A native little-endian f32 segment, like a memory-mapped weight. */
    static MemorySegment segment(float[] values) {
        MemorySegment s = Arena.ofAuto().allocate((long) values.length * 4 + 4, 64);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length);
        return s;
    }

    /** Elementwise |a - e| <= atol + rtol * |e|; the message names what, shape and seed. */
    static void assertClose(float[] expected, float[] actual, double atol, double rtol, String what) {
        if (expected.length != actual.length) throw new AssertionError(what + ": length " + actual.length + " != " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                throw new AssertionError(what + ": element " + i + " expected " + e + " got " + a
                        + " (atol " + atol + ", rtol " + rtol + ")");
            }
        }
    }
}
