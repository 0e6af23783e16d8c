/**
 * Optional native backend for quantised linear layers: C generated from {@code linear.c.tmpl} with the
 * schedule baked in ({@link dev.ingot.kernel.nativec.NativeSource}), built by the system C compiler into the
 * compile cache directory ({@link dev.ingot.kernel.nativec.NativeToolchain}), called through the FFM API
 * ({@link dev.ingot.kernel.nativec.NativeLinear}), and chosen per shape by measurement against the JVM kernel
 * ({@link dev.ingot.kernel.nativec.KernelSelector}).
 *
 * <p>Why it exists: the Vector API has no int8 dot product (VNNI), so the JVM kernels widen every weight to
 * float. Here activations are quantised to Q8_0 once per call (llama.cpp's scheme) and each 64-byte weight
 * vector meets them in one {@code vpdpbusd} (64 int8 MACs). Register tile: 3 rows x 8 tokens (24 zmm
 * accumulators) for prefill, 3 rows x 1 token for decode and token tails; a CPU without AVX512-VNNI gets a
 * portable C twin. {@link dev.ingot.kernel.nativec.GroupedLinear} is the call site: it quantises activations once
 * per call and splits rows (or 16-row groups of the packed layout, {@code packed.c.tmpl}) over the worker pool.
 *
 * <p>AMX ({@code amx.c.tmpl}, Q8_0, CPUs with AMX-INT8 and an OS that grants the tile state): calls of at least
 * {@link dev.ingot.kernel.nativec.GroupedLinear#AMX_MIN_TOKENS} tokens multiply 16 tokens x 16 rows per tile
 * instruction on the same packed weights (a packed block is a B tile in the VNNI layout); every 32-element block's
 * product is stored and folded with its two scales, which bounds it at ~1.2-1.45x the VNNI kernel in cache.
 *
 * <p>Attention ({@code attention.c.tmpl}, {@link dev.ingot.kernel.nativec.NativeAttention}): the JVM kernel's
 * algorithm with software prefetch across scattered KV blocks; shapes it does not take fall back to the JVM kernel.
 *
 * <p>The schedule (tile, row block, grain of the row split) is a point of the tuner's linear schedule space
 * ({@code dev.ingot.tune.LinearSpace}); the program compiler asks {@code dev.ingot.tune.TunedLinear}, which
 * takes a tuned schedule from the tuning database first and falls back to {@code KernelSelector}'s
 * JVM-vs-native choice between default schedules, recorded in the same database.
 *
 * <p>{@link dev.ingot.kernel.nativec.NativeIntGemm} ({@code igemm.c.tmpl}) is the exact u8 x s8 GEMM of quantised
 * ONNX encoders (called by {@code dev.ingot.kernel.gemm.IntGemm}): 16 x 16 AMX tiles ({@code tdpbusd}, the tile
 * state requested from the OS once per process; {@code -Dingot.amx=off} keeps them off) where the
 * CPU has them, 8-row x 48-column VNNI tiles for tails and other CPUs, a portable C twin elsewhere.
 *
 * <p>{@link dev.ingot.kernel.nativec.NativeSgemm} ({@code sgemm.c.tmpl}) is the F32 GEMM of ONNX encoders (called by
 * {@code dev.ingot.kernel.gemm.Gemm} over the same packed panels as the JVM tiles, bit for bit their result):
 * 12-row x 32-column AVX-512 tiles, A broadcast from memory, B prefetched ahead; the same tiles run encoder
 * attention (scores and weighted values per 12-query-row block, an AVX-512 exp softmax between them). Loaded only
 * where the compiler targets AVX-512 ({@code -Dingot.native.sgemm=off} keeps the JVM kernels).
 *
 * <p>{@code -Dingot.native=off}, or no C compiler, leaves Ingot on the JVM kernels; the reason is logged once.
 */
package dev.ingot.kernel.nativec;
