package dev.ingot.ir;

import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;

/**
 * An SSA value: defined once by one {@link Node} of one graph. {@code id} is its index in definition order
 * (printed {@code %id}); {@code name} is an optional, graph-unique label ({@code blk.3.q}, {@code attn_norm.0})
 * by which the interpreter and the runtime can dump and compare it. Identity semantics: two values are equal only
 * when they are the same object.
 */
public final class Value {
    private final int id;
    private final String name;
    private final TensorType type;
    private final Op definingOp;

    Value(int id, String name, TensorType type, Op definingOp) {
        this.id = id;
        this.name = name;
        this.type = type;
        this.definingOp = definingOp;
    }

    /** The op that defines this value (also {@code graph.producer(v).op()}). */
    public Op definingOp() { return definingOp; }

    /** True for an external weight, printed {@code @name}. */
    public boolean isWeight() { return definingOp instanceof SourceOp.Weight; }

    public int id() { return id; }

    /** The label, or null for an unnamed value. */
    public String name() { return name; }

    /** The name if any, else {@code %id}: what error messages and dumps use. */
    public String label() { return name != null ? name : "%" + id; }

    public TensorType type() { return type; }

    public DType dtype() { return type.dtype(); }

    public Shape shape() { return type.shape(); }

    public int rank() { return type.rank(); }

    @Override public String toString() { return label() + ":" + type; }
}
