package dev.ingot.onnx;

import dev.ingot.ir.interp.Tensor;
import dev.ingot.onnx.proto.Onnx.AttributeProto;
import dev.ingot.onnx.proto.Onnx.GraphProto;
import dev.ingot.onnx.proto.Onnx.ModelProto;
import dev.ingot.onnx.proto.Onnx.NodeProto;
import dev.ingot.onnx.proto.Onnx.OperatorSetIdProto;
import dev.ingot.onnx.proto.Onnx.TensorShapeProto;
import dev.ingot.onnx.proto.Onnx.TypeProto;
import dev.ingot.onnx.proto.Onnx.ValueInfoProto;
import dev.ingot.tensor.DType;
import java.util.List;

/** Builds small ONNX models in tests. */
final class Models {
    private final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private final int opset;

    Models(int opset) { this.opset = opset; }

    /** A graph input; dims are Integer (dim_value) or String (dim_param). */
    Models input(String name, DType dtype, Object... dims) {
        g.addInput(info(name, dtype, dims));
        return this;
    }

    Models output(String name) {
        g.addOutput(ValueInfoProto.newBuilder().setName(name));
        return this;
    }

    Models initializer(String name, Tensor t) {
        g.addInitializer(TensorProtos.fromTensor(t, name));
        return this;
    }

    Models node(String op, List<String> in, List<String> out, AttributeProto... attrs) {
        g.addNode(NodeProto.newBuilder().setOpType(op).setName(out.getFirst() + "_node").addAllInput(in).addAllOutput(out).addAllAttribute(List.of(attrs)));
        return this;
    }

    GraphProto.Builder graph() { return g; }

    ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static ValueInfoProto info(String name, DType dtype, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProtos.onnxType(dtype)).setShape(s))).build();
    }
}
