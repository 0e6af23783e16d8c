package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.Value;
import dev.ingot.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: input [N, C, d...], target [N, d...]. The picked
 * log-probability is a GatherElements along C; class weights and ignore_index give per-element weights;
 * reduction mean divides by the sum of those weights (ONNX's definition).
 */
final class LossOps {
    private LossOps() {}

    static void register(Map<String, OpTranslator> m) {
        m.put("NegativeLogLikelihoodLoss", n -> n.out(nll(n, n.x(0), n.outName(0))));
        m.put("SoftmaxCrossEntropyLoss", n -> {
            Value logp = n.b.unary(UnaryKind.LOG, n.b.softmax(n.x(0), 1, null), null);
            n.out(nll(n, logp, n.outName(0)));
            if (n.outputs() > 1) n.out(1, logp);
        });
    }

    private static Value nll(NodeCtx n, Value input, String name) {
        Value target = n.b.cast(n.x(1), DType.I64, null);
        boolean hasIgnore = n.hasAttr("ignore_index");
        long ignore = n.attrInt("ignore_index", 0);
        DType t = input.dtype();
        Value valid = null;
        Value safe = target;
        if (hasIgnore) {
            // ignored targets may be out of range: gather class 0 instead and weight them 0
            valid = n.b.binary(BinaryKind.NE, target, ElementwiseOps.scalar(n, DType.I64, ignore), null);
            safe = n.b.where(valid, target, ElementwiseOps.scalar(n, DType.I64, 0), null);
        }
        Value picked = n.b.squeeze(GatherElementsOp.gatherElements(n, input, n.b.unsqueeze(safe, List.of(1), null), 1, null), List.of(1), null);
        Value w = null;
        if (n.has(2)) w = n.b.gather(n.x(2), safe, 0, null);
        if (valid != null) {
            Value vw = n.b.cast(valid, t, null);
            w = w == null ? vw : n.b.mul(w, vw, null);
        }
        Value loss = n.b.unary(UnaryKind.NEG, picked, null);
        if (w != null) loss = n.b.mul(loss, w, null);
        String reduction = n.attrString("reduction", "mean");
        List<Integer> all = new ArrayList<>();
        return switch (reduction) {
            case "none" -> n.b.reshape(loss, loss.shape(), name);
            case "sum" -> n.b.reduceSum(loss, all, false, name);
            case "mean" -> w == null ? n.b.reduceMean(loss, all, false, name)
                    : n.b.div(n.b.reduceSum(loss, all, false, null), n.b.reduceSum(w, all, false, null), name);
            default -> throw n.fail("reduction " + reduction + " is not supported");
        };
    }
}
