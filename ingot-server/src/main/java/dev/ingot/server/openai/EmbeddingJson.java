package dev.ingot.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.server.ApiError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** {@code POST /v1/embeddings} bodies: the request's JSON to plain data, vectors back to OpenAI's response shape. */
public final class EmbeddingJson {
    private EmbeddingJson() {}

    /**
     * A parsed request.
     *
     * @param inputs     each a {@link String} or an {@code int[]} of token ids
     * @param base64     {@code encoding_format: "base64"}: each vector as base64 of little-endian float32
     * @param dimensions the requested vector length, or null
     */
    public record Request(String model, List<Object> inputs, boolean base64, Integer dimensions) {}

    /**
     * OpenAI's input forms: a string, a list of strings, a list of token ids (one input), a list of token-id lists.
     * Empty strings and lists are refused by the service, which knows the model; shape errors are refused here.
     */
    public static Request parse(JsonNode body) {
        String model = Json.string(body, "model");
        if (model == null) throw ApiError.badRequest("you must provide a model parameter", "model");
        String format = Json.has(body, "encoding_format") ? Json.string(body, "encoding_format") : "float";
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiError.badRequest("encoding_format must be 'float' or 'base64', got '" + format + "'", "encoding_format");
        }
        Integer dims = Json.has(body, "dimensions") ? Json.integer(body, "dimensions", 0) : null;
        if (dims != null && dims < 1) throw ApiError.badRequest("dimensions must be at least 1, got " + dims, "dimensions");
        return new Request(model, inputs(body.get("input")), format.equals("base64"), dims);
    }

    private static List<Object> inputs(JsonNode input) {
        String shape = "'input' must be a string, a list of strings, a list of token ids or a list of token-id lists";
        if (input == null || input.isNull()) throw ApiError.badRequest("you must provide an input", "input");
        if (input.isTextual()) return List.of(input.asText());
        if (!input.isArray()) throw ApiError.badRequest(shape, "input");
        if (input.isEmpty()) throw ApiError.badRequest("'input' must not be an empty list", "input");
        if (input.get(0).isIntegralNumber()) return List.of(ids(input, shape));
        boolean texts = input.get(0).isTextual();
        List<Object> out = new ArrayList<>(input.size());
        for (JsonNode e : input) {
            if (texts && e.isTextual()) out.add(e.asText());
            else if (!texts && e.isArray()) out.add(ids(e, shape));
            else throw ApiError.badRequest(shape + " (not a mix)", "input");
        }
        return out;
    }

    private static int[] ids(JsonNode arr, String shape) {
        int[] ids = new int[arr.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = arr.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt()) throw ApiError.badRequest(shape + "; token ids must be integers", "input");
            ids[i] = t.asInt();
        }
        return ids;
    }

    /** {@code {"object":"list","data":[{"object":"embedding","index":i,"embedding":...}],"model":..,"usage":{..}}}. */
    public static ObjectNode response(String model, List<float[]> vectors, int promptTokens, boolean base64) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode d = data.addObject();
            d.put("object", "embedding");
            d.put("index", i);
            float[] v = vectors.get(i);
            if (base64) {
                // OpenAI's base64 is the float32 array's bytes in little-endian order (numpy's frombuffer on x86)
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                d.put("embedding", Base64.getEncoder().encodeToString(b.array()));
            } else {
                ArrayNode a = d.putArray("embedding");
                for (float x : v) a.add(x);
            }
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("total_tokens", promptTokens);
        return root;
    }
}
