/**
 * F32 GEMM for many rows at once: {@code C [M, N] = A [M, K] . W^T} with {@code W [N, K]} constant (ONNX encoder
 * linears at M = batch x tokens = 16 .. 4096), the BLAS way rather than the LLM kernels' dot-product way.
 *
 * <ul>
 *   <li><b>Layout</b> ({@link dev.ingot.kernel.gemm.PackedB}): W is repacked once into column panels of
 *   {@code NR} outputs, k-major inside a panel ({@code panel[k][j] = W[p*NR + j][k]}), the last panel padded with
 *   zeros. A panel is one sequential stream; each step of k loads {@code NR} weights as whole vectors and needs no
 *   horizontal sum.</li>
 *   <li><b>Register tile</b> ({@link dev.ingot.kernel.gemm.VectorGemm}): {@code MR = 8} rows x {@code NR = 2}
 *   vectors (32 floats on AVX-512), 16 accumulators; per k two vector loads of W, eight broadcasts of A and sixteen
 *   FMAs, so the kernel is FMA-bound, not load-bound (8 rows also divide every encoder shape: 16, 128, 4096 tokens).
 *   Row tails use 4- and 1-row tiles.</li>
 *   <li><b>Blocking and threads</b> ({@link dev.ingot.kernel.gemm.Gemm}): k is cut into blocks of 256 (a panel slice
 *   of 32 KiB stays in L1 while every row tile of the task runs over it; tiles of later blocks continue their FMA
 *   chains from C, so the per-output order is unchanged); work is split into tasks of
 *   (row block, panel group) sized so that the row block of A and the group's panels each stay within ~L2/4,
 *   handed out dynamically by the {@link dev.ingot.kernel.parallel.WorkerPool}. Small M keeps every row in one
 *   block so the weights stream from memory once per call.</li>
 *   <li><b>Numerics</b>: each output is a sequential fused multiply-add chain over k in float, per lane; the
 *   scalar twin ({@link dev.ingot.kernel.gemm.ScalarGemm}) computes the same chain with {@code Math.fma}, so both
 *   agree bit for bit; tests also compare against a double-precision reference.</li>
 *   <li><b>Native</b> ({@code dev.ingot.kernel.nativec.NativeSgemm}, AVX-512 C, {@link dev.ingot.kernel.gemm.Gemm#nativeKernel}): the
 *   same panels, blocking and FMA chains on 12 x 32 tiles, one downcall per task; bit for bit the JVM result.</li>
 * </ul>
 * <p>{@link dev.ingot.kernel.gemm.IntGemm} is the exact integer twin for quantised encoders (ONNX MatMulInteger):
 * weights {@link dev.ingot.kernel.gemm.IntGemmWeights} (integers, each row within a range of 255, stored as s8 plus
 * a per-row offset, packed once into the VNNI/AMX layout), activation rows made u8 plus an offset per call, the
 * offsets removed as int32 corrections, results {@code (float)} of the exact int32 sum; with an
 * {@link dev.ingot.kernel.gemm.IntGemm.Quant} the prep also applies dynamic quantisation to float activations. Native
 * ({@code dev.ingot.kernel.nativec.NativeIntGemm}: AMX tiles, AVX512-VNNI, portable C) or the JVM twin.
 * The LLM path keeps {@code dev.ingot.kernel.linear} (decode is a matrix-vector product over quantised blocks).
 */
package dev.ingot.kernel.gemm;
