package dev.ingot.compiler.program;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The state one {@link Program#run} works on: the activation arena, the bound run-time inputs and the symbol
 * values of this call. Steps read buffers through their planned offsets; nothing here is allocated per call
 * except the block-table view, rebuilt only when the batch's sequences change.
 */
final class Frame {
    float[] arena;                // null until the first run or until a shared arena is bound
    final int arenaFloats;
    final int[] offsets;          // buffer id -> arena offset (floats)
    final int[][] ints;           // int input slot -> data (row-major, e.g. block_tables [S, B])
    final MemorySegment[] segments; // segment input slot -> data (KV caches)
    Map<String, Long> binding = Map.of();
    private int[][] blockTables2d;
    private int btSlot = -1, btCols = -1;
    private boolean tableFresh;   // the 2-D block table already reflects this run's inputs

    Frame(int arenaFloats, int[] offsets, int nInts, int nSegments) {
        this.arenaFloats = arenaFloats;
        this.offsets = offsets;
        this.ints = new int[nInts][];
        this.segments = new MemorySegment[nSegments];
    }

    int off(int buffer) { return offsets[buffer]; }

    /** Called at the start of every run: bound inputs may have changed since the last one. */
    void newRun() { tableFresh = false; }

    /**
     * int input {@code slot} viewed as [rows][cols] (the attention kernel's block-table form). Built once per run:
     * every layer's attention reads the same table, and inputs cannot change during a run.
     */
    int[][] table(int slot, int rows, int cols) {
        if (tableFresh && btSlot == slot && btCols == cols && blockTables2d.length >= rows) return blockTables2d;
        if (blockTables2d == null || blockTables2d.length < rows || btCols != cols) blockTables2d = new int[rows][cols];
        int[] flat = ints[slot];
        for (int s = 0; s < rows; s++) System.arraycopy(flat, s * cols, blockTables2d[s], 0, cols);
        btSlot = slot;
        btCols = cols;
        tableFresh = true;
        return blockTables2d;
    }
}
