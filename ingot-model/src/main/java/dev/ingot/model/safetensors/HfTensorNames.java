package dev.ingot.model.safetensors;

import dev.ingot.model.config.ModelConfig;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face tensor names to GGUF names for llama and qwen2 checkpoints (as llama.cpp's
 * {@code convert_hf_to_gguf.py} / {@code gguf-py tensor_mapping.py} map them):
 * <pre>
 *   model.embed_tokens.weight                    -> token_embd.weight
 *   model.norm.weight                            -> output_norm.weight
 *   lm_head.weight                               -> output.weight
 *   model.layers.N.input_layernorm.weight        -> blk.N.attn_norm.weight
 *   model.layers.N.self_attn.{q,k,v,o}_proj.X    -> blk.N.attn_{q,k,v,output}.X   (X = weight | bias)
 *   model.layers.N.post_attention_layernorm.weight -> blk.N.ffn_norm.weight
 *   model.layers.N.mlp.{gate,up,down}_proj.weight  -> blk.N.ffn_{gate,up,down}.weight
 *   model.layers.N.self_attn.rotary_emb.inv_freq -> (dropped: recomputed from the config)
 * </pre>
 * Shapes carry over unchanged: a HF Linear weight {@code [out, in]} is GGUF {@code ne = [in, out]}.
 *
 * <p><b>Q/K permutation (llama only).</b> HF llama applies rope to halves {@code (x[i], x[i + d/2])} of
 * each head; GGUF llama uses adjacent pairs {@code (x[2i], x[2i+1])}. llama.cpp's converter therefore
 * permutes the output rows of {@code q_proj} (with the head count) and {@code k_proj} (with the KV head
 * count): within each head, HF row {@code j*d/2 + i} becomes GGUF row {@code 2i + j}. Because q and k are
 * permuted alike, attention scores are unchanged and NORM rope on the permuted weights equals HF's rope.
 * {@link #permutationHeads} says when a tensor needs it and {@link QkPermutation} applies it; a loader
 * must apply it to llama {@code attn_q}/{@code attn_k} when reading a HF checkpoint. qwen2 keeps HF order
 * and uses NEOX rope.
 */
public final class HfTensorNames {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");

    private HfTensorNames() {}

    /** The GGUF name of a HF tensor; empty for tensors that are dropped or unknown. */
    public static Optional<String> toGguf(String hf) {
        switch (hf) {
            case "model.embed_tokens.weight": return Optional.of("token_embd.weight");
            case "model.norm.weight": return Optional.of("output_norm.weight");
            case "lm_head.weight": return Optional.of("output.weight");
            default: break;
        }
        Matcher m = LAYER.matcher(hf);
        if (!m.matches()) return Optional.empty();
        String rest = m.group(2);
        String suffix = rest.endsWith(".weight") ? "weight" : rest.endsWith(".bias") ? "bias" : null;
        if (suffix == null) return Optional.empty();
        String module = rest.substring(0, rest.length() - suffix.length() - 1);
        String gguf = switch (module) {
            case "input_layernorm" -> "attn_norm";
            case "post_attention_layernorm" -> "ffn_norm";
            case "self_attn.q_proj" -> "attn_q";
            case "self_attn.k_proj" -> "attn_k";
            case "self_attn.v_proj" -> "attn_v";
            case "self_attn.o_proj" -> "attn_output";
            case "mlp.gate_proj" -> "ffn_gate";
            case "mlp.up_proj" -> "ffn_up";
            case "mlp.down_proj" -> "ffn_down";
            default -> null;
        };
        return gguf == null ? Optional.empty() : Optional.of("blk." + m.group(1) + "." + gguf + "." + suffix);
    }

    private static final Pattern BLOCK = Pattern.compile("blk\\.(\\d+)\\.(\\w+)\\.(weight|bias)");

    /** The inverse of {@link #toGguf}: the HF name of a GGUF tensor; empty for names without a HF counterpart. */
    public static Optional<String> toHf(String gguf) {
        switch (gguf) {
            case "token_embd.weight": return Optional.of("model.embed_tokens.weight");
            case "output_norm.weight": return Optional.of("model.norm.weight");
            case "output.weight": return Optional.of("lm_head.weight");
            default: break;
        }
        Matcher m = BLOCK.matcher(gguf);
        if (!m.matches()) return Optional.empty();
        String module = switch (m.group(2)) {
            case "attn_norm" -> "input_layernorm";
            case "ffn_norm" -> "post_attention_layernorm";
            case "attn_q" -> "self_attn.q_proj";
            case "attn_k" -> "self_attn.k_proj";
            case "attn_v" -> "self_attn.v_proj";
            case "attn_output" -> "self_attn.o_proj";
            case "ffn_gate" -> "mlp.gate_proj";
            case "ffn_up" -> "mlp.up_proj";
            case "ffn_down" -> "mlp.down_proj";
            default -> null;
        };
        return module == null ? Optional.empty() : Optional.of("model.layers." + m.group(1) + "." + module + "." + m.group(3));
    }

    /**
     * The head count to permute a tensor's rows with when converting HF to GGUF order: the query head count
     * for llama {@code attn_q}, the KV head count for llama {@code attn_k}; empty otherwise.
     */
    public static OptionalInt permutationHeads(ModelConfig config, String ggufName) {
        if (!config.architecture().equals("llama")) return OptionalInt.empty();
        if (ggufName.matches("blk\\.\\d+\\.attn_q\\.(weight|bias)")) return OptionalInt.of(config.headCount());
        if (ggufName.matches("blk\\.\\d+\\.attn_k\\.(weight|bias)")) return OptionalInt.of(config.headCountKv());
        return OptionalInt.empty();
    }
}
