/**
 * Continuous-batching scheduler: which sequences run each step, with how many tokens, under a token
 * budget and the KV cache's memory, in the style of vLLM v1.
 *
 * <h2>Executor contract (the engine loop)</h2>
 * One engine thread owns the {@link dev.ingot.runtime.scheduler.Scheduler} and repeats:
 * <pre>
 *   addRequest(...) for newly arrived requests       (plain records from the HTTP layer)
 *   SchedulerOutput out = scheduler.schedule();
 *   executor: for (BlockCopy c : out.blockCopies()) kvStorage.copyBlock(c.src(), c.dst());   // first
 *             FlatBatch b = out.flatten();   // tokens, positions, slotMapping [T]; block tables [S]
 *             forward(b): per layer, write every new token's K/V to its slot, then attend over each
 *                         sequence's contextLens[s] tokens through its block table (causal within the chunk)
 *             sample numSamples[i] tokens from the logits row logitsIndices[i] (sequence logitsSeqIds[i]);
 *             flag each token that is EOS or completes a stop string (stop = true)
 *   List&lt;SequenceOutput&gt; outs = scheduler.update(out, new ModelRunnerOutput(sampled));
 *   stream outs to clients; drop executor state for out.finishedSeqIds()
 * </pre>
 * Exactly one {@code update} follows each {@code schedule}, in order. {@code abort(requestId)} may be
 * called from any thread; it takes effect at the next {@code schedule()} (blocks freed then) and its
 * {@link dev.ingot.runtime.scheduler.FinishReason#ABORT} outputs come out of the following {@code update}.
 *
 * <h2>Policy</h2>
 * A sequence has {@code numComputed} (tokens with K/V in the cache) and {@code numTokens} (prompt +
 * outputs); each step it is given up to {@code numTokens - numComputed} tokens: a prefill chunk or one
 * decode token. Order within a step: running decodes, then running partial prefills, then admissions
 * from the waiting queue, all in policy order ({@link dev.ingot.runtime.scheduler.SchedulingPolicy}).
 * Admission starts a sequence after its longest cached prefix. When the KV pool is short the last
 * running sequence in policy order is preempted by recompute (blocks freed, tokens kept, back to the
 * waiting queue, ahead of never-admitted requests); no admissions happen in a step that preempted.
 * Requests with {@code n > 1} prefill once; the step that finishes the prefill asks for {@code n} samples
 * and {@code update} forks the sequence into {@code n} sharing its blocks (copy-on-write of the partial
 * last block, ordered through {@code SchedulerOutput.blockCopies}).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>a step's tokens never exceed {@code maxBatchTokens}; running sequences never exceed {@code maxNumSeqs};
 *   <li>a preempted sequence's outputs continue unchanged (its K/V is recomputed from the same tokens);
 *   <li>finished and aborted sequences release every block; with no live request all blocks are free.
 * </ul>
 */
package dev.ingot.runtime.scheduler;
