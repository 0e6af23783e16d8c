package dev.ingot.cli;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.synth.Presets;
import dev.ingot.model.synth.SynthConfig;
import dev.ingot.model.synth.SynthModel;
import dev.ingot.model.synth.SynthWriter;
import dev.ingot.model.quant.QuantRecipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ingot synth}: writes a random-weight model with real shapes (see {@code dev.ingot.model.synth}). */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a random-weight GGUF model with real shapes, for benchmarks without downloads.",
                "Same options and seed give the same bytes."})
final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--arch", description = "llama or qwen2 (default: the preset's, or llama with --dims)")
    String arch;

    @Option(names = "--preset", description = "a named shape: ${COMPLETION-CANDIDATES}", completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--dims", description = "explicit shape, e.g. dim=256,layers=2,heads=4,kv_heads=2,ffn=768,vocab=32000,ctx=512"
            + " (optional: theta, eps, tied, bias, llama3_rope=FACTOR)")
    String dims;

    @Option(names = "--type", defaultValue = "q8_0", description = "weight type (default ${DEFAULT-VALUE}): q8_0, q4_0, q4_1, q5_0, q5_1, q2_k..q6_k, f16, bf16, f32,"
            + " or a llama-quantize mix: q4_k_m, q5_k_m")
    String type;

    @Option(names = "--vocab-from", description = "copy the tokenizer (all tokenizer.* keys) from this GGUF; the vocabulary size follows it")
    Path vocabFrom;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = {"-o", "--output"}, description = "output .gguf file")
    Path output;

    @Option(names = "--list-presets", description = "print the presets and exit")
    boolean listPresets;

    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() { return Presets.all().keySet().iterator(); }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (listPresets) {
            for (Map.Entry<String, SynthConfig> e : Presets.all().entrySet()) {
                SynthConfig c = e.getValue();
                out.printf(Locale.ROOT, "%-14s %-6s dim %d, %d layers, %d/%d heads, ffn %d, vocab %d, ctx %d, %.2fB params%n",
                        e.getKey(), c.arch(), c.dim(), c.layers(), c.heads(), c.kvHeads(), c.ffn(), c.vocab(), c.ctx(),
                        c.parameterCount() / 1e9);
            }
            return 0;
        }
        if ((preset == null) == (dims == null)) throw new IllegalArgumentException("give exactly one of --preset or --dims");
        if (output == null) throw new IllegalArgumentException("missing -o OUT.gguf");
        SynthConfig config;
        if (preset != null) {
            config = Presets.get(preset);
            if (arch != null && !arch.equals(config.arch())) {
                throw new IllegalArgumentException("preset " + preset + " is " + config.arch() + ", not " + arch);
            }
        } else {
            config = SynthConfig.parseDims(arch == null ? "llama" : arch, dims);
        }
        QuantRecipe recipe = QuantRecipe.parse(type);
        List<SynthModel.Meta> tokenizer = null;
        if (vocabFrom != null) {
            try (GgufFile v = GgufFile.open(vocabFrom)) {
                tokenizer = SynthModel.tokenizerFrom(v);
            }
            int n = SynthModel.vocabSize(tokenizer);
            if (n != config.vocab()) err.printf("note: vocabulary size %d from %s (the shape says %d)%n", n, vocabFrom, config.vocab());
            config = config.withVocab(n);
        }
        String name = "synthetic " + (preset != null ? preset : config.arch() + " " + dims);
        SynthModel model = SynthModel.create(config, recipe, seed, name, tokenizer);
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        err.flush();
        double seconds;
        try (Progress p = Progress.start("synth", model.dataBytes(), "MiB", 1 << 20, err)) {
            SynthWriter.write(model, output, nThreads, p::stepTo);
            seconds = p.seconds();
        }
        out.printf(Locale.ROOT, "wrote %s: %s, %.3fB params, %s, %.1f MiB in %.1f s (seed %d)%n", output, config.arch(),
                config.parameterCount() / 1e9, recipe.name(), model.dataBytes() / 1048576.0, seconds, seed);
        return 0;
    }
}
