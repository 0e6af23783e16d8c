package dev.ingot.model.synth;

import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.model.quant.QuantRecipe;
import dev.ingot.model.synth.SynthTensor.Init;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.QuantTypes;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensor list of a synthetic llama/qwen2 model, named and shaped exactly as llama.cpp expects:
 * {@code token_embd.weight [dim, vocab]}, {@code rope_freqs.weight [headDim/2]} (llama3 scaling only), per
 * layer {@code blk.N.attn_norm, attn_q [dim, dim], attn_k/attn_v [dim, kvDim] (+ .bias for qwen2),
 * attn_output [dim, dim], ffn_norm, ffn_gate/ffn_up [dim, ffn], ffn_down [ffn, dim]}, then
 * {@code output_norm.weight} and, unless tied, {@code output.weight [dim, vocab]}.
 * Matrices get the types a {@link QuantRecipe} picks (a plain type, or a llama-quantize mix, with llama.cpp's
 * fallback for rows that are not whole blocks); norms, biases and rope factors stay F32.
 */
public final class SynthPlan {
    private SynthPlan() {}

    public static List<SynthTensor> tensors(SynthConfig c, DType weightType) {
        return tensors(c, QuantRecipe.parse(weightType.name()));
    }

    /**
     * The tensors with types chosen by {@code recipe} exactly as {@code ingot quantize} would choose them for
     * an F32 file of this shape (so a synthetic q4_k_m model has llama-quantize's Q4_K_M layout).
     */
    public static List<SynthTensor> tensors(SynthConfig c, QuantRecipe recipe) {
        List<SynthTensor> planned = shapes(c, recipe.base());
        List<GgufTensorInfo> infos = new ArrayList<>();
        for (SynthTensor t : planned) infos.add(new GgufTensorInfo(t.name(), DType.F32, t.ne(), 0, 0));
        List<DType> types = recipe.types(infos, c.layers());
        List<SynthTensor> out = new ArrayList<>();
        for (SynthTensor t : planned) out.add(new SynthTensor(t.name(), t.ne(), types.get(t.index()), t.init(), t.index()));
        return out;
    }

    private static List<SynthTensor> shapes(SynthConfig c, DType weightType) {
        List<SynthTensor> out = new ArrayList<>();
        long dim = c.dim(), kv = c.kvDim(), ffn = c.ffn();
        add(out, "token_embd.weight", weightType, Init.WEIGHT, dim, c.vocab());
        if (c.llama3Rope() != null) add(out, "rope_freqs.weight", DType.F32, Init.ROPE_FREQS, c.headDim() / 2);
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            add(out, p + "attn_norm.weight", DType.F32, Init.NORM, dim);
            add(out, p + "attn_q.weight", weightType, Init.WEIGHT, dim, dim);
            add(out, p + "attn_k.weight", weightType, Init.WEIGHT, dim, kv);
            add(out, p + "attn_v.weight", weightType, Init.WEIGHT, dim, kv);
            if (c.qkvBias()) {
                add(out, p + "attn_q.bias", DType.F32, Init.BIAS, dim);
                add(out, p + "attn_k.bias", DType.F32, Init.BIAS, kv);
                add(out, p + "attn_v.bias", DType.F32, Init.BIAS, kv);
            }
            add(out, p + "attn_output.weight", weightType, Init.WEIGHT, dim, dim);
            add(out, p + "ffn_norm.weight", DType.F32, Init.NORM, dim);
            add(out, p + "ffn_gate.weight", weightType, Init.WEIGHT, dim, ffn);
            add(out, p + "ffn_up.weight", weightType, Init.WEIGHT, dim, ffn);
            add(out, p + "ffn_down.weight", weightType, Init.WEIGHT, ffn, dim);
        }
        add(out, "output_norm.weight", DType.F32, Init.NORM, dim);
        if (!c.tied()) add(out, "output.weight", weightType, Init.WEIGHT, dim, c.vocab());
        return out;
    }

    private static void add(List<SynthTensor> out, String name, DType type, Init init, long... ne) {
        DType t = ne.length == 1 ? DType.F32 : QuantTypes.forRow(type, ne[0]);
        out.add(new SynthTensor(name, ne, t, init, out.size()));
    }

    /**
     * Llama-3.1 rope frequency factors, as convert_hf_to_gguf.py computes them: 1 for wavelengths below
     * originalContext/highFreqFactor, {@code factor} above originalContext/lowFreqFactor, and a smooth
     * interpolation between. One value per rotated pair (headDim/2).
     */
    public static float[] llama3RopeFactors(SynthConfig c) {
        SynthConfig.Llama3Rope r = c.llama3Rope();
        int hd = c.headDim();
        float[] out = new float[hd / 2];
        double lowWavelen = r.originalContext() / r.lowFreqFactor();
        double highWavelen = r.originalContext() / r.highFreqFactor();
        for (int i = 0; i < hd / 2; i++) {
            // freqs are float32 in the converter (torch.arange(...)/dim in float32, base ** that)
            float freq = (float) (1.0 / Math.pow(c.ropeTheta(), (float) (2 * i) / hd));
            double wavelen = 2 * Math.PI / freq;
            double f;
            if (wavelen < highWavelen) f = 1;
            else if (wavelen > lowWavelen) f = r.factor();
            else {
                double smooth = (r.originalContext() / wavelen - r.lowFreqFactor()) / (r.highFreqFactor() - r.lowFreqFactor());
                f = 1 / ((1 - smooth) / r.factor() + smooth);
            }
            out[i] = (float) f;
        }
        return out;
    }
}
