package dev.ingot.model.tokenizer;

/** Token types as stored in {@code tokenizer.ggml.token_type} (values are llama.cpp's, do not reorder). */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    public static TokenType of(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : UNDEFINED;
    }

    /** Tokens rendered only when special tokens are shown (llama.cpp's CONTROL | UNKNOWN attributes). */
    public boolean isSpecial() {
        return this == CONTROL || this == UNKNOWN;
    }

    private static final TokenType[] VALUES = values();
}
