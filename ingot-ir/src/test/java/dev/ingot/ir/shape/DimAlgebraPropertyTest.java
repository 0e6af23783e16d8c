package dev.ingot.ir.shape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.testkit.Seeds;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Canonical form over random expressions: ring laws give equal dims, printing parses back, evaluation agrees. */
class DimAlgebraPropertyTest {
    /** Logged once; each try derives its Random from it and the case number jqwik reports. */
    private static final long BASE_SEED = Seeds.seed("dim-algebra");

    private static final String[] SYMS = {"T", "S", "B", "batch"};

    /** A random expression of depth <= d over symbols and small constants, with exact quotients by constants. */
    static Dim random(Random r, int d) {
        if (d == 0 || r.nextInt(3) == 0) {
            return r.nextBoolean() ? Dim.sym(SYMS[r.nextInt(SYMS.length)]) : Dim.of(r.nextInt(9) - 2);
        }
        Dim a = random(r, d - 1), b = random(r, d - 1);
        return switch (r.nextInt(4)) {
            case 0 -> a.plus(b);
            case 1 -> a.minus(b);
            case 2 -> a.times(b);
            default -> a.times(6).div(2 + r.nextInt(2)); // 6a/2 or 6a/3: always exact
        };
    }

    @Property(tries = 300)
    void ringLawsHoldAndTextRoundTrips(@ForAll @IntRange(min = 0, max = 1_000_000) int case_) {
        Random r = new Random(BASE_SEED + case_);
        Dim a = random(r, 3), b = random(r, 3), c = random(r, 3);
        assertThat(a.plus(b).times(c)).isEqualTo(a.times(c).plus(b.times(c)));
        assertThat(a.times(b).times(c)).isEqualTo(a.times(b.times(c)));
        assertThat(a.plus(b).minus(b)).isEqualTo(a);
        assertThat(a.times(b)).isEqualTo(b.times(a));
        // opaque quotients (not divisible symbolically) must print and parse back too
        Dim q = a.times(3).plus(1).div(Dim.sym("S").plus(2));
        Dim p = Dim.sym("batch size").div(4).times(c);
        assertThat(q.times(c)).isEqualTo(c.times(q));
        for (Dim d : new Dim[] {a, b, a.times(b).plus(c), q.times(c).plus(a), p.plus(q)}) assertThat(Dim.parse(d.toString())).as("parse(%s)", d).isEqualTo(d);
        Map<String, Long> env = Map.of("T", (long) r.nextInt(50), "S", (long) r.nextInt(50), "B", (long) r.nextInt(50), "batch", (long) r.nextInt(50));
        assertThat(a.plus(b).times(c).eval(env)).isEqualTo((a.eval(env) + b.eval(env)) * c.eval(env));
    }
}
