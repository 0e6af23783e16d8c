package dev.ingot.runtime.engine;

import dev.ingot.model.tokenizer.StreamingDecoder;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.sample.Sample;
import dev.ingot.runtime.sample.Sampler;
import dev.ingot.runtime.sample.SamplingParams;
import dev.ingot.runtime.sample.StopMatcher;
import dev.ingot.runtime.scheduler.FinishReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Engine-thread state of one choice (one of a request's n samples): its sampler (own seed and penalty history),
 * streaming UTF-8 decoder and stop-string matcher, plus what the current step produced ({@code pending*}) and
 * everything produced so far. A step calls {@link #accept} for each token sampled for it, then, after the
 * scheduler's update, {@link #drain} turns the pending part into one {@link Chunk}.
 */
final class ChoiceState {
    final int index;
    private final Tokenizer tokenizer;
    private final SamplingParams params;
    private final Sampler sampler;
    private final StreamingDecoder decoder;
    private final StopMatcher stops;
    /** Prompt + outputs: the tokens the penalties count (llama.cpp's convention, as in {@code Generator}). */
    private int[] history;
    private int historyLen;

    private final StringBuilder pendingText = new StringBuilder();
    private int[] pendingTokens = new int[0];
    private final List<Sample> pendingLogprobs = new ArrayList<>();
    private boolean stringStopped, stopSignalled;
    private String stopReason;

    private final StringBuilder text = new StringBuilder();
    private int[] tokens = new int[8];
    private int numTokens;
    private final List<Sample> logprobs = new ArrayList<>();
    FinishReason finish;

    ChoiceState(int index, int[] prompt, SamplingParams params, Tokenizer tokenizer) {
        this.index = index;
        this.tokenizer = tokenizer;
        // sample i > 0 of a seeded request gets seed + i: distinct choices, each reproducible from the seed
        this.params = index == 0 || params.seed().isEmpty() ? params
                : params.toBuilder().seed(params.seed().getAsLong() + index).build();
        this.sampler = new Sampler(this.params);
        this.decoder = tokenizer.streamingDecoder(true, false);
        this.stops = new StopMatcher(params.stop());
        this.history = Arrays.copyOf(prompt, prompt.length + 16);
        this.historyLen = prompt.length;
    }

    /**
     * Samples from {@code logits} ({@code [vocab]}, not modified) and records the token; afterwards
     * {@link #stopSignalled()} tells whether it stops the choice: end-of-generation (unless ignoreEos), a stop
     * token id, or completing a stop string.
     */
    int sample(float[] logits) {
        stopSignalled = accept(sampler.sample(logits, history, historyLen));
        return history[historyLen - 1];
    }

    /** Whether the token of the last {@link #sample} ends this choice (the scheduler is told: STOP). */
    boolean stopSignalled() {
        return stopSignalled;
    }

    private boolean accept(Sample s) {
        int t = s.token();
        if (historyLen == history.length) history = Arrays.copyOf(history, history.length * 2);
        history[historyLen++] = t;
        pendingTokens = Arrays.copyOf(pendingTokens, pendingTokens.length + 1);
        pendingTokens[pendingTokens.length - 1] = t;
        if (params.logprobs()) pendingLogprobs.add(s);
        if (params.stopTokenIds().contains(t)) {
            stopReason = Integer.toString(t);
            return true;
        }
        if (!params.ignoreEos() && tokenizer.isEog(t)) return true; // its text is never shown
        StopMatcher.Result r = stops.push(decoder.push(t));
        pendingText.append(r.text());
        if (r.stopped()) {
            stringStopped = true;
            stopReason = r.stop();
            return true;
        }
        return false;
    }

    /**
     * The chunk for this step: pending text and tokens, plus the finish reason from the scheduler (null while
     * running). A LENGTH or end-of-generation finish also releases the text the decoder and matcher held back.
     */
    Chunk drain(FinishReason reason) {
        if (reason == FinishReason.LENGTH || (reason == FinishReason.STOP && !stringStopped)) {
            StopMatcher.Result r = stops.push(decoder.flush());
            pendingText.append(r.text());
            if (!r.stopped()) pendingText.append(stops.flush());
        }
        String delta = pendingText.toString();
        Chunk c = new Chunk(index, delta, pendingTokens, pendingLogprobs, reason, reason == FinishReason.STOP ? stopReason : null);
        text.append(delta);
        if (numTokens + pendingTokens.length > tokens.length) tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, numTokens + pendingTokens.length));
        System.arraycopy(pendingTokens, 0, tokens, numTokens, pendingTokens.length);
        numTokens += pendingTokens.length;
        logprobs.addAll(pendingLogprobs);
        pendingText.setLength(0);
        pendingTokens = new int[0];
        pendingLogprobs.clear();
        if (reason != null) finish = reason;
        return c;
    }

    int numTokens() {
        return numTokens;
    }

    Choice toChoice() {
        FinishReason r = finish == null ? FinishReason.ABORT : finish;
        return new Choice(index, text.toString(), Arrays.copyOf(tokens, numTokens), logprobs, r, r == FinishReason.STOP ? stopReason : null);
    }
}
