package dev.ingot.runtime.kvcache;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The off-heap K/V memory behind a {@link BlockPool}: for each layer one K and one V segment of float32
 * laid out {@code [numBlocks][blockSize][nKvHeads][headDim]} (see {@link KvLayout}), all allocated in one
 * shared {@link Arena} and freed together by {@link #close()}.
 *
 * <p>Slot {@code s = block * blockSize + offset} names one token's row; its K for head {@code h} starts at
 * float index {@code (s * nKvHeads + h) * headDim} of {@link #keys(int)}. This is the layout the paged
 * attention kernel reads and the slot mapping in a scheduler step refers to. Segments are 64-byte
 * aligned. Writes to distinct slots from different threads are safe; a block copy must not race with
 * writes to the same blocks (the executor performs copies before the forward pass).
 */
public final class KvStorage implements AutoCloseable {
    private final KvLayout layout;
    private final int numBlocks;
    private final Arena arena;
    private final MemorySegment[] k;
    private final MemorySegment[] v;

    private KvStorage(KvLayout layout, int numBlocks) {
        this.layout = layout;
        this.numBlocks = numBlocks;
        this.arena = Arena.ofShared();
        long bytes = (long) numBlocks * layout.blockSize() * layout.floatsPerToken() * Float.BYTES;
        this.k = new MemorySegment[layout.numLayers()];
        this.v = new MemorySegment[layout.numLayers()];
        for (int l = 0; l < layout.numLayers(); l++) {
            k[l] = arena.allocate(bytes, 64); // zero-filled
            v[l] = arena.allocate(bytes, 64);
        }
    }

    /** Storage for exactly {@code numBlocks} blocks ({@code --kv-blocks}). */
    public static KvStorage ofBlocks(KvLayout layout, int numBlocks) {
        if (numBlocks <= 0) throw new IllegalArgumentException("numBlocks must be > 0: " + numBlocks);
        return new KvStorage(layout, numBlocks);
    }

    /** Storage for as many blocks as fit in {@code bytes} ({@code --kv-memory}). */
    public static KvStorage ofBytes(KvLayout layout, long bytes) {
        return new KvStorage(layout, layout.blocksFor(bytes));
    }

    public KvLayout layout() {
        return layout;
    }

    public int numBlocks() {
        return numBlocks;
    }

    /** K of layer {@code layer}: float32 {@code [numBlocks][blockSize][nKvHeads][headDim]}. */
    public MemorySegment keys(int layer) {
        return k[layer];
    }

    /** V of layer {@code layer}, same layout as {@link #keys(int)}. */
    public MemorySegment values(int layer) {
        return v[layer];
    }

    public int slot(int block, int offset) {
        return block * layout.blockSize() + offset;
    }

    /** Byte offset of slot {@code slot}'s row for head {@code head} within a layer's K or V segment. */
    public long byteOffset(int slot, int head) {
        return ((long) slot * layout.nKvHeads() + head) * layout.headDim() * Float.BYTES;
    }

    /** Writes one token's K and V ({@code [nKvHeads][headDim]} each) for one layer into {@code slot}. */
    public void write(int layer, int slot, float[] key, float[] value) {
        long n = layout.floatsPerToken();
        if (key.length != n || value.length != n) throw new IllegalArgumentException("expected " + n + " floats per token");
        long off = byteOffset(slot, 0);
        MemorySegment.copy(key, 0, k[layer], ValueLayout.JAVA_FLOAT, off, key.length);
        MemorySegment.copy(value, 0, v[layer], ValueLayout.JAVA_FLOAT, off, value.length);
    }

    /** Reads one token's K ({@code [nKvHeads][headDim]}) of one layer. */
    public float[] readKey(int layer, int slot) {
        float[] out = new float[(int) layout.floatsPerToken()];
        MemorySegment.copy(k[layer], ValueLayout.JAVA_FLOAT, byteOffset(slot, 0), out, 0, out.length);
        return out;
    }

    /** Reads one token's V ({@code [nKvHeads][headDim]}) of one layer. */
    public float[] readValue(int layer, int slot) {
        float[] out = new float[(int) layout.floatsPerToken()];
        MemorySegment.copy(v[layer], ValueLayout.JAVA_FLOAT, byteOffset(slot, 0), out, 0, out.length);
        return out;
    }

    /** Copies block {@code src} to {@code dst} in every layer, K and V (copy-on-write). */
    public void copyBlock(int src, int dst) {
        long blockBytes = layout.blockSize() * layout.floatsPerToken() * Float.BYTES;
        for (int l = 0; l < layout.numLayers(); l++) {
            MemorySegment.copy(k[l], src * blockBytes, k[l], dst * blockBytes, blockBytes);
            MemorySegment.copy(v[l], src * blockBytes, v[l], dst * blockBytes, blockBytes);
        }
    }

    /** Total bytes held. */
    public long bytes() {
        return numBlocks * layout.bytesPerBlock();
    }

    @Override
    public void close() {
        arena.close();
    }
}
