package dev.ingot.model.config;

/** A model's configuration is missing a required key, has a wrong value or names an unsupported architecture. */
public final class ModelConfigException extends IllegalArgumentException {
    public ModelConfigException(String message) {
        super(message);
    }
}
