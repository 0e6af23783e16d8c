package dev.ingot.model.quant;

import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantRecipeTest {

    static GgufTensorInfo t(String name, DType type, long... ne) {
        return new GgufTensorInfo(name, type, ne, 0, 0);
    }

    /** A 16-layer llama with an untied output, dim 2048 (rows are whole 256-blocks). */
    static List<GgufTensorInfo> llama16(boolean tied) {
        List<GgufTensorInfo> ts = new ArrayList<>();
        ts.add(t("token_embd.weight", DType.F16, 2048, 32000));
        for (int l = 0; l < 16; l++) {
            ts.add(t("blk." + l + ".attn_norm.weight", DType.F32, 2048));
            ts.add(t("blk." + l + ".attn_v.weight", DType.F16, 2048, 512));
            ts.add(t("blk." + l + ".ffn_down.weight", DType.F16, 8192, 2048));
            ts.add(t("blk." + l + ".ffn_up.weight", DType.F16, 2048, 8192));
        }
        ts.add(t("output_norm.weight", DType.F32, 2048));
        if (!tied) ts.add(t("output.weight", DType.F16, 2048, 32000));
        return ts;
    }

    static DType typeOf(List<GgufTensorInfo> ts, List<DType> types, String name) {
        for (int i = 0; i < ts.size(); i++) if (ts.get(i).name().equals(name)) return types.get(i);
        throw new AssertionError("no tensor " + name);
    }

    @Test
    void q4KmUsesQ6KWhereLlamaQuantizeDoes() {
        List<GgufTensorInfo> ts = llama16(false);
        List<DType> types = QuantRecipe.parse("q4_k_m").types(ts, 16);
        // use_more_bits(i, 16): i < 2, i >= 14, (i - 2) % 3 == 2 -> layers 0, 1, 4, 7, 10, 13, 14, 15
        List<Integer> q6 = new ArrayList<>();
        for (int l = 0; l < 16; l++) {
            DType v = typeOf(ts, types, "blk." + l + ".attn_v.weight");
            DType down = typeOf(ts, types, "blk." + l + ".ffn_down.weight");
            assertThat(down).as("ffn_down %d", l).isEqualTo(v);
            if (v == DType.Q6_K) q6.add(l);
            else assertThat(v).isEqualTo(DType.Q4_K);
        }
        assertThat(q6).containsExactly(0, 1, 4, 7, 10, 13, 14, 15);
        assertThat(types.get(0)).as("token_embd (untied)").isEqualTo(DType.Q4_K);
        assertThat(types.getLast()).as("output.weight").isEqualTo(DType.Q6_K);
        assertThat(types.get(1)).as("norms stay F32").isEqualTo(DType.F32);
        assertThat(types.get(4)).as("ffn_up").isEqualTo(DType.Q4_K);
        // tied: token_embd is the output matrix
        assertThat(QuantRecipe.parse("q5_k_m").types(llama16(true), 16).getFirst()).isEqualTo(DType.Q6_K);
    }

    @Test
    void pureTypesAndFallbacks() {
        List<GgufTensorInfo> ts = List.of(t("token_embd.weight", DType.F32, 896, 1000), t("blk.0.ffn_norm.weight", DType.F16, 896),
                t("blk.0.ffn_gate_inp.weight", DType.F32, 896, 8), t("blk.0.attn_q.weight", DType.Q8_0, 896, 896),
                t("blk.0.odd.weight", DType.F32, 100, 4));
        assertThat(QuantRecipe.parse("q4_k").types(ts, 1))
                .containsExactly(DType.Q5_0, DType.F32, DType.F32, DType.Q5_0, DType.F16);
        assertThat(QuantRecipe.parse("Q8_0").types(ts, 1))
                .containsExactly(DType.Q8_0, DType.F32, DType.F32, DType.Q8_0, DType.F16);
        // output rows of 896 are not 256-blocks: the mix stores them as Q8_0 (llama.cpp's output rule)
        assertThat(QuantRecipe.parse("q4_k_m").types(ts, 1).getFirst()).isEqualTo(DType.Q8_0);
        assertThat(QuantRecipe.parse("q4_k_m").fileType()).isEqualTo(15);
        assertThatThrownBy(() -> QuantRecipe.parse("q3_k_xl")).hasMessageContaining("q4_k_m");
    }

    @Test
    void useMoreBitsMatchesLlamaCpp() {
        assertThat(QuantRecipe.useMoreBits(1, 2)).isTrue();   // tiny-llama-spm Q4_K_M: blk.1 gets Q6_K
        assertThat(QuantRecipe.useMoreBits(0, 2)).isFalse();
        assertThat(QuantRecipe.useMoreBits(5, 24)).isTrue();  // (5 - 3) % 3 == 2
        assertThat(QuantRecipe.useMoreBits(6, 24)).isFalse();
    }
}
