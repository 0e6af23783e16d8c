/**
 * Scalar reference codecs for the GGML block formats, bit-exact with llama.cpp (ggml-quants.c):
 * {@link dev.ingot.tensor.quant.Dequant#row} matches {@code dequantize_row_*} and
 * {@link dev.ingot.tensor.quant.Quantize#row} matches {@code quantize_row_*_ref} (llama-quantize's path
 * without an importance matrix). Java float arithmetic is IEEE binary32 without contraction, like ggml's
 * SSE code, so each codec repeats the C expressions in the same order ({@code d * sc * q} is
 * {@code (d*sc)*q}). fp16 conversions round to nearest even ({@link java.lang.Float#floatToFloat16});
 * {@code nearest_int} is the 1.5*2^23 trick (round half to even); Q8_0's {@code roundf} rounds half away
 * from zero.
 *
 * <p>{@link dev.ingot.tensor.quant.VecDot} reproduces llama.cpp's CPU dot products with activations
 * quantised to the weight's vec-dot type (Q8_0 for Q4_0/Q5_0/Q8_0, Q8_1 for Q4_1/Q5_1, Q8_K for the
 * k-quants, F16 for F16), bit for bit with the generic C code. {@link dev.ingot.tensor.quant.QuantTypes}
 * holds llama-quantize's type policy and {@link dev.ingot.tensor.quant.RowPipeline} encodes rows in
 * parallel, in order.
 *
 * <h2>Formats</h2>
 * All multi-byte fields are little-endian; "f16" is an IEEE half. Blocks of a row are contiguous and a row
 * is a whole number of blocks. Element indices are within the block.
 *
 * <h3>32-element blocks (family class {@code LegacyQuants})</h3>
 * <pre>
 * Q4_0 (18 B): d f16 | qs[16]          x[j] = ((qs[j]&amp;15) - 8)*d, x[j+16] = ((qs[j]&gt;&gt;4) - 8)*d
 * Q4_1 (20 B): d f16 | m f16 | qs[16]  x[j] = (qs[j]&amp;15)*d + m,  x[j+16] = (qs[j]&gt;&gt;4)*d + m
 * Q5_0 (22 B): d f16 | qh u32 | qs[16] 5th bit of element j is bit j of qh; x = (q - 16)*d
 * Q5_1 (24 B): d f16 | m f16 | qh u32 | qs[16]                     x = q*d + m
 * Q8_0 (34 B): d f16 | qs[32] int8     x[j] = qs[j]*d
 * Q8_1 (36 B): d f16 | s f16 | qs[32]  s = d*sum(qs) (used by dot products only)
 * </pre>
 * Quantisation: Q4_0/Q5_0 take d = max/-8 (/-16) where max is the signed value of largest magnitude,
 * q = min(15, (int)(x/d + 8.5)); Q4_1/Q5_1 take d = (max-min)/15 (/31), m = min; Q8_0 d = amax/127,
 * q = roundf(x/d).
 *
 * <h3>256-element super-blocks (k-quants)</h3>
 * <pre>
 * Q2_K ( 84 B): scales[16] (lo nibble scale, hi nibble min) | qs[64] 2-bit | d f16 | dmin f16
 * Q3_K (110 B): hmask[32] | qs[64] low 2 bits | scales[12] 6-bit (value-32) | d f16
 * Q4_K (144 B): d f16 | dmin f16 | scales[12] (8 x 6-bit scale + 8 x 6-bit min) | qs[128] 4-bit
 * Q5_K (176 B): d f16 | dmin f16 | scales[12] | qh[32] 5th bits | qs[128] low 4 bits
 * Q6_K (210 B): ql[128] low 4 bits | qh[64] high 2 bits | scales[16] int8 | d f16
 * Q8_K (292 B): d f32 | qs[256] int8 | bsums[16] int16 (sums of 16 consecutive qs)
 * </pre>
 * Q4_K/Q5_K: 8 sub-blocks of 32, x = d*sc*q - dmin*m; scales bytes 0-3 hold sc0-3 (6 bits) + the top two
 * bits of sc4-7, bytes 4-7 the same for mins, bytes 8-11 low nibbles of sc4-7 | mins4-7 &lt;&lt; 4.
 * Sub-block pairs (2k, 2k+1) share 32 qs bytes: low nibbles are sub-block 2k, high nibbles 2k+1;
 * Q5_K's qh[l] bit 2k / 2k+1 is the fifth bit. Q2_K/Q3_K/Q6_K use 16 sub-blocks of 16 and pack each
 * 128-element half as 32 bytes (ql/qs byte l holds elements l, l+32, l+64, l+96). Q3_K's hmask[j%32]
 * bit j/32 set means the level is not reduced by 4.
 *
 * <p>Quantisers: Q4_K/Q5_K use {@code make_qkx2_quants} per sub-block (weights sqrt(mean x^2)+|x|,
 * 21/16 candidate scales), Q6_K {@code make_qx_quants} (rmse type 1, 19 candidate scales), Q3_K
 * {@code make_q3_quants}, Q2_K {@code make_qkx2_quants} with absolute-error weights; every k-quant then
 * re-rounds each value with the stored (fp16 and 6/8-bit) scales.
 */
package dev.ingot.tensor.quant;
