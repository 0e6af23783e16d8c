package dev.ingot.onnx;

import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.onnx.proto.Onnx.AttributeProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ops that make values rather than transform them: Constant, ConstantOfShape, Range and Shape. Shape of a
 * tensor with symbolic dims yields a symbolic shape vector (see {@link SymbolicShapes}).
 */
final class SourceOps {
    private SourceOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("Constant", SourceOps::constant);
        m.put("ConstantOfShape", SourceOps::constantOfShape);
        m.put("Shape", n -> {
            List<Dim> dims = n.type(0).shape().dims();
            int r = dims.size();
            // opset 15: start/end slice the shape, clamped to [0, rank]
            int start = (int) Math.clamp(norm(n.attrInt("start", 0), r), 0, r);
            int end = (int) Math.clamp(norm(n.attrInt("end", r), r), 0, r);
            n.outDims(0, new ArrayList<>(dims.subList(start, Math.max(start, end))), false);
        });
        m.put("HannWindow", n -> window(n, 0.5, 0.5, 0));
        m.put("HammingWindow", n -> window(n, 25.0 / 46, 21.0 / 46, 0));
        m.put("BlackmanWindow", n -> window(n, 0.42, 0.5, 0.08));
        m.put("Size", n -> n.outDims(0, List.of(n.type(0).shape().numel()), true));
        m.put("Range", n -> {
            if (n.ctx.get(n.inName(1)).dims != null) {
                symbolicRange(n);
                return;
            }
            Tensor start = n.constant(0, "start"), limit = n.constant(1, "limit"), delta = n.constant(2, "delta");
            double s = start.getDouble(0), l = limit.getDouble(0), d = delta.getDouble(0);
            long count = Math.max(0, (long) Math.ceil((l - s) / d));
            Tensor out = Tensor.zeros(start.dtype(), count);
            for (long i = 0; i < count; i++) {
                if (start.dtype().isFloatingPoint()) out.setDouble(i, s + i * d);
                else out.setLong(i, start.getLong(0) + i * delta.getLong(0));
            }
            n.outConstant(0, out);
        });
    }

    /** Range(start, limit, 1) with a symbolic limit (position ids up to seq): iota(limit - start) + start. */
    private static void symbolicRange(NodeCtx n) {
        Tensor start = n.constant(0, "start"), delta = n.constant(2, "delta");
        if (delta.getDouble(0) != 1 || start.dtype().isFloatingPoint()) throw n.fail("a symbolic limit needs an integer start and delta 1");
        Dim limit = n.dims(1, "limit").getFirst();
        Dim len = limit.minus(start.getLong(0));
        Value v = n.b.iota(new TensorType(start.dtype() == dev.ingot.tensor.DType.I32 ? start.dtype() : dev.ingot.tensor.DType.I64, new Shape(List.of(len))), 0, null);
        if (start.getLong(0) != 0) v = n.b.add(v, ElementwiseOps.scalar(n, v.dtype(), start.getLong(0)), null);
        if (v.dtype() != start.dtype()) v = n.b.cast(v, start.dtype(), null);
        n.out(n.b.reshape(v, v.shape(), n.outName(0)));
    }

    /**
     * a0 - a1 cos(2 pi k / D) + a2 cos(4 pi k / D), k in [0, size), D = size (periodic, default) or size - 1;
     * computed at import (size must be known), in output_datatype (default float).
     */
    private static void window(NodeCtx n, double a0, double a1, double a2) {
        long size = n.constant(0, "size").getLong(0);
        double den = n.attrInt("periodic", 1) != 0 ? size : size - 1;
        Tensor out = Tensor.zeros(TensorProtos.dtype((int) n.attrInt("output_datatype", 1)), size);
        for (long k = 0; k < size; k++) {
            double t = 2 * Math.PI * k / den;
            out.setDouble(k, a0 - a1 * Math.cos(t) + a2 * Math.cos(2 * t));
        }
        n.outConstant(0, out);
    }

    private static long norm(long a, int rank) { return a < 0 ? a + rank : a; }

    private static void constant(NodeCtx n) {
        AttributeProto a;
        if ((a = n.attr("value")) != null) n.outConstant(0, TensorProtos.toTensor(a.getT(), Path.of(".")));
        else if ((a = n.attr("value_float")) != null) n.outConstant(0, Tensor.f32(new float[] {a.getF()}));
        else if ((a = n.attr("value_int")) != null) n.outConstant(0, Tensor.i64(new long[] {a.getI()}));
        else if ((a = n.attr("value_floats")) != null) {
            float[] f = new float[a.getFloatsCount()];
            for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
            n.outConstant(0, Tensor.f32(f, f.length));
        } else if ((a = n.attr("value_ints")) != null) {
            long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            n.outConstant(0, Tensor.i64(v, v.length));
        } else {
            throw n.fail("only value, value_float(s) and value_int(s) are supported (sparse and string constants are not)");
        }
    }

    private static void constantOfShape(NodeCtx n) {
        Tensor fill = n.hasAttr("value") ? TensorProtos.toTensor(n.attr("value").getT(), Path.of(".")) : Tensor.f32(new float[] {0f}, 1);
        List<Dim> dims = n.dims(0, "shape");
        Shape s = new Shape(dims);
        if (s.isStatic()) {
            long[] sizes = s.staticSizes();
            Tensor out = Tensor.zeros(fill.dtype(), sizes);
            boolean fp = fill.dtype().isFloatingPoint();
            for (long i = 0; i < out.numel(); i++) {
                if (fp) out.setDouble(i, fill.getDouble(0));
                else out.setLong(i, fill.getLong(0));
            }
            n.outConstant(0, out);
            return;
        }
        // symbolic shape: a scalar broadcast at run time
        Tensor one = Tensor.zeros(fill.dtype());
        if (fill.dtype().isFloatingPoint()) one.setDouble(0, fill.getDouble(0));
        else one.setLong(0, fill.getLong(0));
        Value c = n.b.constant(new TensorType(fill.dtype(), Shape.SCALAR), one.toSegment(), null);
        n.out(n.b.expand(c, s, n.outName(0)));
    }

}
