package dev.ingot.tune.search;

import dev.ingot.tune.Gene;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.Schedule;
import dev.ingot.tune.ScheduleSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Breeds candidate schedules from the best measured ones (the parents): tournament selection, uniform
 * crossover of two parents' genes, and mutation that moves a gene's value index by +-1 (sometimes +-2, or a
 * fresh random value), plus random immigrants to keep exploring. Works on value indices so any family's space
 * plugs in; invalid offspring (the space decodes them to null) and already measured schedules are dropped.
 */
final class Evolution<S extends Schedule> {
    private final ScheduleSpace<S> space;
    private final SplittableRandom rnd;

    Evolution(ScheduleSpace<S> space, SplittableRandom rnd) {
        this.space = space;
        this.rnd = rnd;
    }

    /** A random valid schedule, or null after 200 invalid draws. */
    S random(KernelSignature sig) {
        for (int i = 0; i < 200; i++) {
            S s = space.decode(sig, randomGenes());
            if (s != null) return s;
        }
        return null;
    }

    /**
     * Up to {@code size} distinct new schedules (text not in {@code measured}) bred from {@code parents},
     * best first (parents[0] is the fastest).
     */
    List<S> offspring(KernelSignature sig, List<S> parents, Set<String> measured, int size) {
        Map<String, S> out = new LinkedHashMap<>();
        for (int attempt = 0; attempt < size * 20 && out.size() < size; attempt++) {
            double p = rnd.nextDouble();
            int[] g;
            if (parents.isEmpty() || p < 0.15) {
                g = randomGenes();
            } else if (p < 0.55 || parents.size() < 2) {
                g = mutate(space.encode(tournament(parents)), 1.0);
            } else {
                g = mutate(crossover(space.encode(tournament(parents)), space.encode(tournament(parents))), 0.3);
            }
            S s = space.decode(sig, g);
            if (s != null && !measured.contains(s.text())) out.putIfAbsent(s.text(), s);
        }
        return new ArrayList<>(out.values());
    }

    /** The better of two random parents (list order = rank). */
    private S tournament(List<S> parents) {
        int a = rnd.nextInt(parents.size()), b = rnd.nextInt(parents.size());
        return parents.get(Math.min(a, b));
    }

    private int[] crossover(int[] a, int[] b) {
        int[] c = a.clone();
        for (int i = 0; i < c.length; i++) if (rnd.nextBoolean()) c[i] = b[i];
        return c;
    }

    /** With probability {@code rate}, changes at least one gene; each further gene changes with probability 1/genes. */
    private int[] mutate(int[] g, double rate) {
        if (rnd.nextDouble() >= rate) return g;
        List<Gene> genes = space.genes();
        int forced = rnd.nextInt(genes.size());
        for (int i = 0; i < g.length; i++) {
            if (i != forced && rnd.nextDouble() >= 1.0 / genes.size()) continue;
            int n = genes.get(i).size();
            double m = rnd.nextDouble();
            int step = m < 0.6 ? 1 : m < 0.85 ? 2 : 0;
            if (step == 0) g[i] = rnd.nextInt(n);
            else g[i] = Math.max(0, Math.min(n - 1, g[i] + (rnd.nextBoolean() ? step : -step)));
        }
        return g;
    }

    private int[] randomGenes() {
        List<Gene> genes = space.genes();
        int[] g = new int[genes.size()];
        for (int i = 0; i < g.length; i++) g[i] = rnd.nextInt(genes.get(i).size());
        return g;
    }
}
