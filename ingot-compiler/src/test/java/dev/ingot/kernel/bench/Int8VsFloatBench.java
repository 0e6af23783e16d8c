package dev.ingot.kernel.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The prefill design question: Q8_0 weights x 4 tokens, either (a) weights widened to float in registers
 * and FMA'd with float activations (what the kernels do), or (b) activations pre-quantised to int8 (as
 * llama.cpp does), int8 x int8 products in 16-bit lanes and widened to 32-bit sums (the Vector API has no
 * VNNI / pmaddwd, so this is widen B2S + mul + two S2I + add per 32 lanes), one float FMA per block.
 * One row of K = 4096 in L1, 4 tokens, best of many reps; prints ns per row and GFLOP/s for each.
 * Run: {@code java --add-modules jdk.incubator.vector -cp <test classpath> dev.ingot.kernel.bench.Int8VsFloatBench}.
 */
public final class Int8VsFloatBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final int K = 4096, NB = K / 32;

    public static void main(String[] args) {
        if (FloatVector.SPECIES_PREFERRED.length() != 16) {
            System.out.println("needs 512-bit vectors; skipped");
            return;
        }
        Random r = new Random(3);
        MemorySegment w = Arena.global().allocate(34L * NB, 64);
        for (long i = 0; i < w.byteSize(); i++) w.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        for (int b = 0; b < NB; b++) w.set(ValueLayout.JAVA_SHORT_UNALIGNED, 34L * b, Float.floatToFloat16(0.01f));
        float[] x = new float[4 * K];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        byte[] xq = new byte[4 * K];
        float[] xd = new float[4 * NB];
        for (int i = 0; i < xq.length; i++) xq[i] = (byte) (r.nextInt(255) - 127);
        for (int i = 0; i < xd.length; i++) xd[i] = 0.01f;
        float[] out = new float[4];
        for (int round = 0; round < 5; round++) {
            double tf = time(() -> floatPath(w, x, out)), ti = time(() -> int8Path(w, xq, xd, out));
            System.out.printf("Q8_0 x 4 tokens, K=%d: float-FMA %.0f ns (%.1f GFLOP/s)   int8 widen-mul %.0f ns (%.1f GFLOP/s)%n",
                    K, tf, 8.0 * K / tf, ti, 8.0 * K / ti);
        }
    }

    static double time(Runnable body) {
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 200; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) body.run();
            best = Math.min(best, (System.nanoTime() - t0) / 100.0);
        }
        return best;
    }

    /** (a) widen weights to float (scaled by d), FMA into 4 token accumulators. */
    static void floatPath(MemorySegment w, float[] x, float[] out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < NB; b++) {
            long o = 34L * b;
            float d = Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, o));
            for (int p = 0; p < 2; p++) {
                FloatVector wv = ((FloatVector) ByteVector.fromMemorySegment(B16, w, o + 2 + 16 * p, LE)
                        .convertShape(VectorOperators.B2F, F, 0)).mul(d);
                int xp = 32 * b + 16 * p;
                a0 = wv.fma(FloatVector.fromArray(F, x, xp), a0);
                a1 = wv.fma(FloatVector.fromArray(F, x, xp + K), a1);
                a2 = wv.fma(FloatVector.fromArray(F, x, xp + 2 * K), a2);
                a3 = wv.fma(FloatVector.fromArray(F, x, xp + 3 * K), a3);
            }
        }
        out[0] = a0.reduceLanes(VectorOperators.ADD); out[1] = a1.reduceLanes(VectorOperators.ADD);
        out[2] = a2.reduceLanes(VectorOperators.ADD); out[3] = a3.reduceLanes(VectorOperators.ADD);
    }

    /** (b) int8 activations: 32 products in 16-bit lanes, widened to 16 int sums, one float FMA per block. */
    static void int8Path(MemorySegment w, byte[] xq, float[] xd, float[] out) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < NB; b++) {
            long o = 34L * b;
            float d = Float.float16ToFloat(w.get(ValueLayout.JAVA_SHORT_UNALIGNED, o));
            ShortVector ws = (ShortVector) ByteVector.fromMemorySegment(B32, w, o + 2, LE).convertShape(VectorOperators.B2S, S, 0);
            a0 = blockDot(ws, xq, 32 * b).fma(FloatVector.broadcast(F, d * xd[b]), a0);
            a1 = blockDot(ws, xq, K + 32 * b).fma(FloatVector.broadcast(F, d * xd[NB + b]), a1);
            a2 = blockDot(ws, xq, 2 * K + 32 * b).fma(FloatVector.broadcast(F, d * xd[2 * NB + b]), a2);
            a3 = blockDot(ws, xq, 3 * K + 32 * b).fma(FloatVector.broadcast(F, d * xd[3 * NB + b]), a3);
        }
        out[0] = a0.reduceLanes(VectorOperators.ADD); out[1] = a1.reduceLanes(VectorOperators.ADD);
        out[2] = a2.reduceLanes(VectorOperators.ADD); out[3] = a3.reduceLanes(VectorOperators.ADD);
    }

    private static FloatVector blockDot(ShortVector ws, byte[] xq, int off) {
        ShortVector xs = (ShortVector) ByteVector.fromArray(B32, xq, off).convertShape(VectorOperators.B2S, S, 0);
        ShortVector prod = ws.mul(xs); // |q_w * q_x| <= 128 * 127 fits in 16 bits
        IntVector sum = ((IntVector) prod.convertShape(VectorOperators.S2I, I, 0)).add((IntVector) prod.convertShape(VectorOperators.S2I, I, 1));
        return (FloatVector) sum.convert(VectorOperators.I2F, 0);
    }
}
