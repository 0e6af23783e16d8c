package dev.ingot.compiler.program;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * A compiled forward program for one shape bucket: a list of steps over one activation arena. Symbols may take
 * any value up to the bucket's bounds; the caller binds int inputs and KV-cache segments by name, then runs.
 * Stateful (arena, bound inputs): one program per executing thread.
 */
public final class Program {
    private final List<Step> steps;
    private final MemoryPlan plan;
    private final Map<String, Long> bounds;
    private final Map<String, Integer> intSlots;
    private final Map<String, Integer> segmentSlots;
    private final int output;
    private final String outputLabel;
    private final dev.ingot.ir.shape.Dim outRows;
    private final int outCols;
    private final Frame frame;
    // -Dingot.profile=true: nanoseconds per step summed over runs (one nanoTime pair per step; off by default)
    private static final boolean PROFILE = Boolean.getBoolean("ingot.profile");
    private final long[] stepNanos;
    private long runs, tokens;

    Program(List<Step> steps, MemoryPlan plan, Map<String, Long> bounds, Map<String, Integer> intSlots,
            Map<String, Integer> segmentSlots, int output, String outputLabel, dev.ingot.ir.shape.Dim outRows, int outCols) {
        this.steps = List.copyOf(steps);
        this.plan = plan;
        this.bounds = Map.copyOf(bounds);
        this.intSlots = Map.copyOf(intSlots);
        this.segmentSlots = Map.copyOf(segmentSlots);
        this.output = output;
        this.outputLabel = outputLabel;
        this.outRows = outRows;
        this.outCols = outCols;
        this.frame = new Frame((int) plan.peakFloats(), plan.offsets(), intSlots.size(), segmentSlots.size());
        this.stepNanos = PROFILE ? new long[this.steps.size()] : null;
    }

    /** Binds an int input ({@code tokens}, {@code block_tables} row-major, ...); its used length follows the symbols. */
    public void bindInts(String name, int[] data) { frame.ints[slot(intSlots, name)] = data; }

    /** Binds a segment input (a layer's KV cache). */
    public void bindSegment(String name, MemorySegment data) { frame.segments[slot(segmentSlots, name)] = data; }

    private static int slot(Map<String, Integer> slots, String name) {
        Integer s = slots.get(name);
        if (s == null) throw new IllegalArgumentException("program has no input '" + name + "' (has " + slots.keySet() + ")");
        return s;
    }

    /**
     * Runs on {@code arena} (at least {@link #arenaFloats()} long) instead of a private one: programs of several
     * buckets that never run at the same time can share the largest bucket's arena.
     */
    public void bindArena(float[] arena) {
        if (arena.length < frame.arenaFloats) {
            throw new IllegalArgumentException("arena of " + arena.length + " floats; this program needs " + frame.arenaFloats);
        }
        frame.arena = arena;
    }

    /** Floats of arena this program needs. */
    public int arenaFloats() { return frame.arenaFloats; }

    /** Runs every step under {@code binding} (each symbol at most its bound) and returns the output. */
    public FloatView run(Map<String, Long> binding) {
        for (var e : bounds.entrySet()) {
            Long v = binding.get(e.getKey());
            if (v == null) throw new IllegalArgumentException("symbol " + e.getKey() + " is not bound");
            if (v < 0 || v > e.getValue()) {
                throw new IllegalArgumentException("symbol " + e.getKey() + " = " + v + " exceeds this program's bucket bound " + e.getValue());
            }
        }
        frame.binding = binding;
        frame.newRun();
        if (frame.arena == null) frame.arena = new float[frame.arenaFloats];
        if (stepNanos == null) {
            for (Step s : steps) s.run(frame);
        } else {
            long t = System.nanoTime();
            for (int i = 0; i < stepNanos.length; i++) {
                steps.get(i).run(frame);
                long now = System.nanoTime();
                stepNanos[i] += now - t;
                t = now;
            }
            runs++;
            tokens += binding.getOrDefault("T", 1L);
        }
        return new FloatView(frame.arena, frame.off(output), (int) outRows.eval(binding), outCols);
    }

    public Map<String, Long> bounds() { return bounds; }

    public int stepCount() { return steps.size(); }

    /** Arena size in bytes. */
    public long arenaBytes() { return plan.peakFloats() * 4; }

    /**
     * With {@code -Dingot.profile=true}: time per run and per token, and the steps' share of it, grouped by step
     * kind with layer numbers folded ({@code linear blk.*.attn_q ...}); null when profiling is off or before a run.
     */
    public String profile() {
        if (stepNanos == null || runs == 0) return null;
        Map<String, long[]> byKind = new java.util.TreeMap<>();
        long total = 0;
        for (int i = 0; i < stepNanos.length; i++) {
            String kind = steps.get(i).describe().replaceAll("\\.\\d+", ".*");
            long[] a = byKind.computeIfAbsent(kind, k -> new long[2]);
            a[0] += stepNanos[i];
            a[1]++;
            total += stepNanos[i];
        }
        StringBuilder sb = new StringBuilder(String.format("profile %s: %d runs, %.3f ms/run, %.1f tokens/run, %.1f us/token%n",
                bounds, runs, total / 1e6 / runs, (double) tokens / runs, total / 1e3 / tokens));
        long all = total;
        byKind.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).forEach(e ->
                sb.append(String.format("  %5.1f%%  %8.3f ms/run  x%-3d %s%n", 100.0 * e.getValue()[0] / all,
                        e.getValue()[0] / 1e6 / runs, e.getValue()[1], e.getKey())));
        return sb.toString();
    }

    /** Step listing and memory plan, as {@code -Dingot.debug=2} prints it. */
    public String listing() {
        StringBuilder sb = new StringBuilder("program " + bounds + " -> " + outputLabel + "\n");
        for (int i = 0; i < steps.size(); i++) sb.append(String.format("  %4d  %s%n", i, steps.get(i).describe()));
        return sb.append(plan.describe()).toString();
    }
}
