package dev.ingot.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** OpenAI's error body: {@code {"error":{"message","type","param","code"}}} (null members written as null). */
final class ErrorBody {
    private ErrorBody() {}

    static ObjectNode of(String message, String type, String param, String code) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", message);
        e.put("type", type);
        e.put("param", param);
        e.put("code", code);
        return root;
    }

    static ObjectNode of(ApiError e) {
        return of(e.getMessage(), e.type(), e.param(), e.code());
    }
}
