package dev.ingot.runtime.scheduler;

import dev.ingot.runtime.kvcache.BlockHashChain;
import java.util.Arrays;

/**
 * Mutable scheduler state of one sequence (engine thread only). Tokens are append-only: prompt, then
 * outputs. Invariants: {@code 0 <= numComputed <= numTokens}; while waiting {@code numComputed == 0} and
 * the sequence has no block table; between steps a running sequence has exactly
 * {@code ceil(numComputed / blockSize)} blocks.
 */
final class Sequence {
    enum State { WAITING, RUNNING, FINISHED }

    final long seqId;
    final int seqIndex;
    final NewRequest request;
    /** Submission order of the request, the last tie-breaker after arrival. */
    final long order;
    final int numPromptTokens;
    final BlockHashChain hashes;
    int[] tokens;
    int numTokens;
    /** Tokens whose K/V is in the cache (advanced when a step is planned). */
    int numComputed;
    /** True once the request's n samples exist as sequences (always true for n == 1). */
    boolean forked;
    State state = State.WAITING;
    int numPreemptions;

    Sequence(long seqId, int seqIndex, NewRequest request, long order, BlockHashChain hashes, int[] tokens, int numTokens) {
        this.seqId = seqId;
        this.seqIndex = seqIndex;
        this.request = request;
        this.order = order;
        this.numPromptTokens = request.promptTokenIds().length;
        this.hashes = hashes;
        this.tokens = tokens;
        this.numTokens = numTokens;
        this.forked = request.n() == 1;
    }

    /** A sibling sample sharing everything computed so far (its blocks are shared by the KV manager). */
    Sequence fork(long childId, int childIndex) {
        Sequence c = new Sequence(childId, childIndex, request, order, hashes.copy(), tokens.clone(), numTokens);
        c.numComputed = numComputed;
        c.forked = true;
        c.state = state;
        return c;
    }

    void append(int token) {
        if (numTokens == tokens.length) tokens = Arrays.copyOf(tokens, Math.max(8, tokens.length * 2));
        tokens[numTokens++] = token;
    }

    int numOutputTokens() {
        return numTokens - numPromptTokens;
    }

    String requestId() {
        return request.requestId();
    }

    @Override
    public String toString() {
        return "seq " + seqId + " (" + requestId() + "#" + seqIndex + ", " + state + ", " + numComputed + "/" + numTokens + ")";
    }
}
