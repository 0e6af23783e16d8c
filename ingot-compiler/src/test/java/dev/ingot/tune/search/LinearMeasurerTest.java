package dev.ingot.tune.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.LinearSchedule;
import dev.ingot.tune.LinearSpace;
import org.junit.jupiter.api.Test;

/**
 * The real linear measurer: a decode shape is timed on weights flushed from the caches before every call (where
 * the native backend builds the flush), a prefill shape on warm ones; both give finite, paired measurements.
 */
class LinearMeasurerTest {
    @Test
    void decodeShapesAreTimedOnColdWeights() {
        NativeBackend backend = NativeBackend.get();
        try (WorkerPool pool = new WorkerPool(2); LinearMeasurer m = new LinearMeasurer(pool, backend, null)) {
            LinearSpace space = LinearSpace.here(2, backend);
            KernelSignature decode = KernelSignature.linear(DType.Q8_0, 512, 256, 1), prefill = KernelSignature.linear(DType.Q8_0, 512, 256, 16);
            for (KernelSignature sig : new KernelSignature[] {decode, prefill}) {
                LinearSchedule a = space.defaults(sig).getFirst();
                Measurement one = m.measure(sig, a);
                assertThat(one.ns()).as("%s", sig.text()).isPositive();
                boolean cold = m.call(sig, a).before() != null;
                assertThat(cold).as("%s flushed before each call", sig.text())
                        .isEqualTo(sig.tokens() <= LinearMeasurer.COLD_TOKENS && backend.cacheFlush().isPresent());
                Measurer.Pair p = m.measurePair(sig, a, a);
                assertThat(p.ratio()).as("a schedule against itself").isBetween(0.5, 2.0);
            }
        }
    }
}
