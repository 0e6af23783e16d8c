package dev.ingot.onnx;

import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.onnx.proto.Onnx.AttributeProto;
import dev.ingot.onnx.proto.Onnx.NodeProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX node being translated: its inputs (optional ones may be omitted, as trailing or empty names), its
 * attributes with ONNX defaults, and where its outputs go. Translators read through this and never touch the
 * protobuf directly.
 */
final class NodeCtx {
    final NodeProto node;
    final ImportContext ctx;
    final GraphBuilder b;
    private final Map<String, AttributeProto> attrs = new HashMap<>();

    NodeCtx(NodeProto node, ImportContext ctx) {
        this.node = node;
        this.ctx = ctx;
        this.b = ctx.builder;
        for (AttributeProto a : node.getAttributeList()) attrs.put(a.getName(), a);
    }

    int opset() { return ctx.opset; }

    String op() { return node.getOpType(); }

    int inputs() { return node.getInputCount(); }

    /** Whether optional input {@code i} is present. */
    boolean has(int i) { return i < node.getInputCount() && !node.getInput(i).isEmpty(); }

    String inName(int i) {
        if (!has(i)) throw fail("input " + i + " is required");
        return node.getInput(i);
    }

    Value x(int i) { return ctx.ir(inName(i)); }

    TensorType type(int i) { return ctx.type(inName(i)); }

    int rank(int i) { return type(i).rank(); }

    /** Input {@code i} as an import-time constant; fails naming {@code what} when it is only known at run time. */
    Tensor constant(int i, String what) {
        Tensor t = ctx.constant(inName(i));
        if (t == null) throw fail(what + " (input " + i + ", value '" + inName(i) + "') must be known at import time");
        return t;
    }

    /** An integer input known at import time as a list of longs. */
    List<Long> longs(int i, String what) {
        Tensor t = constant(i, what);
        Long[] v = new Long[(int) t.numel()];
        for (int k = 0; k < v.length; k++) v[k] = t.getLong(k);
        return List.of(v);
    }

    /** A shape-vector input (constant or symbolic) as dims. */
    List<Dim> dims(int i, String what) {
        List<Dim> d = ctx.dims(inName(i));
        if (d == null) throw fail(what + " (input " + i + ", value '" + inName(i) + "') must be known at import time (a constant or a shape computation)");
        return d;
    }

    boolean hasAttr(String name) { return attrs.containsKey(name); }

    long attrInt(String name, long def) { return attrs.containsKey(name) ? attrs.get(name).getI() : def; }

    float attrFloat(String name, float def) { return attrs.containsKey(name) ? attrs.get(name).getF() : def; }

    String attrString(String name, String def) { return attrs.containsKey(name) ? attrs.get(name).getS().toStringUtf8() : def; }

    List<Long> attrInts(String name) { return attrs.containsKey(name) ? attrs.get(name).getIntsList() : null; }

    List<Float> attrFloats(String name) { return attrs.containsKey(name) ? attrs.get(name).getFloatsList() : null; }

    AttributeProto attr(String name) { return attrs.get(name); }

    /** Output {@code k}'s ONNX name as an IR value name (null if taken or omitted). */
    String outName(int k) { return k < node.getOutputCount() ? ctx.claim(node.getOutput(k)) : null; }

    int outputs() { return node.getOutputCount(); }

    void out(int k, Value v) { ctx.define(node.getOutput(k), OnnxValue.runtime(v)); }

    void out(Value v) { out(0, v); }

    void outConstant(int k, Tensor t) { ctx.define(node.getOutput(k), OnnxValue.constant(t)); }

    void outDims(int k, List<Dim> dims, boolean scalar) { ctx.define(node.getOutput(k), OnnxValue.dims(dims, scalar)); }

    /** Passes input {@code i} through unchanged (Identity, no-op casts), keeping what is known about it. */
    void alias(int k, int i) { ctx.define(node.getOutput(k), ctx.get(inName(i))); }

    /** Normalises a possibly negative axis against {@code rank}. */
    int axis(long a, int rank) {
        if (a < -rank || a >= rank) throw fail("axis " + a + " out of range for rank " + rank);
        return (int) (a < 0 ? a + rank : a);
    }

    OnnxImportException fail(String msg) {
        return new OnnxImportException(op() + " node '" + label() + "': " + msg);
    }

    String label() { return node.getName().isEmpty() ? node.getOutput(0) : node.getName(); }
}
