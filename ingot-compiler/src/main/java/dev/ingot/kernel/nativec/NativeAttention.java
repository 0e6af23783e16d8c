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
 * cannot express, software prefetch of the next (scattered) cache block and accumulators held in registers across
 * a block. One critical downcall per token and head range of a work item; q, out and the block table are read in
 * place on the heap. Shapes the C side does not take (headDim not a multiple of 16, more than 64 heads per call,
 * blocks over 64 slots) run on {@code fallback}. F32 and F16 caches each have their entry point. JVM twin: {@link dev.ingot.kernel.attention.VectorAttention}.
 */
public final class NativeAttention implements AttentionKernel {
    static final String SYMBOL = "ingot_attention_f32", SYMBOL_F16 = "ingot_attention_f16";
    private static final FunctionDescriptor SIG = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT);

    private final MethodHandle f32, f16;
    private final AttentionKernel fallback;

    NativeAttention(Path library, AttentionKernel fallback) {
        var lookup = java.lang.foreign.SymbolLookup.libraryLookup(library, Arena.global());
        this.f32 = handle(lookup, library, SYMBOL);
        this.f16 = handle(lookup, library, SYMBOL_F16);
        this.fallback = fallback;
    }

    private static MethodHandle handle(java.lang.foreign.SymbolLookup lookup, Path library, String symbol) {
        return Linker.nativeLinker().downcallHandle(lookup.find(symbol)
                .orElseThrow(() -> new IllegalStateException(library + " lacks " + symbol)), SIG, Linker.Option.critical(true));
    }

    static String source() { return NativeSource.load("attention.c.tmpl"); }

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

    @Override public String toString() { return "native " + SYMBOL; }
}
