package dev.ingot.compiler.pass;

import dev.ingot.compiler.loop.Kernel;
import dev.ingot.compiler.loop.Param;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A lowered group: its loop IR kernel and where each kernel parameter comes from.
 *
 * @param values  per parameter, the graph value it carries, or null for an int symbol parameter
 * @param temps   values the kernel stores that nothing outside reads (scratch arena space)
 */
public record GroupKernel(KernelGroup group, Kernel kernel, List<Value> values, List<Value> temps) {

    /**
     * Arguments for a call: arena values at {@code offsets} in {@code arena}, weights and constants as their
     * segments, symbols from {@code symbols} (by symbol name, without the {@code d_} prefix).
     */
    public Object[] arguments(float[] arena, Map<Value, Integer> offsets, Map<String, Long> symbols) {
        List<Object> args = new ArrayList<>();
        for (int p = 0; p < kernel.params().size(); p++) {
            Param param = kernel.params().get(p);
            Value v = values.get(p);
            switch (param) {
                case Param.Arena a -> {
                    Integer off = offsets.get(v);
                    if (off == null) throw new IllegalArgumentException("no arena offset for " + v);
                    args.add(arena);
                    args.add(off);
                }
                case Param.Weights w -> args.add(switch (v.definingOp()) {
                    case SourceOp.Weight wt -> wt.data();
                    case SourceOp.Constant c -> c.data();
                    default -> throw new IllegalStateException("weights parameter from " + v);
                });
                case Param.Scalar s -> {
                    Long val = symbols.get(s.name().substring(GroupLowering.SYMBOL_PREFIX.length()));
                    if (val == null) throw new IllegalArgumentException("symbol " + s.name() + " is not bound");
                    args.add(Math.toIntExact(val));
                }
                case Param.Ints i -> throw new IllegalStateException("groups take no int buffers");
            }
        }
        return args.toArray();
    }
}
