package dev.ingot.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.server.ApiError;

/** Typed reads of optional request fields; a present field of the wrong type is a 400 naming it. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** Absent and JSON null both mean "not given" (OpenAI clients send explicit nulls). */
    static boolean has(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n != null && !n.isNull();
    }

    static double number(JsonNode body, String field, double dflt) {
        if (!has(body, field)) return dflt;
        JsonNode n = body.get(field);
        if (!n.isNumber()) throw ApiError.badRequest("'" + field + "' must be a number, got " + n, field);
        return n.asDouble();
    }

    static int integer(JsonNode body, String field, int dflt) {
        if (!has(body, field)) return dflt;
        JsonNode n = body.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw ApiError.badRequest("'" + field + "' must be an integer, got " + n, field);
        return n.asInt();
    }

    static Long longOrNull(JsonNode body, String field) {
        if (!has(body, field)) return null;
        JsonNode n = body.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw ApiError.badRequest("'" + field + "' must be an integer, got " + n, field);
        return n.asLong();
    }

    static boolean bool(JsonNode body, String field, boolean dflt) {
        if (!has(body, field)) return dflt;
        JsonNode n = body.get(field);
        if (!n.isBoolean()) throw ApiError.badRequest("'" + field + "' must be a boolean, got " + n, field);
        return n.asBoolean();
    }

    static String string(JsonNode body, String field) {
        if (!has(body, field)) return null;
        JsonNode n = body.get(field);
        if (!n.isTextual()) throw ApiError.badRequest("'" + field + "' must be a string, got " + n, field);
        return n.asText();
    }
}
