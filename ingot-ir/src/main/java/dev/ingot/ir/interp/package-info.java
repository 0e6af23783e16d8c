/**
 * The reference interpreter: the numerical definition of every graph op and the oracle that compiled kernels
 * and model builders are tested against. Obviously correct over fast.
 *
 * <p>Semantics:
 * <ul>
 *   <li><b>Running.</b> {@link dev.ingot.ir.interp.Interpreter#run} takes inputs by name as
 *   {@link dev.ingot.ir.interp.Tensor}s and an optional symbol binding; symbols appearing as bare dims of inputs
 *   are bound from the tensors' sizes. Weights are read in place from their segments (quantised rows are
 *   dequantised bit-exactly as llama.cpp through {@code dev.ingot.tensor.quant.Dequant}). Dead intermediates are
 *   freed; {@code Options.keepAll()} / {@code keeping(names)} keep them for {@code Result.value(name)};
 *   {@code -Dingot.debug=interp} traces each node with min/max/mean/rms.</li>
 *   <li><b>Precision.</b> Elementwise float math, reductions, dot products, norms, RoPE angles, softmax and
 *   attention are computed in double and rounded once to the output dtype (F16/BF16: round to nearest even).
 *   Integer arithmetic is exact in long (DIV truncates, MOD is floor modulo). GELU uses the exact formulas
 *   (no lookup table, unlike some llama.cpp builds); erf is accurate to ~1e-14.</li>
 *   <li><b>Linear</b> defaults to the definition (dequantised weights × F32 activations, double accumulation).
 *   {@code Options.withLinearMode(LLAMA_CPP)} instead quantises activations as llama.cpp's CPU backend does
 *   before quantised/F16 dot products, to compare logits with llama.cpp closely (the two differ by NMSE ~1e-5 on
 *   Q8_0, more on 4-bit types).</li>
 *   <li><b>Broadcasting</b> is numpy's: right-aligned, size-1 dims stretch.</li>
 *   <li><b>Softmax</b> subtracts the row maximum; a row that is entirely -inf (fully masked) yields zeros.</li>
 *   <li><b>KV cache.</b> {@code kv_write} updates the cache tensor in place (the caller's input tensor) and
 *   returns it; the pre-write cache value must have no later use (checked). Negative slots are skipped, slots
 *   beyond capacity fail.</li>
 *   <li><b>Paged attention</b> reads positions 0..positions[t] of token t's sequence through its block table
 *   (block ids checked against the pool), with GQA head mapping h / (H / Hkv). Out-of-range sequence ids,
 *   positions not below the sequence length, and block ids outside the pool fail with the token named.</li>
 *   <li><b>Comparing against the oracle</b> ({@link dev.ingot.ir.interp.Compare}): compiled F32 kernels accumulate
 *   in float, so compare with a bound chosen per op and written next to the test: exact for data movement and
 *   integer ops; elementwise atol/rtol ~1e-6; reductions, norms and dot products with a tolerance growing with
 *   the reduced length; quantised matmul and whole models by NMSE (llama.cpp's test-backend-ops uses 1e-7).</li>
 *   <li><b>Errors</b> name the node as printed (e.g. {@code %12 = rms_norm(...)}) and the offending value.</li>
 * </ul>
 */
package dev.ingot.ir.interp;
