package dev.ingot.runtime.bench;

import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.runtime.exec.ModelRunner;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.kvcache.KvLayout;
import dev.ingot.runtime.kvcache.KvStorage;
import dev.ingot.runtime.scheduler.FlatBatch;
import dev.ingot.model.arch.DecoderParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * llama-bench's two measurements on the compiled model, without sampling or tokenizing: prompt processing
 * ({@code pp N}: N random tokens in one sequence, prefilled in chunks of the batch size) and text generation
 * ({@code tg N}: N tokens decoded one at a time after them). Every repetition starts from an empty cache.
 */
public final class ModelBench {
    private final LoadedModel model;
    private final WorkerPool pool;
    private final int batch;

    /** One test's throughput over its repetitions. */
    public record Result(String test, int tokens, double[] tokensPerSecond) {
        public double mean() { return Arrays.stream(tokensPerSecond).average().orElse(0); }

        public double stddev() {
            double m = mean();
            return tokensPerSecond.length < 2 ? 0 : Math.sqrt(Arrays.stream(tokensPerSecond).map(x -> (x - m) * (x - m)).sum() / (tokensPerSecond.length - 1));
        }
    }

    public ModelBench(LoadedModel model, WorkerPool pool, int batch) {
        this.model = model;
        this.pool = pool;
        this.batch = batch;
    }

    /**
     * Bytes a decode step streams: every weight once, except the token embedding when the output projection has its
     * own matrix (then decoding reads one embedding row).
     */
    public long decodeBytesPerToken() {
        boolean tied = model.file().tensor("output.weight").isEmpty();
        long sum = 0;
        for (GgufTensorInfo t : model.file().tensors()) {
            if (!tied && t.name().equals("token_embd.weight")) continue;
            sum += t.bytes();
        }
        return sum;
    }

    /** pp{promptTokens} then tg{genTokens} (either may be 0), {@code reps} times after one warm-up run. */
    public List<Result> run(int promptTokens, int genTokens, int reps, long seed) {
        DecoderParams p = model.graph().params();
        int ctx = promptTokens + genTokens + 1;
        if (ctx > p.nCtx()) throw new IllegalArgumentException("pp" + promptTokens + " + tg" + genTokens + " exceeds the model's context " + p.nCtx());
        int blocks = (ctx + LoadedModel.KV_BLOCK_SIZE - 1) / LoadedModel.KV_BLOCK_SIZE;
        double[] pp = new double[reps], tg = new double[reps];
        int[] table = java.util.stream.IntStream.range(0, blocks).toArray(); // blocks in order
        try (KvStorage kv = KvStorage.ofBlocks(model.kvLayout(), blocks);
             ModelRunner runner = new ModelRunner(model.graph(), kv, pool, Math.max(1, Math.min(batch, Math.max(promptTokens, 1))), 1, 1)) {
            runner.warmUp();
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int r = -1; r < reps; r++) { // r = -1 warms the JIT up
                int[] prompt = rnd.ints(Math.max(promptTokens, 1), 0, p.nVocab()).toArray();
                long t0 = System.nanoTime();
                for (int done = 0; done < prompt.length; ) {
                    int n = Math.min(runner.maxBatchTokens(), prompt.length - done);
                    runner.forward(FlatBatch.singleSequence(Arrays.copyOfRange(prompt, done, done + n), done, table, LoadedModel.KV_BLOCK_SIZE, false));
                    done += n;
                }
                long t1 = System.nanoTime();
                int pos = prompt.length;
                for (int i = 0; i < genTokens; i++) runner.forward(FlatBatch.singleSequence(new int[] {rnd.nextInt(p.nVocab())}, pos++, table, LoadedModel.KV_BLOCK_SIZE, false));
                long t2 = System.nanoTime();
                if (r < 0) {
                    specialise(runner, prompt, promptTokens > 0, genTokens > 0, table, rnd);
                } else {
                    pp[r] = promptTokens * 1e9 / (t1 - t0);
                    tg[r] = genTokens * 1e9 / (t2 - t1);
                }
            }
        }
        List<Result> out = new ArrayList<>();
        if (promptTokens > 0) out.add(new Result("pp" + promptTokens, promptTokens, pp));
        if (genTokens > 0) out.add(new Result("tg" + genTokens, genTokens, tg));
        return out;
    }

    /**
     * Before measuring, lets tiered compilation specialise the prompt and decode buckets (hot, background
     * compile, trial), running their steps until both are specialised (at most 2 minutes).
     */
    private void specialise(ModelRunner runner, int[] prompt, boolean pp, boolean tg, int[] table, SplittableRandom rnd) {
        int chunk = Math.min(runner.maxBatchTokens(), prompt.length), vocab = model.graph().params().nVocab();
        for (long until = System.nanoTime() + 120_000_000_000L; System.nanoTime() < until; ) {
            boolean ppDone = !pp || runner.specialised(chunk), tgDone = !tg || runner.specialised(1);
            if (ppDone && tgDone) return;
            if (!ppDone) runner.forward(FlatBatch.singleSequence(Arrays.copyOf(prompt, chunk), 0, table, LoadedModel.KV_BLOCK_SIZE, false));
            if (!tgDone) runner.forward(FlatBatch.singleSequence(new int[] {rnd.nextInt(vocab)}, prompt.length, table, LoadedModel.KV_BLOCK_SIZE, false));
        }
    }
}
