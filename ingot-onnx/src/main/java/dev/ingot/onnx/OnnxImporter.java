package dev.ingot.onnx;

import dev.ingot.ir.Graph;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.TensorType;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.ir.shape.Shape;
import dev.ingot.onnx.proto.Onnx.GraphProto;
import dev.ingot.onnx.proto.Onnx.ModelProto;
import dev.ingot.onnx.proto.Onnx.NodeProto;
import dev.ingot.onnx.proto.Onnx.OperatorSetIdProto;
import dev.ingot.onnx.proto.Onnx.TensorProto;
import dev.ingot.onnx.proto.Onnx.TensorShapeProto;
import dev.ingot.onnx.proto.Onnx.TypeProto;
import dev.ingot.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ONNX model to Graph IR. One graph serves every binding of the inputs' {@code dim_param}s; nodes whose inputs
 * are all known at import time are evaluated here by the reference interpreter (constant folding), and shape
 * subgraphs over symbolic dims are resolved into IR shapes ({@link SymbolicShapes}).
 * <pre>{@code
 * Graph g = OnnxImporter.importFile(Path.of("model.onnx"));
 * Tensor y = Interpreter.run(g, Map.of("input_ids", ids)).output(0);
 * }</pre>
 */
public final class OnnxImporter {
    private static final Map<String, OpTranslator> OPS = registry();

    private OnnxImporter() {}

    private static Map<String, OpTranslator> registry() {
        Map<String, OpTranslator> m = new LinkedHashMap<>();
        ElementwiseOps.register(m);
        ShapeOps.register(m);
        MathOps.register(m);
        SourceOps.register(m);
        ActivationOps.register(m);
        QuantOps.register(m);
        LayoutOps.register(m);
        IndexOps.register(m);
        ConvOps.register(m);
        LossOps.register(m);
        ConvTransposeOp.register(m);
        ResizeOp.register(m);
        m.put("GatherElements", GatherElementsOp::translate);
        m.put("GatherND", GatherElementsOp::gatherNd);
        return Map.copyOf(m);
    }

    /** The ONNX op types this importer translates (default domain), sorted. */
    public static Set<String> supportedOps() { return new java.util.TreeSet<>(OPS.keySet()); }

    /** Reads and imports {@code model}; external data files are resolved next to it. */
    public static Graph importFile(Path model) throws IOException {
        ModelProto m;
        try (InputStream in = Files.newInputStream(model)) {
            m = ModelProto.parseFrom(in);
        }
        Path dir = model.toAbsolutePath().getParent();
        return importModel(m, dir);
    }

    /** Imports a parsed model; {@code baseDir} is where external tensor data is looked up. */
    public static Graph importModel(ModelProto model, Path baseDir) { return importModel(model, baseDir, Map.of()); }

    /**
     * Imports with some graph inputs fixed to given values: they become constants, so shape arguments fed as
     * inputs (Reshape's shape, Slice's starts, axes) are known and the graph is specialised to them (as
     * TVM's {@code freeze_params}). The returned graph has no input for them.
     */
    public static Graph importModel(ModelProto model, Path baseDir, Map<String, Tensor> fixedInputs) {
        int opset = opset(model);
        GraphProto g = model.getGraph();
        checkSupported(g);
        ImportContext ctx = new ImportContext(new GraphBuilder(), opset);
        Set<String> initialized = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            ctx.define(t.getName(), OnnxValue.constant(initializer(t, baseDir)));
            initialized.add(t.getName());
        }
        for (ValueInfoProto in : g.getInputList()) {
            if (initialized.contains(in.getName())) continue; // IR < 4 lists initialisers as inputs too
            if (fixedInputs.containsKey(in.getName())) {
                ctx.define(in.getName(), OnnxValue.constant(fixedInputs.get(in.getName())));
                continue;
            }
            String name = ctx.claim(in.getName());
            ctx.define(in.getName(), OnnxValue.runtime(ctx.builder.input(name, inputType(in))));
        }
        for (NodeProto node : g.getNodeList()) translate(node, ctx);
        List<Value> outs = new ArrayList<>();
        for (ValueInfoProto out : g.getOutputList()) outs.add(ctx.ir(out.getName()));
        return ctx.builder.output(outs.toArray(Value[]::new)).build();
    }

    /** Names of the graph's run-time inputs (initialisers excluded), in order: the binding keys. */
    public static List<String> inputNames(ModelProto model) {
        Set<String> init = new HashSet<>();
        for (TensorProto t : model.getGraph().getInitializerList()) init.add(t.getName());
        return model.getGraph().getInputList().stream().map(ValueInfoProto::getName).filter(n -> !init.contains(n)).toList();
    }

    private static int opset(ModelProto m) {
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) return (int) o.getVersion();
        }
        return 1;
    }

    /** One error naming every op type the importer lacks and the nodes that use it. */
    private static void checkSupported(GraphProto g) {
        Map<String, List<String>> missing = new TreeMap<>();
        for (NodeProto n : g.getNodeList()) {
            boolean std = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            String key = std ? n.getOpType() : n.getDomain() + "." + n.getOpType();
            if (!std || !OPS.containsKey(n.getOpType())) {
                missing.computeIfAbsent(key, k -> new ArrayList<>()).add(n.getName().isEmpty() ? n.getOutput(0) : n.getName());
            }
        }
        if (missing.isEmpty()) return;
        StringBuilder sb = new StringBuilder("unsupported ONNX ops:");
        missing.forEach((op, nodes) -> sb.append("\n  ").append(op).append(" (node").append(nodes.size() > 1 ? "s " : " ")
                .append(String.join(", ", nodes.subList(0, Math.min(5, nodes.size())))).append(nodes.size() > 5 ? ", ..." : "").append(')'));
        throw new OnnxImportException(sb.toString());
    }

    private static Tensor initializer(TensorProto t, Path baseDir) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            // mapped, not copied; the mapping lives as long as the graph references it
            long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            return Tensor.external(TensorProtos.dtype(t.getDataType()), TensorProtos.bytes(t, baseDir, Arena.ofAuto()), shape);
        }
        return TensorProtos.toTensor(t, baseDir);
    }

    private static TensorType inputType(ValueInfoProto in) {
        TypeProto tp = in.getType();
        if (!tp.hasTensorType()) throw new OnnxImportException("input '" + in.getName() + "': only tensor inputs are supported, got " + tp.getValueCase());
        TypeProto.Tensor tt = tp.getTensorType();
        List<Dim> dims = new ArrayList<>();
        List<TensorShapeProto.Dimension> ds = tt.getShape().getDimList();
        for (int i = 0; i < ds.size(); i++) {
            TensorShapeProto.Dimension d = ds.get(i);
            if (d.hasDimValue()) dims.add(Dim.of(d.getDimValue()));
            else dims.add(Dim.sym(symbol(d.hasDimParam() ? d.getDimParam() : in.getName() + "_d" + i)));
        }
        return new TensorType(TensorProtos.dtype(tt.getElemType()), new Shape(dims));
    }

    /** dim_param as an IR symbol: identifier characters only ("batch size" -> batch_size). */
    static String symbol(String param) {
        String s = param.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isLetter(s.charAt(0)) || s.charAt(0) == '_' ? s : "d_" + s;
    }

    private static void translate(NodeProto node, ImportContext ctx) {
        NodeCtx n = new NodeCtx(node, ctx);
        try {
            if (allInputsConstant(n)) fold(node, ctx);
            else if (!(SymbolicShapes.applies(n) && SymbolicShapes.translate(n))) OPS.get(node.getOpType()).translate(n);
        } catch (OnnxImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw n.fail(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static boolean allInputsConstant(NodeCtx n) {
        for (int i = 0; i < n.inputs(); i++) if (n.has(i) && n.ctx.constant(n.inName(i)) == null) return false;
        return true;
    }

    /**
     * Evaluates a node whose inputs are all constants: translates it into a scratch graph over those constants
     * and runs the reference interpreter, so folding has exactly the run-time semantics.
     */
    private static void fold(NodeProto node, ImportContext ctx) {
        ImportContext scratch = new ImportContext(new GraphBuilder(), ctx.opset);
        for (String in : node.getInputList()) if (!in.isEmpty()) scratch.define(in, OnnxValue.constant(ctx.constant(in)));
        OPS.get(node.getOpType()).translate(new NodeCtx(node, scratch));
        List<String> pending = new ArrayList<>();
        List<Value> values = new ArrayList<>();
        for (String out : node.getOutputList()) {
            if (out.isEmpty()) continue;
            OnnxValue v = scratch.get(out);
            if (v.constant != null) ctx.define(out, v);
            else {
                pending.add(out);
                values.add(v.ir);
            }
        }
        if (values.isEmpty()) return;
        Graph g = scratch.builder.output(values.toArray(Value[]::new)).build();
        List<Tensor> r = Interpreter.run(g, Map.of()).outputs();
        for (int i = 0; i < pending.size(); i++) ctx.define(pending.get(i), OnnxValue.constant(r.get(i)));
    }
}
