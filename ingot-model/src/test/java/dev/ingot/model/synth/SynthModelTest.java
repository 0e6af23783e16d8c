package dev.ingot.model.synth;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.testkit.Seeds;
import dev.ingot.testkit.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SynthModelTest {

    @TempDir
    Path dir;

    static Path synth(Path out, String preset, DType type, long seed, int threads) throws IOException {
        SynthModel m = SynthModel.create(Presets.get(preset), type, seed, "synthetic " + preset, null);
        SynthWriter.write(m, out, threads, done -> {});
        return out;
    }

    @Test
    void tinyLlamaHasLlamaCppMetadataShapesAndTypes() throws IOException {
        long seed = Seeds.seed("synth-tiny-llama");
        SynthConfig c = Presets.get("tiny-llama");
        try (GgufFile f = GgufFile.open(synth(dir.resolve("t.gguf"), "tiny-llama", DType.Q8_0, seed, 2))) {
            assertThat(f.architecture()).isEqualTo("llama");
            assertThat(f.integer("llama.embedding_length").getAsLong()).isEqualTo(c.dim());
            assertThat(f.integer("llama.block_count").getAsLong()).isEqualTo(c.layers());
            assertThat(f.integer("llama.attention.head_count").getAsLong()).isEqualTo(c.heads());
            assertThat(f.integer("llama.attention.head_count_kv").getAsLong()).isEqualTo(c.kvHeads());
            assertThat(f.integer("llama.feed_forward_length").getAsLong()).isEqualTo(c.ffn());
            assertThat(f.integer("llama.context_length").getAsLong()).isEqualTo(c.ctx());
            assertThat(f.integer("llama.rope.dimension_count").getAsLong()).isEqualTo(c.headDim());
            assertThat(f.number("llama.rope.freq_base").getAsDouble()).isEqualTo(10000.0);
            assertThat(f.number("llama.attention.layer_norm_rms_epsilon").getAsDouble()).isCloseTo(1e-5, within(1e-9));
            assertThat(f.integer("general.file_type").getAsLong()).isEqualTo(7);
            assertThat(f.stringArray("tokenizer.ggml.tokens")).hasSize(c.vocab()).startsWith("<unk>", "<s>", "</s>", "<0x00>");
            assertThat(f.string("tokenizer.ggml.model")).contains("llama");

            assertThat(f.tensors()).hasSize(1 + 9 * c.layers() + 2);
            assertThat(f.tensor("token_embd.weight").orElseThrow().ne()).containsExactly(64, 512);
            assertThat(f.tensor("output.weight").orElseThrow().type()).isEqualTo(DType.Q8_0);
            GgufTensorInfo k = f.tensor("blk.1.attn_k.weight").orElseThrow();
            assertThat(k.ne()).containsExactly(64, 32); // kv_heads 2 * head_dim 16
            assertThat(k.type()).isEqualTo(DType.Q8_0);
            assertThat(f.tensor("blk.0.ffn_down.weight").orElseThrow().ne()).containsExactly(192, 64);
            assertThat(f.tensor("blk.0.ffn_norm.weight").orElseThrow().type()).isEqualTo(DType.F32);
            assertThat(f.tensor("rope_freqs.weight")).isEmpty();

            // statistics per spec (the Irwin-Hall normal has exact mean 0 and variance 1)
            Stats w = stats(f, "blk.0.ffn_up.weight"), n = stats(f, "blk.1.attn_norm.weight");
            assertThat(w.mean).as("weight mean").isCloseTo(0, within(3 * 0.02 / Math.sqrt(w.n)));
            assertThat(w.std).as("weight std").isCloseTo(0.02, within(0.02 * 0.03));
            assertThat(n.mean).as("norm mean").isCloseTo(1, within(4 * 0.05 / Math.sqrt(n.n)));
            assertThat(n.std).as("norm std").isCloseTo(0.05, within(0.05 * 0.25)); // only 64 values
        }
    }

    @Test
    void qwen2HasBiasesTiedEmbeddingsAndBiasStatistics() throws IOException {
        try (GgufFile f = GgufFile.open(synth(dir.resolve("q.gguf"), "tiny-qwen2", DType.F16, Seeds.seed("synth-qwen2"), 1))) {
            assertThat(f.architecture()).isEqualTo("qwen2");
            assertThat(f.tensor("output.weight")).isEmpty();
            assertThat(f.tensor("blk.0.attn_q.bias").orElseThrow().ne()).containsExactly(64);
            assertThat(f.tensor("blk.1.attn_v.bias").orElseThrow().ne()).containsExactly(32);
            assertThat(f.integer("general.file_type").getAsLong()).isEqualTo(1);
            double sumSq = 0;
            int count = 0;
            for (int l = 0; l < 2; l++) {
                for (String b : List.of("attn_q", "attn_k", "attn_v")) {
                    Stats s = stats(f, "blk." + l + "." + b + ".bias");
                    sumSq += s.std * s.std * s.n;
                    count += s.n;
                }
            }
            assertThat(Math.sqrt(sumSq / count)).as("bias std").isCloseTo(0.1, within(0.1 * 0.12));
        }
    }

    @Test
    void llama3RopeFactorsAndKQuantFallback() throws IOException {
        SynthConfig c = Presets.get("tiny-llama3");
        try (GgufFile f = GgufFile.open(synth(dir.resolve("l3.gguf"), "tiny-llama3", DType.Q4_K, 7, 2))) {
            float[] rope = Dequant.all(DType.F32, f.data(f.tensor("rope_freqs.weight").orElseThrow()), 0, c.headDim() / 2);
            assertThat(rope[0]).isEqualTo(1f);                       // highest frequency: unscaled
            assertThat(rope[rope.length - 1]).isEqualTo(8f);         // lowest: scaled by the factor
            for (int i = 1; i < rope.length; i++) assertThat(rope[i]).isGreaterThanOrEqualTo(rope[i - 1]);
            // rows of 64 cannot hold a 256-block: Q4_K falls back to Q5_0 as in llama.cpp
            assertThat(f.tensor("blk.0.attn_q.weight").orElseThrow().type()).isEqualTo(DType.Q5_0);
            assertThat(f.integer("general.file_type").getAsLong()).isEqualTo(14);
        }
        // a llama-quantize mix: small-llama has 4 layers, use_more_bits picks layers 2 and 3
        List<SynthTensor> mix = SynthPlan.tensors(Presets.get("small-llama"), dev.ingot.model.quant.QuantRecipe.parse("q4_k_m"));
        for (SynthTensor t : mix) {
            DType want = t.ne().length == 1 ? DType.F32
                    : t.name().equals("output.weight") || t.name().matches("blk\\.[23]\\.(attn_v|ffn_down)\\.weight") ? DType.Q6_K
                    : DType.Q4_K;
            assertThat(t.type()).as(t.name()).isEqualTo(want);
        }
        // small-llama rows are multiples of 256, so Q4_K is kept
        assertThat(SynthPlan.tensors(Presets.get("small-llama"), DType.Q4_K).stream()
                .filter(t -> t.ne().length == 2).allMatch(t -> t.type() == DType.Q4_K)).isTrue();
    }

    @Test
    void fallbackVocabularyTokenizesAnyTextAsBytesAndRoundTrips() throws IOException {
        try (GgufFile f = GgufFile.open(synth(dir.resolve("tok.gguf"), "tiny-llama", DType.Q8_0, 1, 1))) {
            var tok = dev.ingot.model.tokenizer.Tokenizer.fromGguf(f);
            String text = "Hello wörld ✓";
            int[] ids = tok.encode(text, true, false);
            assertThat(ids[0]).isEqualTo(1); // BOS
            for (int i = 1; i < ids.length; i++) assertThat(ids[i]).as("byte or space token").isBetween(3, 259);
            assertThat(ids).contains(259); // the spaces
            // same decoding as a real SentencePiece vocabulary (llama.cpp keeps the prefix space after a BOS)
            try (GgufFile spm = GgufFile.open(SharedData.model("vocab/ggml-vocab-llama-spm.gguf"))) {
                var real = dev.ingot.model.tokenizer.Tokenizer.fromGguf(spm);
                assertThat(tok.decode(ids, true, false)).isEqualTo(real.decode(real.encode(text, true, false), true, false));
            }
            assertThat(tok.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length), true, false)).isEqualTo(text);
        }
    }

    @Test
    void sameSeedSameBytesOnAnyThreadCount() throws IOException {
        byte[] a = Files.readAllBytes(synth(dir.resolve("a.gguf"), "tiny-llama", DType.Q4_0, 1234, 1));
        byte[] b = Files.readAllBytes(synth(dir.resolve("b.gguf"), "tiny-llama", DType.Q4_0, 1234, 3));
        byte[] c = Files.readAllBytes(synth(dir.resolve("c.gguf"), "tiny-llama", DType.Q4_0, 1235, 2));
        assertThat(b).isEqualTo(a);
        assertThat(c).hasSameSizeAs(a).isNotEqualTo(a);
    }

    @Test
    void vocabFromCopiesTokenizerAndSetsVocabSize() throws IOException {
        try (GgufFile v = GgufFile.open(SharedData.model("vocab/ggml-vocab-llama-spm.gguf"))) {
            List<SynthModel.Meta> tok = SynthModel.tokenizerFrom(v);
            int n = SynthModel.vocabSize(tok);
            SynthConfig c = Presets.get("tiny-llama").withVocab(n);
            SynthModel m = SynthModel.create(c, DType.Q8_0, 3, "with vocab", tok);
            Path out = dir.resolve("v.gguf");
            SynthWriter.write(m, out, 2, d -> {});
            try (GgufFile f = GgufFile.open(out)) {
                assertThat(f.stringArray("tokenizer.ggml.tokens")).isEqualTo(v.stringArray("tokenizer.ggml.tokens"));
                assertThat(f.string("tokenizer.ggml.model")).isEqualTo(v.string("tokenizer.ggml.model"));
                assertThat(f.tensor("token_embd.weight").orElseThrow().ne()).containsExactly(64, n);
                assertThat(f.integer("llama.vocab_size").getAsLong()).isEqualTo(n);
            }
        }
    }

    @Test
    void dimsParsingAndValidation() {
        SynthConfig c = SynthConfig.parseDims("llama", "dim=256,layers=2,heads=4,kv_heads=2,ffn=768,vocab=32000,ctx=512");
        assertThat(c.headDim()).isEqualTo(64);
        assertThat(c.kvDim()).isEqualTo(128);
        assertThat(c.tied()).isFalse();
        assertThat(SynthConfig.parseDims("qwen2", "dim=128,layers=1,heads=2,ffn=256").qkvBias()).isTrue();
        assertThatThrownBy(() -> SynthConfig.parseDims("llama", "dim=256,layers=2,heads=3,ffn=768"))
                .hasMessageContaining("not divisible by heads");
        assertThatThrownBy(() -> SynthConfig.parseDims("llama", "dim=256,layers=2,heads=4,ffn=768,colour=blue"))
                .hasMessageContaining("unknown keys [colour]");
        assertThatThrownBy(() -> Presets.get("gpt-5")).hasMessageContaining("llama-3.2-1b");
        // the 1B preset: parameter count of Llama 3.2 1B (1.236e9 with tied embeddings)
        assertThat(Presets.get("llama-3.2-1b").parameterCount()).isBetween(1_230_000_000L, 1_240_000_000L);
    }

    record Stats(double mean, double std, int n) {}

    static Stats stats(GgufFile f, String name) {
        GgufTensorInfo t = f.tensor(name).orElseThrow();
        long n = 1;
        for (long d : t.ne()) n *= d;
        float[] x = Dequant.all(t.type(), f.data(t), 0, Math.toIntExact(n));
        double s = 0, ss = 0;
        for (float v : x) s += v;
        double mean = s / x.length;
        for (float v : x) ss += (v - mean) * (v - mean);
        return new Stats(mean, Math.sqrt(ss / x.length), x.length);
    }
}
