package dev.ingot.model.quant;

import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.tensor.quant.QuantTypes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which type each tensor of a GGUF model is stored in when quantising, following llama-quantize
 * (src/llama-quant.cpp) for the llama-family tensor names:
 * <ul>
 * <li>Quantisable tensors: at least 2-D, name ending in {@code weight}, not a norm
 *     ({@code _norm.weight}), not an MoE router ({@code ffn_gate_inp.weight}), not a position/type
 *     embedding, stored in a type we can decode. 1-D float tensors become F32; the rest are copied.</li>
 * <li>A plain type ({@code q8_0}, {@code q4_k}, {@code f16}, ...) is applied to every quantisable tensor,
 *     like {@code llama-quantize --pure}.</li>
 * <li>The mixes {@code q4_k_m} / {@code q5_k_m} use Q4_K / Q5_K except: {@code output.weight} (or
 *     {@code token_embd.weight} when embeddings are tied) takes Q6_K (Q8_0 if its rows are not whole
 *     256-blocks); {@code attn_v}/{@code attn_qkv}/{@code attn_kv_b} and {@code ffn_down} take Q6_K in the
 *     layers where {@code use_more_bits(i, n) = i < n/8 || i >= 7n/8 || (i - n/8) % 3 == 2}.</li>
 * <li>Rows that are not whole blocks fall back per {@link QuantTypes#forRow}.</li>
 * </ul>
 */
public final class QuantRecipe {
    private static final Pattern LAYER = Pattern.compile("^blk\\.(\\d+)\\.");

    private final String name;
    private final DType base;
    private final boolean kMix;
    private final int fileType;

    private QuantRecipe(String name, DType base, boolean kMix, int fileType) {
        this.name = name;
        this.base = base;
        this.kMix = kMix;
        this.fileType = fileType;
    }

    /** {@code q4_k_m}, {@code q5_k_m}, or any weight type name accepted by {@link QuantTypes#parse}. */
    public static QuantRecipe parse(String recipe) {
        String r = recipe.trim().toLowerCase(Locale.ROOT);
        return switch (r) {
            case "q4_k_m" -> new QuantRecipe(r, DType.Q4_K, true, 15);
            case "q5_k_m" -> new QuantRecipe(r, DType.Q5_K, true, 17);
            default -> {
                try {
                    DType t = QuantTypes.parse(r);
                    yield new QuantRecipe(r, t, false, QuantTypes.fileType(t));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + ", q4_k_m, q5_k_m");
                }
            }
        };
    }

    public String name() { return name; }

    /** The main weight type. */
    public DType base() { return base; }

    /** The llama_ftype to record as {@code general.file_type}. */
    public int fileType() { return fileType; }

    /** The output type of every tensor, in the order given (equal to the input type: copy unchanged). */
    public List<DType> types(List<GgufTensorInfo> tensors, long blockCount) {
        boolean tied = tensors.stream().noneMatch(t -> t.name().equals("output.weight"));
        long nAttnV = tensors.stream().filter(t -> isAttnV(t.name())).count();
        List<DType> out = new ArrayList<>(tensors.size());
        for (GgufTensorInfo t : tensors) {
            long[] ne = t.ne();
            boolean decodable = Dequant.supports(t.type());
            if (ne.length == 1 && decodable && t.type().isFloatingPoint()) {
                out.add(DType.F32);
            } else if (!quantisable(t) || !decodable) {
                out.add(t.type());
            } else {
                out.add(QuantTypes.forRow(mixed(t.name(), ne[0], tied, nAttnV, blockCount), ne[0]));
            }
        }
        return out;
    }

    private DType mixed(String n, long rowLength, boolean tied, long nAttnV, long blockCount) {
        if (!kMix) return base;
        if (n.equals("output.weight") || (tied && n.equals("token_embd.weight"))) {
            return rowLength % base.blockSize() != 0 ? DType.Q8_0 : DType.Q6_K;
        }
        if (isAttnV(n) && useMoreBits(layer(n), nAttnV)) return DType.Q6_K;
        if (n.contains("ffn_down") && useMoreBits(layer(n), blockCount)) return DType.Q6_K;
        return base;
    }

    /** llama.cpp's use_more_bits: the first and last eighth of the layers and every third in between. */
    static boolean useMoreBits(long i, long n) {
        return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
    }

    private static boolean isAttnV(String n) {
        return n.contains("attn_v.weight") || n.contains("attn_qkv.weight") || n.contains("attn_kv_b.weight");
    }

    // llama-quantize visits tensors sorted by layer, so its per-category counters equal the layer number
    // for models with one such tensor per layer; we use the layer number directly.
    private static long layer(String n) {
        Matcher m = LAYER.matcher(n);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    static boolean quantisable(GgufTensorInfo t) {
        String n = t.name();
        return t.ne().length >= 2 && n.endsWith("weight") && !n.contains("_norm.weight")
                && !n.contains("ffn_gate_inp.weight") && !n.equals("position_embd.weight")
                && !n.equals("token_types.weight");
    }
}
