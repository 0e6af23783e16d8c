package dev.ingot.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.model.config.ModelConfig;
import dev.ingot.testkit.Seeds;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A tiny llama: hidden 8, 2 heads of 4, 1 KV head, 1 layer, vocab 5, FFN 16. */
    static final String CONFIG = """
            {"architectures": ["LlamaForCausalLM"], "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,
             "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 5, "rms_norm_eps": 1e-5,
             "max_position_embeddings": 64, "tie_word_embeddings": true}""";

    @TempDir Path dir;

    private static float[] seq(int n, float start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = start + i;
        return a;
    }

    /** Two shards plus index and config, as `save_pretrained(max_shard_size=...)` lays them out. */
    private Path shardedCheckpoint() throws IOException {
        new SafetensorsTestFiles()
                .f32("model.embed_tokens.weight", new long[] {5, 8}, seq(40, 0))
                .f32("model.layers.0.self_attn.q_proj.weight", new long[] {8, 8}, seq(64, 100))
                .f32("model.layers.0.self_attn.k_proj.weight", new long[] {4, 8}, seq(32, 200))
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsTestFiles()
                .f32("model.layers.0.input_layernorm.weight", new long[] {8}, seq(8, 1))
                .f32("model.norm.weight", new long[] {8}, seq(8, 2))
                .write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX), """
                {"metadata": {"total_size": 608}, "weight_map": {
                  "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                  "model.layers.0.self_attn.q_proj.weight": "model-00001-of-00002.safetensors",
                  "model.layers.0.self_attn.k_proj.weight": "model-00001-of-00002.safetensors",
                  "model.layers.0.input_layernorm.weight": "model-00002-of-00002.safetensors",
                  "model.norm.weight": "model-00002-of-00002.safetensors"}}""");
        Files.writeString(dir.resolve("config.json"), CONFIG);
        return dir;
    }

    @Test
    void opensShardedCheckpointWithConfigAndGgufNames() throws IOException {
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(shardedCheckpoint())) {
            assertThat(c.shards()).hasSize(2);
            assertThat(c.tensors()).hasSize(5);
            SafetensorsTensorInfo norm = c.tensor("model.norm.weight").orElseThrow();
            assertThat(c.data(norm).getAtIndex(F32, 7)).isEqualTo(9f);
            assertThat(c.data(c.tensor("model.embed_tokens.weight").orElseThrow()).getAtIndex(F32, 39)).isEqualTo(39f);
            ModelConfig cfg = ModelConfig.fromHfConfig(c.configJson().orElseThrow());
            assertThat(cfg.headCount()).isEqualTo(2);
            assertThat(cfg.tiedEmbeddings()).isTrue();
            assertThat(c.tensors().stream().map(t -> HfTensorNames.toGguf(t.name()).orElseThrow()))
                    .containsExactlyInAnyOrder("token_embd.weight", "blk.0.attn_q.weight", "blk.0.attn_k.weight",
                            "blk.0.attn_norm.weight", "output_norm.weight");
            assertThat(HfTensorNames.permutationHeads(cfg, "blk.0.attn_q.weight")).hasValue(2);
            assertThat(HfTensorNames.permutationHeads(cfg, "blk.0.attn_k.weight")).hasValue(1);
            assertThat(HfTensorNames.permutationHeads(cfg, "blk.0.attn_v.weight")).isEmpty();
        }
    }

    @Test
    void directoryWithoutIndexAndSingleFileOpen() throws IOException {
        Path f = new SafetensorsTestFiles().f32("lm_head.weight", new long[] {1, 2}, 1, 2).write(dir.resolve("model.safetensors"));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThat(c.tensors()).hasSize(1);
        }
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(f)) {
            assertThat(c.tensor("lm_head.weight")).isPresent();
            assertThat(c.configJson()).isEmpty();
        }
    }

    @Test
    void badIndexesAreClearErrors() throws IOException {
        shardedCheckpoint();
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("shard model-00002-of-00002.safetensors named in model.safetensors.index.json is missing");
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX), """
                {"weight_map": {"x.weight": "model-00001-of-00002.safetensors"}}""");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).hasMessageContaining("maps 'x.weight' to model-00001-of-00002.safetensors but it is not there");
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX), """
                {"weight_map": {"x.weight": "../escape.safetensors"}}""");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).hasMessageContaining("invalid shard name");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(empty)).hasMessageContaining("no *.safetensors files");
    }

    @Test
    void nameMapping() {
        assertThat(HfTensorNames.toGguf("model.embed_tokens.weight")).hasValue("token_embd.weight");
        assertThat(HfTensorNames.toGguf("lm_head.weight")).hasValue("output.weight");
        assertThat(HfTensorNames.toGguf("model.norm.weight")).hasValue("output_norm.weight");
        assertThat(HfTensorNames.toGguf("model.layers.0.self_attn.q_proj.weight")).hasValue("blk.0.attn_q.weight");
        assertThat(HfTensorNames.toGguf("model.layers.11.self_attn.k_proj.bias")).hasValue("blk.11.attn_k.bias");
        assertThat(HfTensorNames.toGguf("model.layers.3.self_attn.v_proj.weight")).hasValue("blk.3.attn_v.weight");
        assertThat(HfTensorNames.toGguf("model.layers.3.self_attn.o_proj.weight")).hasValue("blk.3.attn_output.weight");
        assertThat(HfTensorNames.toGguf("model.layers.3.input_layernorm.weight")).hasValue("blk.3.attn_norm.weight");
        assertThat(HfTensorNames.toGguf("model.layers.3.post_attention_layernorm.weight")).hasValue("blk.3.ffn_norm.weight");
        assertThat(HfTensorNames.toGguf("model.layers.3.mlp.gate_proj.weight")).hasValue("blk.3.ffn_gate.weight");
        assertThat(HfTensorNames.toGguf("model.layers.3.mlp.up_proj.weight")).hasValue("blk.3.ffn_up.weight");
        assertThat(HfTensorNames.toGguf("model.layers.3.mlp.down_proj.weight")).hasValue("blk.3.ffn_down.weight");
        assertThat(HfTensorNames.toGguf("model.layers.3.self_attn.rotary_emb.inv_freq")).isEmpty();
        assertThat(HfTensorNames.toGguf("vision_tower.x.weight")).isEmpty();
    }

    /**
     * The point of the permutation: NORM rope (adjacent pairs) applied to the output of the permuted weight
     * equals HF's rotate_half rope (pairs i, i + d/2) applied to the original output, row for row.
     */
    @Test
    void permutedWeightsWithNormRopeEqualHfRope() {
        Random rnd = Seeds.random("qk-permutation");
        int heads = 3, d = 8, in = 5, rows = heads * d, pos = 7;
        double theta = 10000;
        float[] w = Seeds.floats(rnd, rows * in, 1);
        float[] x = Seeds.floats(rnd, in, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hf = arena.allocateFrom(ValueLayout.JAVA_FLOAT, w);
            MemorySegment gguf = arena.allocate(hf.byteSize());
            QkPermutation.hfToGguf(hf, gguf, rows, heads);
            float[] qHf = matvec(w, x, rows, in);
            float[] qGguf = matvec(gguf.toArray(ValueLayout.JAVA_FLOAT), x, rows, in);
            double[] ropedHf = new double[rows], ropedGguf = new double[rows];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < d / 2; i++) {
                    double ang = pos * Math.pow(theta, -2.0 * i / d), c = Math.cos(ang), s = Math.sin(ang);
                    int a = h * d + i, b = h * d + i + d / 2; // HF: halves
                    ropedHf[a] = qHf[a] * c - qHf[b] * s;
                    ropedHf[b] = qHf[b] * c + qHf[a] * s;
                    int e = h * d + 2 * i, o = e + 1; // GGUF NORM: adjacent pairs
                    ropedGguf[e] = qGguf[e] * c - qGguf[o] * s;
                    ropedGguf[o] = qGguf[o] * c + qGguf[e] * s;
                }
            }
            for (int r = 0; r < rows; r++) {
                assertThat(ropedGguf[(int) QkPermutation.ggufRow(r, rows, heads)]).as("row " + r).isCloseTo(ropedHf[r],
                        org.assertj.core.api.Assertions.within(1e-5));
            }
            MemorySegment back = arena.allocate(hf.byteSize());
            QkPermutation.ggufToHf(gguf, back, rows, heads);
            assertThat(back.mismatch(hf)).isEqualTo(-1);
        }
    }

    private static float[] matvec(float[] w, float[] x, int rows, int in) {
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) for (int k = 0; k < in; k++) y[r] += w[r * in + k] * x[k];
        return y;
    }
}
