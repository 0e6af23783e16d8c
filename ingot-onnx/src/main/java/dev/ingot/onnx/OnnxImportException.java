package dev.ingot.onnx;

/** An ONNX model the importer cannot translate exactly: the message names the ops, nodes or dtypes involved. */
public final class OnnxImportException extends RuntimeException {
    public OnnxImportException(String message) { super(message); }

    public OnnxImportException(String message, Throwable cause) { super(message, cause); }
}
