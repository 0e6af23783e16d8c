package dev.ingot.compiler.graphexec;

import dev.ingot.compiler.program.MemoryPlan;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A graph lowered for one binding of its symbols: the steps, one arena holding every F32 intermediate at offsets
 * planned by liveness ({@link MemoryPlan}), and the slots of non-F32 values. Stateful (the arena is reused by
 * every run), so runs of one plan must not overlap; {@link GraphExecutor} serialises them.
 */
final class Plan {
    private final List<Step> steps;
    private final Frame frame;
    private final Map<String, Integer> inputSlots;
    private final List<Loc> outputs;
    private final List<long[]> outputShapes = new ArrayList<>();
    private final MemoryPlan memory;

    Plan(Lowering lw, List<Value> outputValues, Map<String, Long> binding) {
        List<MemoryPlan.Buffer> buffers = new ArrayList<>();
        for (Loc.Buf b : lw.bufs) buffers.add(new MemoryPlan.Buffer(b.id, b.label, b.floats, b.first, b.last));
        this.memory = MemoryPlan.plan(buffers);
        int[] off = memory.offsets();
        for (Loc.Buf b : lw.bufs) b.off = off[b.id];
        float[] arena = new float[(int) memory.peakFloats()];
        for (Step s : lw.steps) if (s instanceof DataSteps.Group g) g.bind(arena);
        this.steps = List.copyOf(lw.steps);
        this.nanos = new long[steps.size()];
        this.frame = new Frame(arena, lw.slots, binding);
        lw.fixedSlots.forEach((slot, t) -> frame.slots[slot] = t);
        this.inputSlots = Map.copyOf(lw.inputSlots);
        this.outputs = List.copyOf(lw.outputs);
        for (Value v : outputValues) outputShapes.add(v.shape().eval(binding));
    }

    List<Tensor> run(Map<String, Tensor> inputs) {
        inputSlots.forEach((name, slot) -> frame.slots[slot] = inputs.get(name));
        if (PROFILE) {
            for (int i = 0; i < steps.size(); i++) {
                long t0 = System.nanoTime();
                steps.get(i).run(frame);
                nanos[i] += System.nanoTime() - t0;
            }
            runs++;
        } else {
            for (Step s : steps) s.run(frame);
        }
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            long[] shape = outputShapes.get(i);
            Loc l = outputs.get(i);
            out.add(switch (l) {
                case Loc.Slot s -> frame.slots[s.index()];
                case Loc.Seg s -> Tensor.f32(FallbackStep.read(frame, new Loc.Slot(-1), shape).floats(), shape);
                default -> FallbackStep.read(frame, l, shape);
            });
        }
        return out;
    }

    /** {@code -Dingot.graphexec.profile=true}: time every step; {@link #profile()} lists the slowest. */
    private static final boolean PROFILE = Boolean.getBoolean("ingot.graphexec.profile");
    /** How many of the slowest steps the profile lists ({@code -Dingot.graphexec.profile.steps=N}). */
    private static final int PROFILE_STEPS = Integer.getInteger("ingot.graphexec.profile.steps", 25);
    private final long[] nanos;
    private int runs;

    /** The steps by total time over the runs so far (profiling on), slowest first, as text. */
    String profile() {
        StringBuilder sb = new StringBuilder();
        Integer[] order = new Integer[steps.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
        long total = java.util.Arrays.stream(nanos).sum();
        sb.append(String.format("%d runs, %.2f ms per run%n", runs, total / 1e6 / Math.max(1, runs)));
        // by kind: the step's first word, and a fused group's op chain
        Map<String, long[]> kinds = new java.util.TreeMap<>();
        for (int i = 0; i < order.length; i++) {
            String d = steps.get(i).describe().replace(" (rows split)", ""); // keep the op chain of split groups
            int sp = d.indexOf(' '), par = d.lastIndexOf(" (");
            String kind = (sp < 0 ? d : d.substring(0, sp)) + (d.startsWith("fused") && par > 0 ? d.substring(par) : "");
            long[] acc = kinds.computeIfAbsent(kind, x -> new long[2]);
            acc[0] += nanos[i];
            acc[1]++;
        }
        kinds.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(16).forEach(e ->
                sb.append(String.format("  %6.2f ms %5.1f%%  %3d x %s%n", e.getValue()[0] / 1e6 / Math.max(1, runs),
                        100.0 * e.getValue()[0] / Math.max(1, total), e.getValue()[1], e.getKey())));
        sb.append("  slowest steps:\n");
        for (int k = 0; k < Math.min(PROFILE_STEPS, order.length); k++) {
            int i = order[k];
            sb.append(String.format("  %6.2f ms %5.1f%%  %s%n", nanos[i] / 1e6 / Math.max(1, runs), 100.0 * nanos[i] / Math.max(1, total), steps.get(i).describe()));
        }
        return sb.toString();
    }

    /** Forgets the step times so far (e.g. after a warm-up). */
    void resetProfile() {
        java.util.Arrays.fill(nanos, 0);
        runs = 0;
    }

    /** Steps and memory plan, for {@code --debug 2}. */
    String listing() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) sb.append(String.format("  %4d  %s%n", i, steps.get(i).describe()));
        return sb.append(memory.describe()).toString();
    }

    int stepCount() { return steps.size(); }

    long arenaFloats() { return memory.peakFloats(); }
}
