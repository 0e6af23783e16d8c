package dev.ingot.runtime.engine;

import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.scheduler.FinishReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine-thread state of one live request: its choices, handle and timing. Lives from the engine thread's
 * receipt of the submission until the scheduler reports the request's last sequence ended (so a failed or
 * cancelled request is remembered until its blocks are really freed). {@code done} is set when the handle has
 * been completed; later outputs of the request are then swallowed.
 */
final class RequestState {
    final Engine.Prepared request;
    final ChoiceState[] choices;
    boolean done;
    boolean cancelRequested;
    /** Prompt tokens served from the prefix cache at first admission; -1 until scheduled. */
    int cachedPromptTokens = -1;
    long firstScheduledNanos, firstTokenNanos, lastTokenNanos;
    private long[] itl = new long[16];
    private int numItl;

    RequestState(Engine.Prepared request, Tokenizer tokenizer) {
        this.request = request;
        this.choices = new ChoiceState[request.n()];
        for (int i = 0; i < choices.length; i++) choices[i] = new ChoiceState(i, request.prompt(), request.sampling(), tokenizer);
    }

    String id() {
        return request.id();
    }

    /** Notes a step that produced tokens for this request (called once per step, before publishing). */
    void tokenStep(long now) {
        if (firstTokenNanos == 0) {
            firstTokenNanos = now;
        } else if (now != lastTokenNanos) {
            if (numItl == itl.length) itl = java.util.Arrays.copyOf(itl, numItl * 2);
            itl[numItl++] = now - lastTokenNanos;
        }
        lastTokenNanos = now;
    }

    GenerationResult result(long now) {
        List<Choice> out = new ArrayList<>(choices.length);
        int completion = 0;
        for (ChoiceState c : choices) {
            out.add(c.toChoice());
            completion += c.numTokens();
        }
        long arrival = request.arrivalNanos();
        Timing t = new Timing(firstScheduledNanos == 0 ? 0 : firstScheduledNanos - arrival,
                firstTokenNanos == 0 ? 0 : firstTokenNanos - arrival, java.util.Arrays.copyOf(itl, numItl), now - arrival);
        Usage u = new Usage(request.prompt().length, completion, Math.max(0, cachedPromptTokens));
        return new GenerationResult(request.id(), out, u, t);
    }

    /** Choices that have not finished get ABORT (the request was cancelled before they were created or ended). */
    void abortUnfinished() {
        for (ChoiceState c : choices) if (c.finish == null) c.finish = FinishReason.ABORT;
    }
}
