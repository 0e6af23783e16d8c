package dev.ingot.kernel.linear;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.ingot.kernel.KernelProvider;
import dev.ingot.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guards against the Vector API's silent 10x slowdown: once C2 has compiled a kernel, a call must allocate
 * nothing. A vector helper that C2 leaves out of line (node budget, InlineSmallCode) or a vector-valued phi it
 * cannot unbox shows up as bytes allocated per call. Decode (T = 1) runs first and prefill (T = 5: the 4-token
 * tile and the 1-token tile) second, the order a server sees and the one that once left a helper out of
 * line; each phase calls the kernel until C2 has compiled it (allocation drops to zero) or 20 s pass.
 */
class LinearAllocationTest {
    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    void compiledKernelsDoNotAllocate(DType t) {
        LinearKernel k = KernelProvider.get().linear(t);
        int N = 8, K = 512;
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long probe = -mx.getCurrentThreadAllocatedBytes() + mx.getCurrentThreadAllocatedBytes();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = RandomWeights.of(arena, t, N, K, new Random(7));
            for (int T : new int[] {1, 5}) {
                float[] x = new float[T * K], y = new float[T * N];
                long perCall = Long.MAX_VALUE, deadline = System.nanoTime() + 20_000_000_000L;
                while (perCall > 0 && System.nanoTime() < deadline) {
                    for (int i = 0; i < 2000; i++) k.rows(w, K, x, 0, K, y, 0, N, T, null, 0, N);
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 100; i++) k.rows(w, K, x, 0, K, y, 0, N, T, null, 0, N);
                    perCall = (mx.getCurrentThreadAllocatedBytes() - before - probe) / 100;
                }
                assertThat(perCall).as("%s T=%d: bytes allocated per call after warm-up (boxed vectors?)",
                        k.getClass().getSimpleName(), T).isLessThanOrEqualTo(0);
            }
        }
    }
}
