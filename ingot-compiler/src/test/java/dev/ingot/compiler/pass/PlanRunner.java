package dev.ingot.compiler.pass;

import dev.ingot.codegen.jvm.CompiledKernel;
import dev.ingot.codegen.jvm.JvmCodegen;
import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Node;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Shape;
import dev.ingot.tensor.DType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal executor for tests: every F32 activation gets a window of one float arena; kernel groups run as
 * generated kernels (vector or scalar twin), unfused nodes through the reference interpreter.
 */
final class PlanRunner {
    private PlanRunner() {}

    static List<float[]> run(FusionPlan plan, Map<String, Tensor> inputs, Map<String, Long> symbols, boolean vector) {
        Graph g = plan.graph();
        Map<Value, Integer> offsets = new HashMap<>();
        int size = 0;
        for (Node n : g.nodes()) {
            Value v = n.output();
            boolean activation = n.op() instanceof SourceOp.Input || !(n.op() instanceof SourceOp);
            if (activation && v.dtype() == DType.F32) {
                offsets.put(v, size);
                size += (int) numel(v, symbols) + 3;   // small gaps: windows are not aligned to anything
            }
        }
        float[] arena = new float[size];
        Arrays.fill(arena, Float.NaN);
        Map<Value, Tensor> other = new HashMap<>();
        for (Value in : g.inputs()) {
            Tensor t = inputs.get(in.name());
            if (offsets.containsKey(in)) System.arraycopy(t.floats(), 0, arena, offsets.get(in), t.floats().length);
            else other.put(in, t);
        }
        for (Object step : plan.steps()) {
            if (step instanceof KernelGroup kg) {
                GroupKernel gk = GroupLowering.lower(kg);
                CompiledKernel ck = JvmCodegen.compile(gk.kernel());
                Object[] args = gk.arguments(arena, offsets, symbols);
                if (vector) ck.invoke(args); else ck.invokeScalar(args);
            } else {
                Node n = (Node) step;
                Tensor out = interpret(n, arena, offsets, other, symbols);
                if (offsets.containsKey(n.output())) System.arraycopy(out.floats(), 0, arena, offsets.get(n.output()), out.floats().length);
                else other.put(n.output(), out);
            }
        }
        List<float[]> outs = new ArrayList<>();
        for (Value o : g.outputs()) outs.add(Arrays.copyOfRange(arena, offsets.get(o), offsets.get(o) + (int) numel(o, symbols)));
        return outs;
    }

    private static long numel(Value v, Map<String, Long> symbols) {
        long n = 1;
        for (long d : v.shape().eval(symbols)) n *= d;
        return n;
    }

    /** One node through the interpreter, its activation inputs bound from the arena. */
    private static Tensor interpret(Node n, float[] arena, Map<Value, Integer> offsets, Map<Value, Tensor> other, Map<String, Long> symbols) {
        GraphBuilder mini = new GraphBuilder();
        Map<String, Tensor> bind = new HashMap<>();
        List<Value> ins = new ArrayList<>();
        for (int k = 0; k < n.inputs().size(); k++) {
            Value v = n.input(k);
            if (v.definingOp() instanceof SourceOp.Weight || v.definingOp() instanceof SourceOp.Constant) {
                ins.add(mini.op(v.definingOp(), List.of(), v.name() != null ? v.name() : "c" + k));
                continue;
            }
            long[] shape = v.shape().eval(symbols);
            String name = "in" + k;
            ins.add(mini.input(name, new TensorType(v.dtype(), Shape.ofSizes(shape))));
            if (offsets.containsKey(v)) {
                int off = offsets.get(v);
                bind.put(name, Tensor.f32(Arrays.copyOfRange(arena, off, off + (int) numel(v, symbols)), shape));
            } else {
                bind.put(name, other.get(v));
            }
        }
        mini.output(mini.op(n.op(), ins, null));
        return Interpreter.run(mini.build(), bind).output(0);
    }
}
