package dev.ingot.server;

import dev.ingot.runtime.engine.Chunk;
import dev.ingot.runtime.engine.Engine;
import dev.ingot.runtime.engine.GenerateRequest;
import dev.ingot.runtime.engine.GenerationResult;
import dev.ingot.runtime.engine.RequestHandle;
import dev.ingot.runtime.engine.Usage;
import dev.ingot.server.openai.ApiRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The engine requests behind one API request: one per prompt (a batched {@code /v1/completions} has several), all
 * sharing the sampling params and {@code n}. When streaming, every request's chunks are merged into one queue of
 * {@link Event}s, tagged with the prompt they belong to, in the order the engine produced them.
 */
final class EngineBatch {
    /**
     * A chunk of prompt {@code prompt}'s request, or (chunk null) the end of that request's stream: normal, cancelled
     * or failed (its {@link RequestHandle#result()} tells which).
     */
    record Event(int prompt, Chunk chunk) {}

    private final List<RequestHandle> handles;
    private final LinkedBlockingQueue<Event> events;

    private EngineBatch(List<RequestHandle> handles, LinkedBlockingQueue<Event> events) {
        this.handles = handles;
        this.events = events;
    }

    /**
     * Submits one engine request per prompt; ids are {@code id} for a single prompt, else {@code id-P}. If a prompt
     * is rejected, the ones already submitted are cancelled and the error is rethrown with the prompt's position.
     */
    static EngineBatch submit(Engine engine, ApiRequest req, String id) {
        boolean stream = req.stream();
        LinkedBlockingQueue<Event> events = stream ? new LinkedBlockingQueue<>() : null;
        List<RequestHandle> handles = new ArrayList<>();
        int count = req.prompts().size();
        for (int p = 0; p < count; p++) {
            ApiRequest.Prompt prompt = req.prompts().get(p);
            GenerateRequest.Builder b = prompt.ids() != null ? GenerateRequest.tokens(prompt.ids()) : GenerateRequest.text(prompt.text());
            GenerateRequest r = b.id(count == 1 ? id : id + "-" + p).sampling(req.sampling()).n(req.n()).build();
            try {
                int tag = p;
                // The callback runs on the engine thread: it only enqueues (an unbounded queue never blocks).
                RequestHandle h = stream ? engine.submit(r, c -> events.add(new Event(tag, c))) : engine.submit(r);
                if (stream) h.result().whenComplete((res, err) -> events.add(new Event(tag, null)));
                handles.add(h);
            } catch (RuntimeException e) {
                handles.forEach(RequestHandle::cancel);
                if (count > 1 && e instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException("prompt[" + p + "]: " + e.getMessage().replaceFirst("^request \\S+: ", ""), e);
                }
                throw e;
            }
        }
        return new EngineBatch(List.copyOf(handles), events);
    }

    List<RequestHandle> handles() {
        return handles;
    }

    /** The next streamed event, blocking. */
    Event take() throws InterruptedException {
        return events.take();
    }

    void cancelAll() {
        handles.forEach(RequestHandle::cancel);
    }

    /** Completes when every request has ended (exceptionally if one failed, once all are done). */
    CompletableFuture<Void> allDone() {
        return CompletableFuture.allOf(handles.stream().map(RequestHandle::result).toArray(CompletableFuture[]::new));
    }

    /** Token counts summed over the prompts (OpenAI reports one usage for a batched request). */
    static Usage usage(List<GenerationResult> results) {
        int prompt = 0, completion = 0, cached = 0;
        for (GenerationResult r : results) {
            prompt += r.usage().promptTokens();
            completion += r.usage().completionTokens();
            cached += r.usage().cachedPromptTokens();
        }
        return new Usage(prompt, completion, cached);
    }
}
