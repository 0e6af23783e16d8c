package dev.ingot.ir.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Test harness: a graph of one op over static inputs named in0, in1, ...; returns its single output. */
final class OneOp {
    private OneOp() {}

    static Tensor run(BiFunction<GraphBuilder, List<Value>, Value> op, Tensor... inputs) {
        GraphBuilder b = new GraphBuilder();
        List<Value> vs = new ArrayList<>();
        Map<String, Tensor> in = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            Object[] dims = new Object[inputs[i].rank()];
            for (int d = 0; d < dims.length; d++) dims[d] = inputs[i].dim(d);
            vs.add(b.input("in" + i, inputs[i].dtype(), dims));
            in.put("in" + i, inputs[i]);
        }
        Value out = op.apply(b, vs);
        return Interpreter.run(b.output(out).build(), in).output(0);
    }

    static void assertClose(float[] actual, float[] expected, double atol, String what) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > atol || Float.isNaN(actual[i]) != Float.isNaN(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (atol " + atol + ")");
            }
        }
    }

    static Shape shape(Object... dims) { return Shape.of(dims); }
}
