package dev.ingot.ir;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.LlmOp.RopeMode;
import dev.ingot.ir.ReduceOp.ReduceKind;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Graph} op by op, inferring each output's type and rejecting bad arguments at the call site.
 * Every method's last parameter is the value's name (null for an unnamed value); names must be unique.
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder();
 * Value ids = b.input("tokens", DType.I32, "T");
 * Value x = b.embedding(b.weight("token_embd.weight", DType.Q8_0, Shape.of(32000, 256), seg), ids, "inp_embd");
 * Value h = b.rmsNorm(x, b.weight("blk.0.attn_norm.weight", ...), 1e-5f, "attn_norm.0");
 * Graph g = b.output(h).build();
 * }</pre>
 */
public final class GraphBuilder {
    private final List<Node> nodes = new ArrayList<>();
    private final Set<Value> defined = new HashSet<>();
    private final Map<String, Value> names = new HashMap<>();
    private final List<Value> outputs = new ArrayList<>();

    // ---- generic --------------------------------------------------------------------------------------------

    /** Appends {@code op(inputs)}; the escape hatch frontends and passes use. */
    public Value op(Op op, List<Value> inputs, String name) {
        for (Value v : inputs) {
            if (v == null) throw new IllegalArgumentException(op.mnemonic() + ": null input" + at(name));
            if (!defined.contains(v)) throw new IllegalArgumentException(op.mnemonic() + ": input " + v + " is not a value of this builder" + at(name));
        }
        if (name != null && names.containsKey(name)) {
            throw new IllegalArgumentException("duplicate value name '" + name + "' (" + op.mnemonic() + ")");
        }
        TensorType t;
        try {
            t = op.infer(inputs.stream().map(Value::type).toList());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + at(name), e);
        }
        Value out = new Value(nodes.size(), name, t, op);
        nodes.add(new Node(op, inputs, out));
        defined.add(out);
        if (name != null) names.put(name, out);
        return out;
    }

    private static String at(String name) { return name == null ? "" : " (value '" + name + "')"; }

    /** Marks graph outputs, in order. */
    public GraphBuilder output(Value... vs) {
        for (Value v : vs) {
            if (!defined.contains(v)) throw new IllegalArgumentException("output " + v + " is not a value of this builder");
            outputs.add(v);
        }
        return this;
    }

    /** The verified graph. */
    public Graph build() {
        Graph g = new Graph(nodes, outputs);
        Verifier.verify(g);
        return g;
    }

    /** A value of this builder by name. */
    public Value value(String name) {
        Value v = names.get(name);
        if (v == null) throw new IllegalArgumentException("no value named '" + name + "'");
        return v;
    }

    // ---- sources --------------------------------------------------------------------------------------------

    /** A run-time input; dims are Integer/Long constants, String symbols or Dims. */
    public Value input(String name, DType dtype, Object... dims) {
        return input(name, new TensorType(dtype, Shape.of(dims)));
    }

    public Value input(String name, TensorType type) {
        if (name == null) throw new IllegalArgumentException("inputs must be named");
        return op(new SourceOp.Input(type), List.of(), name);
    }

    /** An external weight over {@code data} (not copied; little-endian, quantised types as stored). */
    public Value weight(String name, DType dtype, Shape shape, MemorySegment data) {
        if (name == null) throw new IllegalArgumentException("weights must be named");
        return op(new SourceOp.Weight(new TensorType(dtype, shape), data), List.of(), name);
    }

    /** An F32 constant (copied into the graph). */
    public Value constant(float[] data, Shape shape, String name) {
        return constant(DType.F32, toDoubles(data), shape, name);
    }

    /** A constant over raw little-endian bytes of a plain dtype (not copied; the caller must not mutate them). */
    public Value constant(TensorType type, MemorySegment data, String name) {
        return op(new SourceOp.Constant(type, data), List.of(), name);
    }

    /** An integer or BOOL constant (I8..I64, U8, BOOL; copied). */
    public Value constant(long[] data, DType dtype, Shape shape, String name) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        return constant(dtype, d, shape, name);
    }

    /** Indices along {@code axis} of a tensor of {@code type} (I32, I64 or F32; shape may be symbolic). */
    public Value iota(TensorType type, int axis, String name) {
        return op(new SourceOp.Iota(type, axis), List.of(), name);
    }

    /** An F32 scalar constant. */
    public Value scalar(float v, String name) { return constant(new float[] {v}, Shape.SCALAR, name); }

    private Value constant(DType dtype, double[] data, Shape shape, String name) {
        TensorType t = new TensorType(dtype, shape);
        if (shape.numel().constant() != data.length) {
            throw new IllegalArgumentException("constant " + t + " needs " + shape.numel() + " elements, got " + data.length + at(name));
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) SourceOp.byteSize(t)]);
        for (int i = 0; i < data.length; i++) SegmentReader.put(dtype, seg, i, data[i]);
        return op(new SourceOp.Constant(t, seg), List.of(), name);
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    // ---- elementwise ----------------------------------------------------------------------------------------

    public Value unary(UnaryKind kind, Value x, String name) { return op(new ElementwiseOp.Unary(kind), List.of(x), name); }

    public Value binary(BinaryKind kind, Value a, Value b, String name) {
        return op(new ElementwiseOp.Binary(kind), List.of(a, b), name);
    }

    public Value add(Value a, Value b, String name) { return binary(BinaryKind.ADD, a, b, name); }

    public Value sub(Value a, Value b, String name) { return binary(BinaryKind.SUB, a, b, name); }

    public Value mul(Value a, Value b, String name) { return binary(BinaryKind.MUL, a, b, name); }

    public Value div(Value a, Value b, String name) { return binary(BinaryKind.DIV, a, b, name); }

    public Value silu(Value x, String name) { return unary(UnaryKind.SILU, x, name); }

    /** GELU, tanh approximation ({@code tanh=true}, llama.cpp) or exact erf form. */
    public Value gelu(Value x, boolean tanh, String name) {
        return unary(tanh ? UnaryKind.GELU_TANH : UnaryKind.GELU_ERF, x, name);
    }

    public Value where(Value cond, Value a, Value b, String name) {
        return op(new ElementwiseOp.Where(), List.of(cond, a, b), name);
    }

    public Value cast(Value x, DType to, String name) { return op(new ElementwiseOp.Cast(to), List.of(x), name); }

    // ---- shapes ---------------------------------------------------------------------------------------------

    /** Reshape; at most one dim may be the constant -1, solved from the element count (exact division). */
    public Value reshape(Value x, Shape to, String name) {
        int infer = -1;
        Dim known = Dim.of(1);
        for (int i = 0; i < to.rank(); i++) {
            if (to.dim(i).equals(Dim.of(-1))) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + to + at(name));
                infer = i;
            } else {
                known = known.times(to.dim(i));
            }
        }
        if (infer >= 0) to = to.with(infer, x.shape().numel().div(known));
        return op(new ShapeOp.Reshape(to), List.of(x), name);
    }

    public Value transpose(Value x, List<Integer> perm, String name) { return op(new ShapeOp.Transpose(perm), List.of(x), name); }

    public Value slice(Value x, List<Long> starts, List<Long> ends, List<Integer> axes, List<Long> steps, String name) {
        return op(new ShapeOp.Slice(starts, ends, axes, steps), List.of(x), name);
    }

    /** x[..., start:end, ...] on one axis with step 1 ({@link ShapeOp.Slice#END} for "to the end"). */
    public Value slice(Value x, int axis, long start, long end, String name) {
        return slice(x, List.of(start), List.of(end), List.of(axis), List.of(1L), name);
    }

    public Value concat(List<Value> xs, int axis, String name) { return op(new ShapeOp.Concat(axis), xs, name); }

    public Value gather(Value data, Value indices, int axis, String name) {
        return op(new ShapeOp.Gather(axis), List.of(data, indices), name);
    }

    public Value expand(Value x, Shape to, String name) { return op(new ShapeOp.Expand(to), List.of(x), name); }

    public Value squeeze(Value x, List<Integer> axes, String name) { return op(new ShapeOp.Squeeze(axes), List.of(x), name); }

    public Value unsqueeze(Value x, List<Integer> axes, String name) { return op(new ShapeOp.Unsqueeze(axes), List.of(x), name); }

    public Value shapeOf(Value x, String name) { return op(new ShapeOp.ShapeOf(), List.of(x), name); }

    // ---- reductions, linear algebra ---------------------------------------------------------------------------

    public Value reduce(ReduceKind kind, Value x, List<Integer> axes, boolean keepDims, String name) {
        return op(new ReduceOp.Reduce(kind, axes, keepDims), List.of(x), name);
    }

    public Value reduceSum(Value x, List<Integer> axes, boolean keepDims, String name) { return reduce(ReduceKind.SUM, x, axes, keepDims, name); }

    public Value reduceMean(Value x, List<Integer> axes, boolean keepDims, String name) { return reduce(ReduceKind.MEAN, x, axes, keepDims, name); }

    public Value reduceMax(Value x, List<Integer> axes, boolean keepDims, String name) { return reduce(ReduceKind.MAX, x, axes, keepDims, name); }

    public Value argMax(Value x, int axis, boolean keepDims, String name) { return op(new ReduceOp.ArgMax(axis, keepDims), List.of(x), name); }

    public Value softmax(Value x, int axis, String name) { return op(new ReduceOp.Softmax(axis), List.of(x), name); }

    public Value matmul(Value a, Value b, String name) { return op(new LinalgOp.MatMul(), List.of(a, b), name); }

    /** x [..., K] · w [N, K]ᵀ -> [..., N]. */
    public Value linear(Value x, Value w, String name) { return op(new LinalgOp.Linear(), List.of(x, w), name); }

    // ---- LLM ops --------------------------------------------------------------------------------------------

    public Value embedding(Value table, Value ids, String name) { return op(new LlmOp.Embedding(), List.of(table, ids), name); }

    public Value rmsNorm(Value x, Value w, float eps, String name) { return op(new LlmOp.RmsNorm(eps), List.of(x, w), name); }

    /** LayerNorm; {@code b} may be null. */
    public Value layerNorm(Value x, Value w, Value b, float eps, String name) {
        return op(new LlmOp.LayerNorm(eps), b == null ? List.of(x, w) : List.of(x, w, b), name);
    }

    /** RoPE over x [T, H, D]; {@code freqFactors} [rotDim/2] may be null. */
    public Value rope(Value x, Value positions, Value freqFactors, RopeMode mode, int rotDim, float base, String name) {
        List<Value> in = freqFactors == null ? List.of(x, positions) : List.of(x, positions, freqFactors);
        return op(new LlmOp.Rope(mode, rotDim, base), in, name);
    }

    public Value kvWrite(Value cache, Value kv, Value slots, String name) {
        return op(new LlmOp.KvWrite(), List.of(cache, kv, slots), name);
    }

    /** Paged attention with scale 1/sqrt(headDim). */
    public Value pagedAttention(Value q, Value kCache, Value vCache, Value blockTables, Value seqLens, Value tokenSeq,
                                Value positions, String name) {
        return pagedAttention(q, kCache, vCache, blockTables, seqLens, tokenSeq, positions, defaultScale(q), name);
    }

    public Value pagedAttention(Value q, Value kCache, Value vCache, Value blockTables, Value seqLens, Value tokenSeq,
                                Value positions, float scale, String name) {
        return op(new LlmOp.PagedAttention(scale), List.of(q, kCache, vCache, blockTables, seqLens, tokenSeq, positions), name);
    }

    /** Scaled-dot-product attention with scale 1/sqrt(headDim); {@code mask} may be null. */
    public Value attention(Value q, Value k, Value v, Value mask, boolean causal, String name) {
        return attention(q, k, v, mask, defaultScale(q), causal, name);
    }

    public Value attention(Value q, Value k, Value v, Value mask, float scale, boolean causal, String name) {
        return op(new LlmOp.Attention(scale, causal), mask == null ? List.of(q, k, v) : List.of(q, k, v, mask), name);
    }

    private static float defaultScale(Value q) {
        Dim d = q.shape().dim(-1);
        if (!d.isConstant()) throw new IllegalArgumentException("head dim " + d + " is symbolic: pass the scale explicitly");
        return (float) (1.0 / Math.sqrt(d.constant()));
    }
}
