/**
 * The compiled executor for general graph IR (what the ONNX importer produces): any graph the reference
 * interpreter runs, run fast where a lowering exists and by the interpreter's own op semantics where not.
 *
 * <p>Contract ({@link dev.ingot.compiler.graphexec.GraphExecutor}):
 * <ul>
 *   <li><b>Once per graph</b>: passes {@code fold-constants}, {@code encoder-patterns}
 *   ({@link dev.ingot.compiler.graphexec.EncoderRewrites}: decomposed LayerNorm to {@code layer_norm},
 *   {@code softmax(q kT / c + mask) v} to {@code attention}, {@code matmul} by a constant F32 [K, N] to
 *   {@code linear} with the weight repacked to [N, K], and the integer patterns of dynamic quantisation to F32 ops
 *   and {@code linear}, {@link dev.ingot.compiler.graphexec.QuantRewrites}; BERT's exported GELU to {@code gelu_erf}),
 *   {@code cse}, {@code dce}; then
 *   elementwise fusion and code generation of every fused group ({@code dev.ingot.compiler.pass}, kernels generic
 *   in the symbols, through the compile cache). The optimised graph is plain IR: the interpreter runs it too, and
 *   tests check it against the original.</li>
 *   <li><b>Once per binding</b> of the symbols (e.g. batch_size, sequence_length): {@code Lowering} turns the fusion
 *   plan into steps over one F32 arena planned by liveness ({@code dev.ingot.compiler.program.MemoryPlan}). F32
 *   values live in the arena, other dtypes (ids, masks) as interpreter tensors in slots. Reshapes alias;
 *   transposes are strided views, copied only for a consumer that needs them laid out (attention reads its q, k, v
 *   views directly and writes its output in the layout of the transpose after it). Plans are cached per binding
 *   (LRU), so nothing is lowered or compiled on the hot path after warm-up.</li>
 *   <li><b>Steps</b>: {@code linear} with an F32 weight on the packed GEMM ({@code dev.ingot.kernel.gemm}: the weight
 *   repacked into panels once per compiled graph, shared by every plan; other dtypes on {@code dev.ingot.kernel.linear});
 *   {@code linear} whose F32 weight holds only integers with each row spanning at most 255 (what the quantised
 *   rewrite makes of {@code W - zw}) on the exact int32 GEMM instead ({@code IntGemm}: u8 x s8 on AMX / AVX512-VNNI,
 *   a JVM twin without a C compiler; {@code -Dingot.graphexec.intgemm=false} keeps the float GEMM), a fused group
 *   that is exactly dynamic quantisation and feeds only such linears folded into their prep
 *   ({@link dev.ingot.compiler.graphexec.QuantPrologue}: no step of its own), F32 linears and attention on the
 *   native AVX-512 tiles where they build ({@code NativeSgemm}), with the bias add, bias + GELU or bias + residual
 *   add after an F32 linear done in its GEMM's stores ({@code LinearLowering}: the same roundings, no step of their
 *   own),
 *   {@code reduce_min} and {@code reduce_max} of one tensor (dynamic quantisation's statistics) as one pass,
 *   LayerNorm and attention kernels of this package (Vector API, 4-query-row tiles, scalar tails), generated fused
 *   groups (split by rows across the pool when their loop IR is row-affine, {@code RowSplit}; weights they read are
 *   off-heap copies, as C2 intrinsifies vector loads only for the segment kind it profiled), row gathers
 *   (embeddings), reductions (split across the pool), broadcast arithmetic, one-element arithmetic in plain Java
 *   ({@code ScalarStep}), reshapes of id/mask tensors as views, and for every other op a {@code FallbackStep}
 *   running the reference interpreter on a one-node graph (slow, but every graph still runs; one whose inputs are
 *   constants or the binding, like position ids, runs once per plan).</li>
 *   <li><b>Numerics</b>: float accumulation (the interpreter accumulates in double): fp32 encoders agree to
 *   ~1e-6; quantised graphs keep the integer semantics exactly except that a float-rounded statistic can move an
 *   element across a quantisation step; their products are exact int32 sums converted to float once, equal to the
 *   interpreter's double accumulation rounded to float.</li>
 *   <li><b>Threads</b>: {@code run} is serialised per executor (a plan owns its arena); kernels use the caller's
 *   pool. {@code -Dingot.graphexec.profile=true} times every step ({@code GraphExecutor.profile()}: totals per step
 *   kind, then the slowest steps, {@code -Dingot.graphexec.profile.steps=N} of them; {@code resetProfile()} after a
 *   warm-up);
 *   {@code -Dingot.debug=2} prints each plan's steps and memory plan.</li>
 * </ul>
 */
package dev.ingot.compiler.graphexec;
