package dev.ingot.onnx;

/** Translates one ONNX op type: reads the node's inputs and attributes and defines its outputs. */
@FunctionalInterface
interface OpTranslator {
    void translate(NodeCtx n);
}
