package dev.ingot.runtime.generate;

import dev.ingot.compiler.program.FloatView;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.arch.DecoderParams;
import dev.ingot.model.tokenizer.StreamingDecoder;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.exec.ModelRunner;
import dev.ingot.runtime.kvcache.KvLayout;
import dev.ingot.runtime.kvcache.KvStorage;
import dev.ingot.runtime.sample.Sample;
import dev.ingot.runtime.sample.Sampler;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.runtime.sample.StopMatcher;
import dev.ingot.runtime.scheduler.FlatBatch;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One sequence at a time, for {@code ingot run} and {@code ingot bench}: prefill in chunks of the runner's
 * batch size, then one token per step, with the sampler, stop strings and a streaming UTF-8-safe decoder. The
 * sequence's KV blocks are mapped in order over a cache sized for the context. Serving many sequences at once is
 * the engine's job (scheduler + the same {@link ModelRunner}).
 */
public final class Generator implements AutoCloseable {
    private final LoadedModel model;
    private final KvStorage kv;
    private final ModelRunner runner;
    private final int nCtx;
    private final int[] blockTable;
    private final float[] logits;

    /**
     * @param nCtx      context length (prompt + generated), at most the model's
     * @param chunk     prefill chunk: tokens per forward pass
     */
    public Generator(LoadedModel model, WorkerPool pool, int nCtx, int chunk) {
        DecoderParams p = model.graph().params();
        if (nCtx <= 0 || nCtx > p.nCtx()) throw new IllegalArgumentException("context " + nCtx + " must be in 1.." + p.nCtx());
        this.model = model;
        this.nCtx = nCtx;
        int blocks = (nCtx + LoadedModel.KV_BLOCK_SIZE - 1) / LoadedModel.KV_BLOCK_SIZE;
        this.kv = KvStorage.ofBlocks(model.kvLayout(), blocks);
        this.runner = new ModelRunner(model.graph(), kv, pool, Math.max(1, Math.min(chunk, nCtx)), 1, 1);
        this.blockTable = new int[blocks];
        for (int i = 0; i < blocks; i++) blockTable[i] = i;
        this.logits = new float[p.nVocab()];
    }

    public ModelRunner runner() { return runner; }

    public int contextLength() { return nCtx; }

    /** Compiles every batch bucket up front (no step waits for a compile). */
    public void warmUp() { runner.warmUp(); }

    /**
     * Generates after {@code prompt} (token ids, BOS included when wanted). {@code onText} receives text as soon as
     * it is final (never half a UTF-8 character, never part of a stop string).
     */
    public Generation generate(int[] prompt, SamplingParams sp, Consumer<String> onText) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt");
        if (prompt.length >= nCtx) {
            throw new IllegalArgumentException("prompt of " + prompt.length + " tokens does not fit the context of " + nCtx + " (leave room for one generated token)");
        }
        Tokenizer tok = model.tokenizer();
        int maxNew = Math.min(sp.maxTokens(), nCtx - prompt.length);
        Sampler sampler = new Sampler(sp);
        StopMatcher stops = new StopMatcher(sp.stop());
        StreamingDecoder dec = tok.streamingDecoder(true, false);
        int[] history = Arrays.copyOf(prompt, prompt.length + maxNew);
        int len = prompt.length;
        StringBuilder text = new StringBuilder();

        long t0 = System.nanoTime();
        for (int done = 0; done < prompt.length; ) {
            int n = Math.min(runner.maxBatchTokens(), prompt.length - done);
            FloatView out = runner.forward(FlatBatch.singleSequence(Arrays.copyOfRange(prompt, done, done + n), done, blockTable, LoadedModel.KV_BLOCK_SIZE, false));
            done += n;
            if (done == prompt.length) out.copyRow(0, logits);
        }
        long t1 = System.nanoTime();
        String finish = "length";
        int generated = 0;
        while (generated < maxNew) {
            Sample s = sampler.sample(logits, history, len);
            history[len++] = s.token();
            generated++;
            boolean eog = (!sp.ignoreEos() && tok.isEog(s.token())) || sp.stopTokenIds().contains(s.token());
            if (eog) {
                finish = "stop";
                break;
            }
            StopMatcher.Result r = stops.push(dec.push(s.token()));
            emit(r.text(), text, onText);
            if (r.stopped()) {
                finish = "stop";
                break;
            }
            if (generated == maxNew) break;
            runner.forward(FlatBatch.singleSequence(new int[] {s.token()}, len - 1, blockTable, LoadedModel.KV_BLOCK_SIZE, false)).copyRow(0, logits);
        }
        if (!finish.equals("stop") || stops.matched() == null) emit(stops.push(dec.flush()).text() + stops.flush(), text, onText);
        long t2 = System.nanoTime();
        return new Generation(Arrays.copyOfRange(history, prompt.length, len), text.toString(), finish, prompt.length, t1 - t0, t2 - t1);
    }

    private static void emit(String s, StringBuilder all, Consumer<String> onText) {
        if (s.isEmpty()) return;
        all.append(s);
        onText.accept(s);
    }

    @Override
    public void close() {
        runner.close();
        kv.close();
    }
}
