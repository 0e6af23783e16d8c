package dev.ingot.ir;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operation of the graph IR: a record of attributes (no tensors) in one of a few sealed families. Each op
 * knows its printed mnemonic and infers its output type from its inputs' types; the builder and the verifier use
 * the same {@link #infer} so a graph that verifies has the types its ops imply. Semantics are in the family
 * interfaces and in {@code dev.ingot.ir.interp}'s package documentation.
 */
public sealed interface Op permits SourceOp, ElementwiseOp, ShapeOp, ReduceOp, LinalgOp, LlmOp {
    /** Printed name, snake_case ({@code rms_norm}, {@code add}, {@code reduce_sum}). */
    String mnemonic();

    /**
     * The output type for inputs of these types.
     *
     * @throws IllegalArgumentException naming the op, the offending input and the expected type
     */
    TensorType infer(List<TensorType> in);

    /** An ordered attribute map from alternating names and values (deterministic printing). */
    static Map<String, Object> attrsOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /**
     * Attributes as printed, in declaration order. The default lists the record's components, names in
     * snake_case ({@code rotDim} prints as {@code rot_dim}).
     */
    default Map<String, Object> attrs() {
        Map<String, Object> m = new LinkedHashMap<>();
        RecordComponent[] rc = getClass().getRecordComponents();
        if (rc == null) return m;
        for (RecordComponent c : rc) {
            try {
                m.put(c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT), c.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read attribute " + c.getName() + " of " + this, e);
            }
        }
        return m;
    }
}
