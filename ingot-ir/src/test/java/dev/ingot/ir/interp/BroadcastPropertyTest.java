package dev.ingot.ir.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.testkit.Seeds;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Elementwise broadcasting against a naive per-coordinate evaluation over random shapes. */
class BroadcastPropertyTest {
    /** Logged once; each try derives its Random from it and the case number jqwik reports. */
    private static final long BASE_SEED = Seeds.seed("broadcast");

    @Property(tries = 60)
    void binaryBroadcastMatchesNaiveIndexing(@ForAll @IntRange(min = 0, max = 100_000) int case_) {
        Random r = new Random(BASE_SEED + case_);
        int rank = 1 + r.nextInt(4);
        long[] out = new long[rank];
        for (int d = 0; d < rank; d++) out[d] = 1 + r.nextInt(5);
        long[] a = operand(r, out), b = operand(r, out);
        Tensor ta = Tensor.f32(Seeds.floats(r, (int) Tensor.numel(a), 2), a), tb = Tensor.f32(Seeds.floats(r, (int) Tensor.numel(b), 2), b);
        BinaryKind kind = BinaryKind.values()[r.nextInt(BinaryKind.MIN.ordinal() + 1)];
        Tensor y = OneOp.run((g, v) -> g.binary(kind, v.get(0), v.get(1), null), ta, tb);
        long[] outShape = y.shape();
        long n = y.numel();
        long[] idx = new long[outShape.length];
        for (long i = 0; i < n; i++) {
            // decode i into coordinates, then index each operand right-aligned with size-1 dims pinned to 0
            long rem = i;
            for (int d = outShape.length - 1; d >= 0; d--) { idx[d] = rem % outShape[d]; rem /= outShape[d]; }
            double want = ElementwiseKernels.binary(kind, ta.getDouble(flat(a, idx)), tb.getDouble(flat(b, idx)));
            assertThat(Float.valueOf(y.floats()[(int) i])).as("%s %s x %s at %d (case %d)", kind, java.util.Arrays.toString(a), java.util.Arrays.toString(b), i, case_)
                    .isEqualTo(Float.valueOf((float) want)); // boxed: NaN (pow of a negative base) equals NaN
        }
    }

    /** A random operand shape that broadcasts to {@code out}: a suffix of out's rank with some dims set to 1. */
    private static long[] operand(Random r, long[] out) {
        int rank = r.nextInt(out.length + 1);
        long[] s = new long[rank];
        for (int d = 0; d < rank; d++) s[d] = r.nextInt(3) == 0 ? 1 : out[out.length - rank + d];
        return s;
    }

    private static long flat(long[] shape, long[] outIdx) {
        long off = 0;
        for (int d = 0; d < shape.length; d++) {
            long c = shape[d] == 1 ? 0 : outIdx[outIdx.length - shape.length + d];
            off = off * shape[d] + c;
        }
        return off;
    }
}
