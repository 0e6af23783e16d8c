package dev.ingot.model.safetensors;

import dev.ingot.model.config.ModelConfig;
import dev.ingot.model.config.RopeScaling;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufWriter;
import dev.ingot.tensor.DType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Converts a Hugging Face llama / qwen2 checkpoint to GGUF without changing any weight value: tensors keep
 * their type (F32, F16, BF16), get their GGUF names, and llama Q/K rows are permuted into GGUF order (see
 * {@link HfTensorNames}). Metadata comes from the {@link ModelConfig}; llama3 rope scaling becomes a
 * {@code rope_freqs.weight} tensor as llama.cpp's converter writes it. The tokenizer is not converted from
 * {@code tokenizer.json}: its {@code tokenizer.*} keys are copied from a GGUF file of the same vocabulary
 * when one is given. Tensor data is streamed from the mapped shards into the mapped output.
 */
public final class HfToGguf {
    /** What was written; {@code skipped} lists HF tensors without a GGUF counterpart (e.g. rotary inv_freq). */
    public record Result(int tensors, List<String> skipped) {}

    private HfToGguf() {}

    public static Result convert(SafetensorsCheckpoint ckpt, ModelConfig config, GgufFile vocabFrom, Path out) throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString("general.name", ckpt.root().getFileName().toString());
        config.writeGguf(w);
        if (vocabFrom != null) {
            for (Map.Entry<String, Object> e : vocabFrom.metadata().entrySet()) {
                if (e.getKey().startsWith("tokenizer.")) w.put(e.getKey(), vocabFrom.valueType(e.getKey()).orElseThrow(), e.getValue());
            }
        }
        if (config.ropeScaling().type() == RopeScaling.Type.LLAMA3) {
            float[] factors = config.ropeScaling().llama3Factors(config.ropeDim(), config.ropeTheta());
            w.addTensor("rope_freqs.weight", DType.F32, new long[] {factors.length}, dst ->
                    MemorySegment.copy(factors, 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, factors.length));
        }
        List<String> skipped = new ArrayList<>();
        int n = 0;
        for (SafetensorsTensorInfo t : ckpt.tensors()) {
            String name = HfTensorNames.toGguf(t.name()).orElse(null);
            if (name == null) {
                skipped.add(t.name());
                continue;
            }
            if (t.type() != DType.F32 && t.type() != DType.F16 && t.type() != DType.BF16) {
                throw new SafetensorsFormatException(ckpt.root(), "tensor '" + t.name() + "' has type " + t.type() + "; only F32, F16 and BF16 convert");
            }
            MemorySegment src = ckpt.data(t);
            OptionalInt heads = HfTensorNames.permutationHeads(config, name);
            long rows = t.shape().length == 0 ? 1 : t.shape()[0];
            if (heads.isPresent()) {
                w.addTensor(name, t.type(), t.ne(), dst -> QkPermutation.hfToGguf(src, dst, rows, heads.getAsInt()));
            } else {
                w.addTensor(name, t.type(), t.ne(), src);
            }
            n++;
        }
        w.write(out);
        return new Result(n, List.copyOf(skipped));
    }
}
