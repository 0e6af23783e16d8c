package dev.ingot.tune;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule of the paged attention family as {@code ParallelAttention} runs it. Text forms:
 * {@code jvm units=4} and {@code native units=4 prefetch=1}.
 *
 * @param nativeBackend  the AVX-512 C kernel ({@code NativeAttention}) instead of the JVM's {@code VectorAttention}
 * @param unitsPerThread work units per worker thread the (token, KV-head group) items are cut into; 0 = all on
 *                       the calling thread (no pool dispatch)
 * @param prefetch       native only: blocks ahead whose K/V rows are software-prefetched (0 = none); JVM: 0
 */
public record AttentionSchedule(boolean nativeBackend, int unitsPerThread, int prefetch) implements Schedule {
    private static final Pattern TEXT = Pattern.compile("(jvm|native) units=(\\d+)(?: prefetch=(\\d+))?");

    public AttentionSchedule {
        if (unitsPerThread < 0 || prefetch < 0) throw new IllegalArgumentException("units " + unitsPerThread + " prefetch " + prefetch);
        if (!nativeBackend && prefetch != 0) throw new IllegalArgumentException("the JVM kernel has no prefetch distance");
    }

    public static AttentionSchedule jvm(int unitsPerThread) { return new AttentionSchedule(false, unitsPerThread, 0); }

    public static AttentionSchedule nativeKernel(int unitsPerThread, int prefetch) {
        return new AttentionSchedule(true, unitsPerThread, prefetch);
    }

    @Override
    public String text() {
        return nativeBackend ? "native units=" + unitsPerThread + " prefetch=" + prefetch : "jvm units=" + unitsPerThread;
    }

    /** Inverse of {@link #text()}. */
    public static AttentionSchedule parse(String s) {
        Matcher m = TEXT.matcher(s);
        if (!m.matches() || m.group(1).equals("native") == (m.group(3) == null)) {
            throw new IllegalArgumentException("not an attention schedule: " + s);
        }
        int units = Integer.parseInt(m.group(2));
        return m.group(1).equals("jvm") ? jvm(units) : nativeKernel(units, Integer.parseInt(m.group(3)));
    }

    @Override public String toString() { return text(); }
}
