package dev.ingot.compiler.graphexec;

import java.lang.foreign.MemorySegment;

/** Where a value of a lowered program lives for one shape binding. */
sealed interface Loc {
    /**
     * A contiguous F32 buffer in the arena, {@code floats} long; {@code off} is assigned by the memory plan after
     * lowering. Lifetime in steps: {@code first} (written) to {@code last} (last read).
     */
    final class Buf implements Loc {
        final int id;
        final String label;
        final long floats;
        int first, last;
        int off = -1;

        Buf(int id, String label, long floats, int first) {
            this.id = id;
            this.label = label;
            this.floats = floats;
            this.first = first;
            this.last = first;
        }

        void readAt(int step) { last = Math.max(last, step); }
    }

    /**
     * A strided window on a buffer (a transpose that was not copied): element {@code (i0, i1, ...)} is at
     * {@code base.off + start + sum(i_d * strides[d])}.
     */
    record View(Buf base, long start, long[] shape, long[] strides) implements Loc {
        /** Whether the elements are row-major and gap-free from {@code start} (a reshape can alias it). */
        boolean contiguousFrom() {
            long s = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] != 1 && strides[d] != s) return false;
                s *= shape[d];
            }
            return true;
        }
    }

    /** A non-F32 value held as a reference-interpreter tensor (ids, masks, quantised bytes), in slot {@code index}. */
    record Slot(int index) implements Loc {}

    /** Data known before run time (an F32 weight or constant), read in place. */
    record Seg(MemorySegment data) implements Loc {}
}
