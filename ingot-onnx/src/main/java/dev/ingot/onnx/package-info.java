/**
 * ONNX import: {@link dev.ingot.onnx.OnnxImporter} reads a {@code ModelProto} (classes generated at build time
 * from {@code src/main/proto/onnx.proto3} into {@code dev.ingot.onnx.proto}) and emits Graph IR.
 *
 * <p>Contract:
 * <ul>
 *   <li>Graph inputs keep their ONNX names; {@code dim_param} dims become IR symbols of the same name (an
 *   unnamed unknown dim gets a fresh symbol {@code <input>_d<i>}), {@code dim_value} dims constants.</li>
 *   <li>Every ONNX value is either a run-time IR value or an import-time constant. Nodes whose inputs are
 *   all import-time constants are folded by the reference interpreter; shape arithmetic over symbolic dims
 *   ({@code Shape -> Gather -> Concat -> Reshape}) is carried as vectors of {@link dev.ingot.ir.shape.Dim}s,
 *   so the IR only ever sees static or symbolic shapes, never shape tensors.</li>
 *   <li>Opset differences (attributes that became inputs: Slice, Squeeze/Unsqueeze, Reduce axes, Split,
 *   Clip, Pad) are resolved per node from the model's default-domain opset.</li>
 *   <li>An op or attribute the importer cannot translate exactly fails the whole import with one
 *   {@link dev.ingot.onnx.OnnxImportException} listing every unsupported op type and the nodes using it;
 *   the importer never guesses.</li>
 *   <li>Graph inputs may be fixed to values at import ({@code importModel(model, dir, fixedInputs)}), which
 *   specialises the graph when shape arguments (Reshape's shape, Slice bounds, axes) arrive as inputs.</li>
 *   <li>Ops without an IR op of their own are composed from IR primitives with the ONNX formula: activations,
 *   quantisation (round half to even via floor/mod), Conv/pools by im2col (an import-time gather index table
 *   and a grouped matmul or a reduction), GatherElements as a flat gather, CumSum as a triangular matmul.</li>
 * </ul>
 *
 * <p>Layout: {@link dev.ingot.onnx.OnnxImporter} (model, initialisers, inputs, folding, dispatch),
 * {@code ImportContext}/{@code OnnxValue}/{@code NodeCtx} (value table and one node's view), one translator
 * class per op family ({@code ElementwiseOps}, {@code ActivationOps}, {@code ShapeOps}, {@code LayoutOps},
 * {@code MathOps}, {@code SourceOps}, {@code IndexOps}, {@code QuantOps}, {@code ConvOps}, {@code LossOps}),
 * {@code SymbolicShapes} (shape arithmetic over symbols), {@link dev.ingot.onnx.TensorProtos} and
 * {@link dev.ingot.onnx.Npy} (tensor files). Conformance: {@code OnnxConformanceTest} runs the ONNX backend
 * tests; what does not pass is listed with a reason in {@code src/test/resources/unsupported-tests.txt}.
 */
package dev.ingot.onnx;
