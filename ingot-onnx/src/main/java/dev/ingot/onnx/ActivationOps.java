package dev.ingot.onnx;

import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.GraphBuilder;
import dev.ingot.ir.Value;
import java.util.Map;

/**
 * Activations without an IR op of their own, composed from elementwise IR ops with the ONNX formulas and
 * defaults; Dropout and CastLike, which are pass-throughs at inference.
 */
final class ActivationOps {
    private ActivationOps() {}

    static void register(Map<String, OpTranslator> m) {
        // x > 0 ? x : alpha (exp(x) - 1)
        m.put("Elu", n -> {
            Value x = n.x(0);
            n.out(positiveOr(n, x, n.b.mul(c(n, x, n.attrFloat("alpha", 1f)), expm1(n, x), null)));
        });
        // x > 0 ? x : alpha (exp(x / alpha) - 1)
        m.put("Celu", n -> {
            Value x = n.x(0);
            Value alpha = c(n, x, n.attrFloat("alpha", 1f));
            n.out(positiveOr(n, x, n.b.mul(alpha, expm1(n, n.b.div(x, alpha, null)), null)));
        });
        // gamma (x > 0 ? x : alpha (exp(x) - 1))
        m.put("Selu", n -> {
            Value x = n.x(0);
            Value alpha = c(n, x, n.attrFloat("alpha", 1.67326319217681884765625f));
            Value inner = positiveOrUnnamed(n, x, n.b.mul(alpha, expm1(n, x), null));
            n.out(n.b.mul(c(n, x, n.attrFloat("gamma", 1.05070102214813232421875f)), inner, n.outName(0)));
        });
        // max(0, min(1, alpha x + beta))
        m.put("HardSigmoid", n -> n.out(hardSigmoid(n, n.x(0), n.attrFloat("alpha", 0.2f), n.attrFloat("beta", 0.5f), n.outName(0))));
        // x hardsigmoid(x) with alpha 1/6, beta 1/2
        m.put("HardSwish", n -> {
            Value x = n.x(0);
            n.out(n.b.mul(x, hardSigmoid(n, x, 1f / 6, 0.5f, null), n.outName(0)));
        });
        // log(exp(x) + 1)
        m.put("Softplus", n -> {
            Value x = n.x(0);
            n.out(n.b.unary(UnaryKind.LOG, n.b.add(n.b.unary(UnaryKind.EXP, x, null), c(n, x, 1), null), n.outName(0)));
        });
        // x / (1 + |x|)
        m.put("Softsign", n -> {
            Value x = n.x(0);
            n.out(n.b.div(x, n.b.add(c(n, x, 1), n.b.unary(UnaryKind.ABS, x, null), null), n.outName(0)));
        });
        // x > alpha ? x : 0
        m.put("ThresholdedRelu", n -> {
            Value x = n.x(0);
            Value gt = n.b.binary(BinaryKind.GT, x, c(n, x, n.attrFloat("alpha", 1f)), null);
            n.out(n.b.where(gt, x, c(n, x, 0), n.outName(0)));
        });
        // x < 0 ? slope x : x (slope broadcasts to x)
        m.put("PRelu", n -> {
            Value x = n.x(0);
            Value slope = n.x(1);
            // opset < 7 exporters give a per-channel slope [C] for x [N, C, ...]: align it with dim 1
            if (n.opset() < 7 && slope.rank() == 1 && x.rank() > 2 && slope.shape().dim(0).equals(x.shape().dim(1))) {
                java.util.List<Integer> tail = new java.util.ArrayList<>();
                for (int i = 1; i < x.rank() - 1; i++) tail.add(i);
                slope = n.b.unsqueeze(slope, tail, null);
            }
            Value neg = n.b.binary(BinaryKind.LT, x, c(n, x, 0), null);
            n.out(n.b.where(neg, n.b.mul(x, slope, null), x, n.outName(0)));
        });
        // x < -lambd ? x + bias : x > lambd ? x - bias : 0
        m.put("Shrink", n -> {
            Value x = n.x(0);
            float l = n.attrFloat("lambd", 0.5f), bias = n.attrFloat("bias", 0f);
            Value lo = n.b.where(n.b.binary(BinaryKind.GT, x, c(n, x, l), null), n.b.sub(x, c(n, x, bias), null), c(n, x, 0), null);
            n.out(n.b.where(n.b.binary(BinaryKind.LT, x, c(n, x, -l), null), n.b.add(x, c(n, x, bias), null), lo, n.outName(0)));
        });
        m.put("Dropout", ActivationOps::dropout);
        m.put("CastLike", n -> {
            if (n.type(0).dtype() == n.type(1).dtype()) n.alias(0, 0);
            else n.out(n.b.cast(n.x(0), n.type(1).dtype(), n.outName(0)));
        });
    }

    /** Inference-mode Dropout: the identity, and an all-true mask. Training mode is refused. */
    private static void dropout(NodeCtx n) {
        boolean training = n.has(2) && n.constant(2, "training_mode").getLong(0) != 0;
        if (training) throw n.fail("training_mode=true (random masks) is not supported");
        n.alias(0, 0);
        if (n.outputs() > 1) {
            Value x = n.x(0);
            n.out(1, n.b.expand(ElementwiseOps.scalar(n, dev.ingot.tensor.DType.BOOL, 1), x.shape(), n.outName(1)));
        }
    }

    private static Value c(NodeCtx n, Value like, double v) { return ElementwiseOps.scalar(n, like.dtype(), v); }

    private static Value expm1(NodeCtx n, Value x) { return n.b.sub(n.b.unary(UnaryKind.EXP, x, null), c(n, x, 1), null); }

    private static Value positiveOr(NodeCtx n, Value x, Value otherwise) {
        GraphBuilder b = n.b;
        return b.where(b.binary(BinaryKind.GT, x, c(n, x, 0), null), x, otherwise, n.outName(0));
    }

    private static Value positiveOrUnnamed(NodeCtx n, Value x, Value otherwise) {
        return n.b.where(n.b.binary(BinaryKind.GT, x, c(n, x, 0), null), x, otherwise, null);
    }

    private static Value hardSigmoid(NodeCtx n, Value x, float alpha, float beta, String name) {
        Value y = n.b.add(n.b.mul(x, c(n, x, alpha), null), c(n, x, beta), null);
        y = n.b.binary(BinaryKind.MIN, y, c(n, x, 1), null);
        return n.b.binary(BinaryKind.MAX, y, c(n, x, 0), name);
    }
}
