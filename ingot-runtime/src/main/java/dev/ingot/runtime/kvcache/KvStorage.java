package dev.ingot.runtime.kvcache;

import dev.ingot.kernel.memory.HugePages;
import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The off-heap K/V memory behind a {@link BlockPool}: for each layer one K and one V segment of the layout's
 * element type (F16 or F32) laid out {@code [numBlocks][blockSize][nKvHeads][headDim]} (see {@link KvLayout}),
 * all allocated in one shared {@link Arena} and freed together by {@link #close()}. The float[] accessors
 * round to half precision on write and widen on read for an F16 layout.
 *
 * <p>Slot {@code s = block * blockSize + offset} names one token's row; its K for head {@code h} starts at
 * element index {@code (s * nKvHeads + h) * headDim} of {@link #keys(int)}. This is the layout the paged
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
        long bytes = (long) numBlocks * layout.blockSize() * layout.floatsPerToken() * layout.elementBytes();
        this.k = new MemorySegment[layout.numLayers()];
        this.v = new MemorySegment[layout.numLayers()];
        // one region for every layer's K and V: streamed by attention every step, so on huge pages where the OS has them
        long stride = (bytes + 63) & -64L;
        MemorySegment all = HugePages.allocate(arena, 2 * stride * layout.numLayers(), true); // zero-filled
        for (int l = 0; l < layout.numLayers(); l++) {
            k[l] = all.asSlice(2 * l * stride, bytes);
            v[l] = all.asSlice((2 * l + 1) * stride, bytes);
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

    /** K of layer {@code layer}: {@code [numBlocks][blockSize][nKvHeads][headDim]} of the layout's element type. */
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
        return ((long) slot * layout.nKvHeads() + head) * layout.headDim() * layout.elementBytes();
    }

    /** Writes one token's K and V ({@code [nKvHeads][headDim]} each) for one layer into {@code slot}. */
    public void write(int layer, int slot, float[] key, float[] value) {
        long n = layout.floatsPerToken();
        if (key.length != n || value.length != n) throw new IllegalArgumentException("expected " + n + " floats per token");
        long off = byteOffset(slot, 0);
        store(key, k[layer], off);
        store(value, v[layer], off);
    }

    /** Reads one token's K ({@code [nKvHeads][headDim]}) of one layer. */
    public float[] readKey(int layer, int slot) {
        return load(k[layer], byteOffset(slot, 0));
    }

    /** Reads one token's V ({@code [nKvHeads][headDim]}) of one layer. */
    public float[] readValue(int layer, int slot) {
        return load(v[layer], byteOffset(slot, 0));
    }

    private void store(float[] row, MemorySegment seg, long off) {
        if (layout.dtype() == DType.F32) {
            MemorySegment.copy(row, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED, off, row.length);
            return;
        }
        for (int i = 0; i < row.length; i++) seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, off + 2L * i, Float.floatToFloat16(row[i]));
    }

    private float[] load(MemorySegment seg, long off) {
        float[] out = new float[(int) layout.floatsPerToken()];
        if (layout.dtype() == DType.F32) {
            MemorySegment.copy(seg, ValueLayout.JAVA_FLOAT_UNALIGNED, off, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 2L * i));
        }
        return out;
    }

    /** Copies block {@code src} to {@code dst} in every layer, K and V (copy-on-write). */
    public void copyBlock(int src, int dst) {
        long blockBytes = layout.blockSize() * layout.floatsPerToken() * layout.elementBytes();
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
