package dev.ingot.kernel.nativec;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ingot.kernel.attention.AttentionKernel;
import dev.ingot.kernel.attention.PagedKv;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Paged attention in generated C ({@code attention.c.tmpl}): the JVM kernel's algorithm plus what the Vector API
 * cannot express, software prefetch of a (scattered) cache block ahead, by default the next (the attention schedule
 * space tunes the distance), and a walk over each block row by row with every head of the row, so the block
 * streams front to back. One critical downcall per token and head range of a work item; q, out and the block table are read in
 * place on the heap. Shapes the C side does not take (headDim not a multiple of 16, more than 64 heads per call,
 * blocks over 64 slots) run on {@code fallback}. F32 and F16 caches each have their entry point. JVM twin: {@link dev.ingot.kernel.attention.VectorAttention}.
 */
public final class NativeAttention implements AttentionKernel {
    static final String SYMBOL = "ingot_attention_f32", SYMBOL_F16 = "ingot_attention_f16";
    /** Blocks ahead the kernel prefetches when nothing is tuned: the next one. */
    public static final int DEFAULT_PREFETCH = 1;
    private static final FunctionDescriptor SIG = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT);

    private final MethodHandle f32, f16;
    private final AttentionKernel fallback;
    private final int prefetch;

    NativeAttention(Path library, AttentionKernel fallback, int prefetch) {
        var lookup = java.lang.foreign.SymbolLookup.libraryLookup(library, Arena.global());
        this.f32 = handle(lookup, library, SYMBOL);
        this.f16 = handle(lookup, library, SYMBOL_F16);
        this.fallback = fallback;
        this.prefetch = prefetch;
    }

    private static MethodHandle handle(java.lang.foreign.SymbolLookup lookup, Path library, String symbol) {
        return Linker.nativeLinker().downcallHandle(lookup.find(symbol)
                .orElseThrow(() -> new IllegalStateException(library + " lacks " + symbol)), SIG, Linker.Option.critical(true));
    }

    private static final String TEMPLATE = NativeSource.load("attention.c.tmpl");

    /** The C source with {@code prefetch} blocks of prefetch distance (one library per distinct text). */
    static String source(int prefetch) {
        if (prefetch < 0 || prefetch > 8) throw new IllegalArgumentException("prefetch distance " + prefetch);
        return TEMPLATE.replace("@PREFETCH@", Integer.toString(prefetch));
    }

    /** A short hash of the template: tuned attention schedules are measured against one version of it. */
    public static String templateHash() { return NativeToolchain.sha256(TEMPLATE).substring(0, 12); }

    public int prefetch() { return prefetch; }

    @Override
    public void attend(PagedKv kv, int nHeads, float[] q, int qOff, float[] out, int outOff,
                       int[] seq, int[] pos, int[][] blockTables, float scale, int from, int to) {
        int hd = kv.headDim(), group = nHeads / kv.nKvHeads();
        MemorySegment qs = MemorySegment.ofArray(q), os = MemorySegment.ofArray(out);
        MethodHandle fn = kv.f16() ? f16 : f32;
        for (int item = from; item < to; ) {
            int t = item / nHeads, h0 = item % nHeads, g = Math.min(nHeads - h0, to - item);
            int[] bt = blockTables[seq[t]];
            int ctx = pos[t] + 1;
            if ((ctx + kv.blockSize() - 1) / kv.blockSize() > bt.length) throw new IndexOutOfBoundsException("block table shorter than the context");
            int rc;
            try {
                rc = (int) fn.invokeExact(kv.k(), kv.v(), kv.blockSize(), kv.nKvHeads(), hd, group,
                        qs.asSlice(4L * (qOff + (long) item * hd)), os.asSlice(4L * (outOff + (long) item * hd)),
                        MemorySegment.ofArray(bt), ctx, h0, g, scale);
            } catch (Throwable e) {
                throw new IllegalStateException("native attention failed", e);
            }
            if (rc != 0) fallback.attend(kv, nHeads, q, qOff, out, outOff, seq, pos, blockTables, scale, item, item + g);
            item += g;
        }
    }

    @Override public String toString() { return "native " + SYMBOL + (prefetch == DEFAULT_PREFETCH ? "" : " prefetch=" + prefetch); }
}
