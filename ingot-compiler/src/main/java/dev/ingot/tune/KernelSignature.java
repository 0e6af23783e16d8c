package dev.ingot.tune;

import dev.ingot.tensor.DType;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a tuned schedule is for: kernel family (with an op kind where the family has several), data dtype, the
 * family's dimensions, the token bucket T (the program's bound on tokens per call; 1 = decode) and, for
 * attention, a context-length bucket. Text form, stable and used as the tuning database key:
 * <ul>
 *   <li>linear: {@code linear:Q8_0:2048x2048:T128} (dims N x K; the text linear rows have always had);</li>
 *   <li>attention: {@code attention:F32:32x8x64x16:T1:C1024} (dims heads x kvHeads x headDim x blockSize);</li>
 *   <li>fused groups: {@code fused/add_rms_norm:F32:2048:T128} (dims: the row width n).</li>
 * </ul>
 *
 * @param op      the op kind within the family ({@code rms_norm}, ...), "" where the family has one
 * @param dims    the family's dimensions, all >= 1
 * @param context the context-length bucket (attention), 0 where the family has none
 */
public record KernelSignature(String family, String op, DType dtype, List<Integer> dims, int tokens, int context) {
    private static final Pattern TEXT =
            Pattern.compile("([a-z]+)(?:/([a-z_]+))?:([A-Z0-9_]+):(\\d+(?:x\\d+)*):T(\\d+)(?::C(\\d+))?");

    public KernelSignature {
        if (!family.matches("[a-z]+")) throw new IllegalArgumentException("family " + family);
        if (!op.isEmpty() && !op.matches("[a-z_]+")) throw new IllegalArgumentException("op " + op);
        dims = List.copyOf(dims);
        if (dims.isEmpty() || dims.stream().anyMatch(d -> d < 1) || tokens < 1 || context < 0) {
            throw new IllegalArgumentException("shape " + dims + " T" + tokens + " C" + context);
        }
    }

    /** A linear signature: N output rows, reduction length K. */
    public KernelSignature(String family, DType dtype, int n, int k, int tokens) {
        this(family, "", dtype, List.of(n, k), tokens, 0);
    }

    public static KernelSignature linear(DType dtype, int n, int k, int tokens) {
        return new KernelSignature("linear", dtype, n, k, tokens);
    }

    /** Paged attention over an F32 KV pool, context bucket {@code context}. */
    public static KernelSignature attention(int heads, int kvHeads, int headDim, int blockSize, int tokens, int context) {
        return attention(DType.F32, heads, kvHeads, headDim, blockSize, tokens, context);
    }

    /** Paged attention over a {@code kvType} (F32 or F16) KV pool, context bucket {@code context}. */
    public static KernelSignature attention(DType kvType, int heads, int kvHeads, int headDim, int blockSize, int tokens, int context) {
        if (context < 1) throw new IllegalArgumentException("context " + context);
        if (kvType != DType.F32 && kvType != DType.F16) throw new IllegalArgumentException("KV type " + kvType);
        return new KernelSignature("attention", "", kvType, List.of(heads, kvHeads, headDim, blockSize), tokens, context);
    }

    /** A fused row kernel {@code op} over rows of width n. */
    public static KernelSignature fused(String op, int n, int tokens) {
        if (op.isEmpty()) throw new IllegalArgumentException("a fused signature needs an op");
        return new KernelSignature("fused", op, DType.F32, List.of(n), tokens, 0);
    }

    /** Linear: output rows; attention: query heads; fused: row width. */
    public int n() { return dims.getFirst(); }

    /** Linear: reduction length; attention: KV heads. */
    public int k() { return dims.get(1); }

    public int dim(int i) { return dims.get(i); }

    public String text() {
        StringBuilder sb = new StringBuilder(family);
        if (!op.isEmpty()) sb.append('/').append(op);
        sb.append(':').append(dtype).append(':');
        for (int i = 0; i < dims.size(); i++) sb.append(i == 0 ? "" : "x").append(dims.get(i));
        sb.append(":T").append(tokens);
        if (context > 0) sb.append(":C").append(context);
        return sb.toString();
    }

    /** Inverse of {@link #text()}; throws IllegalArgumentException on anything else. */
    public static KernelSignature parse(String s) {
        Matcher m = TEXT.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("not a kernel signature: " + s);
        List<Integer> dims = java.util.Arrays.stream(m.group(4).split("x")).map(Integer::valueOf).toList();
        return new KernelSignature(m.group(1), m.group(2) == null ? "" : m.group(2), DType.valueOf(m.group(3)), dims,
                Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
    }

    /** Linear: multiply-adds x 2 of one call (other families define their own cost in their space's features). */
    public double flops() { return 2.0 * n() * k() * tokens; }

    @Override public String toString() { return text(); }
}
