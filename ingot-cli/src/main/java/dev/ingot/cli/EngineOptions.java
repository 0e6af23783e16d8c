package dev.ingot.cli;

import dev.ingot.runtime.engine.EngineConfig;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Serving-engine flags shared by {@code serve} and {@code bench serve} (vLLM's names where it has them). */
final class EngineOptions {
    @Option(names = "--max-batch-tokens", paramLabel = "N", description = "tokens per engine step, prefill chunks and decodes together (default: ${DEFAULT-VALUE})")
    int maxBatchTokens = 256;

    @Option(names = "--max-seqs", paramLabel = "N", description = "sequences batched at once; 1 switches continuous batching off (default: ${DEFAULT-VALUE})")
    int maxSeqs = 16;

    @Option(names = "--kv-blocks", paramLabel = "N", description = "KV cache blocks of 16 tokens (default: derived from --kv-memory)")
    int kvBlocks;

    @Option(names = "--kv-memory", paramLabel = "SIZE", description = "KV cache memory, e.g. 512M or 2G (default: room for --max-seqs full contexts, at most 2G)")
    String kvMemory;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", description = "context length per request (default: min(model, ${DEFAULT-VALUE}))")
    int ctx = 4096;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--no-prefix-caching", description = "do not share KV blocks of identical prompt prefixes")
    boolean noPrefixCaching;

    /** The engine config for a model whose trained context is {@code modelCtx}. */
    EngineConfig toConfig(int modelCtx) {
        if (kvBlocks > 0 && kvMemory != null) throw new IllegalArgumentException("give --kv-blocks or --kv-memory, not both");
        if (ctx < 2) throw new IllegalArgumentException("--ctx must be >= 2, got " + ctx);
        return EngineConfig.builder().maxBatchTokens(Math.max(maxBatchTokens, maxSeqs)).maxNumSeqs(maxSeqs)
                .kvBlocks(kvBlocks).kvBytes(kvMemory == null ? 0 : parseSize(kvMemory)).threads(threads)
                .prefixCaching(!noPrefixCaching).maxModelLen(Math.min(ctx, modelCtx)).build();
    }

    /** "512M", "2G", "1.5GiB", "1048576" to bytes. */
    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (t.endsWith("K")) mult = 1L << 10;
        else if (t.endsWith("M")) mult = 1L << 20;
        else if (t.endsWith("G")) mult = 1L << 30;
        if (mult > 1) t = t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(t);
            if (v <= 0) throw new NumberFormatException();
            return (long) (v * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--kv-memory: cannot read size '" + s + "' (examples: 512M, 2G)");
        }
    }
}
