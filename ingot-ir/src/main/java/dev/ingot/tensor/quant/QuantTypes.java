package dev.ingot.tensor.quant;

import dev.ingot.tensor.DType;

import java.util.Locale;

/**
 * Choosing storage types the way llama-quantize does: names, fallbacks for rows that are not a whole
 * number of blocks, and the {@code general.file_type} (llama_ftype) to record.
 */
public final class QuantTypes {
    private QuantTypes() {}

    /**
     * The type a row of {@code rowLength} elements is stored in when {@code wanted} is asked for. Like
     * llama.cpp, a k-quant whose 256-element super-blocks do not fit falls back to the 32-block type of
     * similar size (Q2_K/Q3_K -> Q4_0, Q4_K -> Q5_0, Q5_K -> Q5_1, Q6_K -> Q8_0); when 32 does not divide
     * the row either, F16.
     */
    public static DType forRow(DType wanted, long rowLength) {
        if (rowLength % wanted.blockSize() == 0) return wanted;
        DType fallback = switch (wanted) {
            case Q2_K, Q3_K -> DType.Q4_0;
            case Q4_K -> DType.Q5_0;
            case Q5_K -> DType.Q5_1;
            case Q6_K, Q8_K -> DType.Q8_0;
            default -> DType.F16;
        };
        return rowLength % fallback.blockSize() == 0 ? fallback : DType.F16;
    }

    /** Parses a user-facing type name ({@code q8_0}, {@code Q4_K}, {@code f16}, ...). */
    public static DType parse(String name) {
        DType t;
        try {
            t = DType.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown type '" + name + "'; expected one of " + weightTypeNames());
        }
        if (!isWeightType(t)) {
            throw new IllegalArgumentException("type '" + name + "' cannot hold weights; expected one of " + weightTypeNames());
        }
        return t;
    }

    /** Types a weight file may be written in (Q8_1/Q8_K are activation formats, llama.cpp does not store them). */
    public static boolean isWeightType(DType t) {
        return Quantize.supports(t) && t != DType.Q8_1 && t != DType.Q8_K;
    }

    public static String weightTypeNames() {
        StringBuilder sb = new StringBuilder();
        for (DType t : DType.values()) {
            if (isWeightType(t)) sb.append(sb.isEmpty() ? "" : ", ").append(t.name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /**
     * The llama_ftype recorded as {@code general.file_type} for a file whose weights are mostly {@code t}.
     * Uniform k-quant files are recorded as the "_S" variants (llama.cpp's closest mix).
     */
    public static int fileType(DType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q2_K -> 10;
            case Q3_K -> 11; // Q3_K_S
            case Q4_K -> 14; // Q4_K_S
            case Q5_K -> 16; // Q5_K_S
            case Q6_K -> 18;
            case BF16 -> 32;
            default -> throw new IllegalArgumentException("no llama_ftype for " + t);
        };
    }
}
