package dev.ingot.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.runtime.engine.Chunk;
import dev.ingot.runtime.engine.GenerationResult;
import dev.ingot.runtime.engine.RequestFailedException;
import dev.ingot.runtime.engine.RequestHandle;
import dev.ingot.server.openai.ApiRequest;
import dev.ingot.server.openai.ResponseJson;
import dev.ingot.server.openai.ToolCallParser;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Relays one API request's engine chunks as SSE; a failed write cancels every engine request behind it. Choice
 * {@code c} of prompt {@code p} is sent as index {@code p * n + c}.
 */
final class StreamRelay {
    private final ApiRequest req;
    private final EngineBatch batch;
    private final ResponseJson json;
    private final IntFunction<String> echoText; // prompt index -> its text, for echo
    private final SseWriter sse;
    private final int[] offsets; // per choice: characters sent so far (completion logprobs' text_offset)
    private final StringBuilder[] held; // per choice: text held back to parse tool calls at the end

    StreamRelay(ApiRequest req, EngineBatch batch, ResponseJson json, IntFunction<String> echoText, Context ctx) throws IOException {
        this.req = req;
        this.batch = batch;
        this.json = json;
        this.echoText = echoText;
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no"); // proxies must not buffer the stream either
        this.sse = new SseWriter(ctx.res().getOutputStream());
        int choices = req.totalChoices();
        this.offsets = new int[choices];
        this.held = new StringBuilder[choices];
        for (int i = 0; i < choices; i++) held[i] = new StringBuilder();
    }

    void run() throws InterruptedException {
        if (!opening()) {
            batch.cancelAll();
            return;
        }
        int open = req.prompts().size();
        List<GenerationResult> results = new ArrayList<>();
        while (open > 0) {
            EngineBatch.Event e = batch.take();
            if (e.chunk() != null) {
                if (!send(e.prompt() * req.n(), e.chunk())) {
                    batch.cancelAll(); // the client is gone: the engine frees the blocks at its next step
                    return;
                }
                continue;
            }
            open--;
            RequestHandle h = batch.handles().get(e.prompt());
            try {
                results.add(h.await()); // already complete: the end event follows the result
            } catch (RequestFailedException ex) {
                batch.cancelAll();
                sse.send(ErrorBody.of("generation failed: " + ex.getMessage(), "server_error", null, null).toString());
                sse.done();
                return;
            }
        }
        if (req.includeUsage()) {
            ObjectNode u = json.envelope(req.chat() ? "chat.completion.chunk" : "text_completion");
            u.set("usage", ResponseJson.usage(EngineBatch.usage(results)));
            sse.send(u.toString());
        }
        sse.done();
    }

    /** Chat streams start with the assistant role per choice; echo sends each prompt first. */
    private boolean opening() {
        for (int i = 0; i < req.totalChoices(); i++) {
            if (req.chat()) {
                ObjectNode d = json.chatMessage("assistant", "", List.of(), i, true);
                if (!sse.send(chunk(i, d, null, null).toString())) return false;
            } else if (req.echo()) {
                String p = echoText.apply(i / req.n());
                offsets[i] = p.length();
                if (!sse.send(chunk(i, null, p, null).toString())) return false;
            }
        }
        return true;
    }

    /** @param base the batch index of the chunk's prompt's first choice */
    private boolean send(int base, Chunk c) {
        int i = base + c.index();
        boolean hasLogprobs = req.sampling().logprobs() && !c.logprobs().isEmpty();
        if (c.text().isEmpty() && !hasLogprobs && !c.finished()) return true; // nothing to tell yet
        if (req.chat()) {
            if (req.toolsGiven()) {
                held[i].append(c.text());
                return !c.finished() || finishTools(i, c);
            }
            ObjectNode o = chunk(i, json.chatMessage(null, c.text().isEmpty() ? null : c.text(), List.of(), i, true), null, null);
            if (hasLogprobs) firstChoice(o).set("logprobs", json.chatLogprobs(c.logprobs()));
            if (!c.text().isEmpty() || hasLogprobs) {
                if (!sse.send(o.toString())) return false;
            }
            return !c.finished() || sse.send(chunk(i, JsonNodeFactory.instance.objectNode(), null, ResponseJson.finishReason(c.finishReason(), false)).toString());
        }
        ObjectNode o = chunk(i, null, c.text(), ResponseJson.finishReason(c.finishReason(), false));
        if (hasLogprobs) firstChoice(o).set("logprobs", json.completionLogprobs(c.logprobs(), offsets[i]));
        offsets[i] += c.text().length();
        return sse.send(o.toString());
    }

    private boolean finishTools(int i, Chunk c) {
        ToolCallParser.Parsed p = ToolCallParser.parse(held[i].toString());
        if (p.content() != null || !p.calls().isEmpty()) {
            if (!sse.send(chunk(i, json.chatMessage(null, p.content(), p.calls(), i, true), null, null).toString())) return false;
        }
        return sse.send(chunk(i, JsonNodeFactory.instance.objectNode(), null, ResponseJson.finishReason(c.finishReason(), !p.calls().isEmpty())).toString());
    }

    /** One chunk with one choice: chat chunks carry a delta, completion chunks a text. */
    private ObjectNode chunk(int index, ObjectNode delta, String text, String finish) {
        ObjectNode o = json.envelope(req.chat() ? "chat.completion.chunk" : "text_completion");
        ObjectNode ch = ((ArrayNode) o.get("choices")).addObject();
        ch.put("index", index);
        if (req.chat()) ch.set("delta", delta);
        else ch.put("text", text);
        ch.putNull("logprobs");
        ch.put("finish_reason", finish);
        if (req.includeUsage()) o.putNull("usage");
        return o;
    }

    private static ObjectNode firstChoice(ObjectNode o) {
        return (ObjectNode) o.get("choices").get(0);
    }
}
