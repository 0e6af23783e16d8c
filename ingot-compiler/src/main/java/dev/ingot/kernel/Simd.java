package dev.ingot.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every SIMD kernel uses, fixed once per JVM so C2 constant-folds them.
 * {@code F} is the machine's preferred float shape (512 bits on AVX-512, 256 on AVX2); {@code B}, {@code S}
 * and {@code I} have the same lane count {@link #L} so a load of L bytes/shorts widens to one float vector.
 * Only touch this class after {@link KernelProvider} has checked that the vector module is present.
 */
public final class Simd {
    private Simd() {}

    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Float lanes per vector: 16 on AVX-512, 8 on AVX2. Kernels support exactly 8 and 16. */
    public static final int L = F.length();
    public static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** L bytes (128 bits when L = 16): one load widens (B2I / B2F) to a full float vector. */
    public static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : ByteVector.SPECIES_64;
    /** L shorts (256 bits when L = 16), for F16/BF16 weights. */
    public static final VectorSpecies<Short> S = L >= 8 ? VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16)) : ShortVector.SPECIES_64;

    /** Null when the SIMD kernels can run here, else why not (for the provider's log). */
    public static String unsupportedReason() {
        if (L != 8 && L != 16) return "preferred float vector has " + L + " lanes (" + F.vectorBitSize() + " bits); SIMD kernels need 8 or 16";
        return null;
    }
}
