package dev.ingot.compiler.graphexec;

import dev.ingot.compiler.pass.KernelGroup;
import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.Node;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.gemm.IntGemm;
import java.util.List;

/**
 * A fused group that is exactly the dynamic quantisation of one F32 tensor as {@link QuantRewrites} leaves it,
 * {@code y = min(max(rne(x / scale) + zp, lo), hi) - za} (rne as {@code (v + MAGIC) - MAGIC}; the clamp in either
 * order; scale, zp, za one-element values computed at run time, lo and hi constants). When every consumer of y is an
 * integer linear, the executor runs no step for the group: the linears quantise x in their prep
 * ({@link IntGemm.Quant}, the same float operations), as ONNX Runtime's DynamicQuantizeMatMul does, which saves a
 * write and a read of y [T, K] per linear input.
 */
record QuantPrologue(Value x, Value scale, Value zp, float lo, float hi, Value za) {
    /** The prologue of {@code grp}, or null when the group is anything else. */
    static QuantPrologue match(KernelGroup grp) {
        List<Node> ns = grp.nodes();
        if (ns.size() != 7 || grp.outputs().size() != 1 || grp.outputs().getFirst() != ns.get(6).output()) return null;
        BinaryKind[] want = {BinaryKind.DIV, BinaryKind.ADD, BinaryKind.SUB, BinaryKind.ADD, null, null, BinaryKind.SUB};
        for (int i = 0; i < 7; i++) {
            Node n = ns.get(i);
            if (!(n.op() instanceof ElementwiseOp.Binary b) || (i > 0 && n.input(0) != ns.get(i - 1).output())) return null;
            if (want[i] != null ? b.kind() != want[i] : b.kind() != BinaryKind.MAX && b.kind() != BinaryKind.MIN) return null;
        }
        if (Match.scalar(ns.get(1).input(1)) != IntGemm.Quant.MAGIC || Match.scalar(ns.get(2).input(1)) != IntGemm.Quant.MAGIC) return null;
        // the clamp: max(., lo) and min(., hi) in either order
        Node c0 = ns.get(4), c1 = ns.get(5);
        if (((ElementwiseOp.Binary) c0.op()).kind() == ((ElementwiseOp.Binary) c1.op()).kind()) return null;
        Node max = ((ElementwiseOp.Binary) c0.op()).kind() == BinaryKind.MAX ? c0 : c1, min = max == c0 ? c1 : c0;
        double lo = Match.scalar(max.input(1)), hi = Match.scalar(min.input(1));
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo != (float) lo || hi != (float) hi) return null;
        Value x = ns.get(0).input(0), scale = ns.get(0).input(1), zp = ns.get(3).input(1), za = ns.get(6).input(1);
        if (x.dtype() != dev.ingot.tensor.DType.F32 || x.rank() < 1) return null;
        for (Value v : new Value[] {scale, zp, za}) if (!v.shape().numel().equals(Dim.of(1)) || v.dtype() != dev.ingot.tensor.DType.F32) return null;
        return new QuantPrologue(x, scale, zp, (float) lo, (float) hi, za);
    }
}
