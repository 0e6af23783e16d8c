package dev.ingot.kernel.nativec;

import dev.ingot.tensor.DType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Generates the C source of one native linear kernel: the templates {@code linear.c.tmpl} (row-major VNNI),
 * {@code packed.c.tmpl} (x16-packed VNNI) and {@code amx.c.tmpl} (AMX tiles, Q8_0 where the CPU has AMX-INT8), next
 * to this class in the resources, with the weight dtype and the schedule baked in as constants, so gcc fully unrolls the
 * register tile and keeps its accumulators in zmm registers.
 *
 * @param dtype    Q8_0 or Q4_0
 * @param rows     rows per register tile (RT); accumulators = rows x tokens, at most 24 so that with the
 *                 rows' weight and scale vectors they fit the 32 zmm registers
 * @param tokens   tokens per register tile (TT); each weight vector is loaded once per tile and reused TT times
 * @param rowBlock rows per cache block: all token tiles pass over a block's weights while they sit in L2
 * @param packedGroups  packed kernels' prefill tile: 16-row groups (PG, {@code packed.c.tmpl})
 * @param packedTokens  packed kernels' prefill tile: tokens (PT)
 * @param decodeGroups  packed kernels' decode (T = 1) tile: 16-row groups (DG)
 */
public record NativeSource(DType dtype, int rows, int tokens, int rowBlock, int packedGroups, int packedTokens, int decodeGroups) {
    public NativeSource {
        if (!supports(dtype)) throw new IllegalArgumentException("no native linear kernel for " + dtype);
        if (rows < 1 || tokens < 1 || rows * tokens > 24) throw new IllegalArgumentException("tile " + rows + "x" + tokens);
        if (rowBlock < rows) throw new IllegalArgumentException("rowBlock " + rowBlock + " < rows " + rows);
        if (packedGroups < 1 || packedTokens < 1 || decodeGroups < 1 || packedGroups > 8 || packedTokens > 16 || decodeGroups > 8) {
            throw new IllegalArgumentException("packed tile " + packedGroups + "x" + packedTokens + ", decode " + decodeGroups);
        }
    }

    /** The row-major kernel's schedule with the default packed tiles. */
    public NativeSource(DType dtype, int rows, int tokens, int rowBlock) {
        this(dtype, rows, tokens, rowBlock, PACKED_GROUPS, PACKED_TOKENS, DECODE_GROUPS);
    }

    /** The default kernel with the packed kernels' prefill tile {@code groups x tokens} and decode tile {@code decodeGroups} (tuner schedules). */
    public static NativeSource packed(DType dtype, int groups, int tokens, int decodeGroups) {
        NativeSource d = of(dtype);
        return new NativeSource(dtype, d.rows(), d.tokens(), d.rowBlock(), groups, tokens, decodeGroups);
    }

    /**
     * The default schedule: 3 rows x 8 tokens (24 accumulators), 24-row cache blocks. Measured with
     * {@code ScheduleSweep} (2048 x 2048, T = 128, one core, best of reps, busy host), GFLOP/s Q8_0 / Q4_0:
     * 3x8 182 / 165, 2x8 181 / 161, 4x6 172 / -, 4x4 160 / 145, 6x4 163 / -, 8x2 133 / -, 2x12 113 / 97.
     */
    public static NativeSource of(DType dtype) { return new NativeSource(dtype, 3, 8, 24); }

    public static boolean supports(DType t) { return t == DType.Q8_0 || t == DType.Q4_0; }

    /** The exported entry point, e.g. {@code ingot_linear_q8_0_3x8_24} ({@code _p2x4d2} appended for non-default packed tiles). */
    public String symbol() {
        String packed = packedGroups == PACKED_GROUPS && packedTokens == PACKED_TOKENS && decodeGroups == DECODE_GROUPS ? ""
                : "_p" + packedGroups + "x" + packedTokens + "d" + decodeGroups;
        return "ingot_linear_" + dtype.name().toLowerCase() + "_" + rows + "x" + tokens + "_" + rowBlock + packed;
    }

    /**
     * Prefill register tile of the packed kernels: 1 row group (16 rows) x 8 tokens. Measured single core,
     * 2048 x 2048, T = 128 (GFLOP/s Q8_0 / Q4_0): 1x8 436 / 464, 3x4 351 / 366, 2x4 338 / 314, 2x6 268 / 294.
     */
    public static final int PACKED_GROUPS = 1, PACKED_TOKENS = 8;
    /** Decode tile of the packed kernels: 4 row groups (8 independent vpdpbusd chains hide its latency). */
    public static final int DECODE_GROUPS = 4;

    public String text() {
        return (TEMPLATE + PACKED + AMX).replace("@PGROUPS@", Integer.toString(packedGroups))
                .replace("@PTOKS@", Integer.toString(packedTokens)).replace("@DGROUPS@", Integer.toString(decodeGroups)).replace("@DTYPE@", dtype.name()).replace("@ROWS@", Integer.toString(rows))
                .replace("@TOKS@", Integer.toString(tokens)).replace("@ROWBLOCK@", Integer.toString(rowBlock))
                .replace("@SYMBOL@", symbol());
    }

    private static final String TEMPLATE = load("linear.c.tmpl"), PACKED = load("packed.c.tmpl"), AMX = load("amx.c.tmpl");

    /** A short hash of the templates: tuned native schedules are measured against one version of the kernel code. */
    public static String templateHash() { return NativeToolchain.sha256(TEMPLATE + PACKED + AMX).substring(0, 12); }

    static String load(String name) {
        try (InputStream in = NativeSource.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
