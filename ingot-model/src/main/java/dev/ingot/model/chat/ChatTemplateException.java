package dev.ingot.model.chat;

/** A chat template failed to render: a syntax error, or the template rejected the conversation (raise_exception). */
public final class ChatTemplateException extends RuntimeException {
    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
