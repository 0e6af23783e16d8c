package dev.ingot.cli;

import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.gguf.GgufTensorInfo;
import dev.ingot.model.gguf.GgufValueType;
import dev.ingot.model.gguf.GgufWriter;
import dev.ingot.model.quant.QuantRecipe;
import dev.ingot.tensor.DType;
import dev.ingot.tensor.quant.Dequant;
import dev.ingot.tensor.quant.Quantize;
import dev.ingot.tensor.quant.RowPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code ingot quantize IN OUT TYPE}: re-encodes the weight matrices with llama.cpp's reference quantisers,
 * choosing per-tensor types with {@link QuantRecipe} (a plain type everywhere, or the q4_k_m / q5_k_m
 * mixes); 1-D tensors (norms, biases, rope factors) become or stay F32; everything else is copied.
 * Metadata is copied with {@code general.file_type} updated.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantise a GGUF model's weights (bit-exact with llama-quantize without an imatrix).")
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "input .gguf")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT", description = "output .gguf (written to a temp file, renamed when complete)")
    Path output;

    @Parameters(index = "2", paramLabel = "TYPE", description = "q8_0, q4_0, q4_1, q5_0, q5_1, q2_k, q3_k, q4_k, q5_k, q6_k, f16, bf16, f32"
            + " (applied to every weight matrix, like llama-quantize --pure), or the mixes q4_k_m, q5_k_m")
    String type;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        QuantRecipe recipe = QuantRecipe.parse(type);
        DType target = recipe.base();
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("OUT must differ from IN");
        }
        ExecutorService pool = nThreads > 1 ? Executors.newFixedThreadPool(nThreads, r -> {
            Thread th = new Thread(r, "ingot-quantize");
            th.setDaemon(true);
            return th;
        }) : null;
        try (GgufFile in = GgufFile.open(input)) {
            GgufWriter w = new GgufWriter().copyMetadata(in);
            w.put("general.file_type", GgufValueType.UINT32, recipe.fileType());
            if (target.isQuantized()) w.put("general.quantization_version", GgufValueType.UINT32, 2);
            Map<String, Integer> counts = new TreeMap<>();
            long total = 0, inBytes = 0;
            int requantised = 0;
            Plan[] plans = new Plan[in.tensors().size()];
            long blocks = in.string("general.architecture").map(a -> in.integer(a + ".block_count").orElse(0)).orElse(0L);
            List<DType> types = recipe.types(in.tensors(), blocks);
            for (int i = 0; i < plans.length; i++) {
                GgufTensorInfo t = in.tensors().get(i);
                plans[i] = plan(t, types.get(i));
                if (plans[i].convert && t.type().isQuantized()) requantised++;
                if (plans[i].ne.length >= 2 && plans[i].convert && t.ne()[0] % target.blockSize() != 0) {
                    err.printf("note: %s has rows of %d, not a multiple of %d: stored as %s%n", t.name(), t.ne()[0],
                            target.blockSize(), plans[i].type);
                }
                counts.merge(plans[i].type.name(), 1, Integer::sum);
                total += plans[i].bytes;
                inBytes += t.bytes();
            }
            if (requantised > 0) {
                err.printf("warning: %d tensors are already quantised; re-quantising loses precision%n", requantised);
            }
            long[] done = {0};
            double seconds;
            try (Progress p = Progress.start("quantize", total, "MiB", 1 << 20, err)) {
                for (int i = 0; i < plans.length; i++) {
                    GgufTensorInfo t = in.tensors().get(i);
                    Plan pl = plans[i];
                    if (!pl.convert) {
                        w.addTensor(t.name(), t.type(), t.ne(), dst -> {
                            dst.copyFrom(in.data(t));
                            done[0] += t.bytes();
                            p.stepTo(done[0]);
                        });
                        continue;
                    }
                    w.addTensor(t.name(), pl.type, pl.ne, dst -> convert(in, t, pl, dst, pool, nThreads, done, p));
                }
                w.write(output);
                seconds = p.seconds();
            }
            out.printf(Locale.ROOT, "wrote %s: %s; %.1f MiB -> %.1f MiB in %.1f s%n", output, counts,
                    inBytes / 1048576.0, total / 1048576.0, seconds);
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        return 0;
    }

    /** What happens to one tensor: its output type and whether its rows are re-encoded. */
    private record Plan(DType type, long[] ne, boolean convert, long bytes) {}

    private static Plan plan(GgufTensorInfo t, DType out) {
        long[] ne = t.ne();
        long rows = 1;
        for (int d = 1; d < ne.length; d++) rows *= ne[d];
        return new Plan(out, ne, out != t.type(), out.rowBytes(ne[0]) * rows);
    }

    private static void convert(GgufFile in, GgufTensorInfo t, Plan pl, MemorySegment dst, ExecutorService pool,
                                int threads, long[] done, Progress p) throws java.io.IOException {
        MemorySegment src = in.data(t);
        int n = Math.toIntExact(t.ne()[0]);
        long srcRowBytes = t.type().rowBytes(n);
        int dstRowBytes = Math.toIntExact(pl.type.rowBytes(n));
        long rows = t.bytes() / srcRowBytes;
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[n]);
        long[] pos = {0};
        RowPipeline.run(rows, dstRowBytes, (row, buf, off) -> {
            float[] x = scratch.get();
            Dequant.row(t.type(), src, row * srcRowBytes, x, 0, n);
            // like llama-quantize's row validation: NaN/Inf would silently poison a whole block's scale
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new IllegalArgumentException(t.name() + " row " + row + " element " + i + " is " + x[i]);
                }
            }
            Quantize.row(pl.type, x, 0, n, buf, off);
        }, pool, threads, (chunk, len, rowsDone) -> {
            MemorySegment.copy(chunk, 0, dst, ValueLayout.JAVA_BYTE, pos[0], len);
            pos[0] += len;
            done[0] += len;
            p.stepTo(done[0]);
        });
    }
}
