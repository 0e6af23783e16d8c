package dev.ingot.onnx;

import dev.ingot.ir.Graph;
import dev.ingot.ir.interp.Interpreter;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.onnx.proto.Onnx.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One ONNX backend test directory ({@code model.onnx} plus {@code test_data_set_N/input_i.pb, output_i.pb}):
 * imports the model, runs every data set on the reference interpreter and compares each output elementwise,
 * |got - want| <= atol + rtol |want| for floats (NaN matches NaN), exactly for integers and bools.
 */
record ConformanceCase(String suite, Path dir) {
    static final double RTOL = 1e-3, ATOL = 1e-7;

    String id() { return suite + "/" + dir.getFileName(); }

    /** The op types the model's graph uses (nested graphs not included). */
    java.util.Set<String> opTypes() throws IOException {
        java.util.Set<String> ops = new java.util.TreeSet<>();
        model().getGraph().getNodeList().forEach(n -> ops.add(n.getOpType()));
        return ops;
    }

    private ModelProto model() throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve("model.onnx"))) {
            return ModelProto.parseFrom(in);
        }
    }

    /** Null when every data set matches, else why not (the reason written to unsupported-tests.txt). */
    String run() {
        try {
            ModelProto m = model();
            Graph g = null;
            try {
                g = OnnxImporter.importModel(m, dir);
            } catch (OnnxImportException e) {
                // shape arguments fed as graph inputs: specialise per data set on the integer inputs
                if (!e.getMessage().contains("must be known at import time")) throw e;
            }
            List<String> names = OnnxImporter.inputNames(m);
            List<Path> sets;
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            }
            if (sets.isEmpty()) return "no test data sets";
            for (Path set : sets) {
                String r = runSet(m, g, names, set);
                if (r != null) return r;
            }
            return null;
        } catch (OnnxImportException e) {
            return reason(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return "error: " + firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private String runSet(ModelProto m, Graph g, List<String> names, Path set) throws IOException {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            Path p = set.resolve("input_" + i + ".pb");
            if (!Files.exists(p)) break;
            if (i >= names.size()) return "error: more input files than graph inputs";
            inputs.put(names.get(i), TensorProtos.toTensor(TensorProtos.read(p), set));
        }
        if (g == null) g = specialise(m, inputs);
        List<Tensor> got = Interpreter.run(g, inputs).outputs();
        List<Tensor> want = new ArrayList<>();
        for (int i = 0; Files.exists(set.resolve("output_" + i + ".pb")); i++) {
            want.add(TensorProtos.toTensor(TensorProtos.read(set.resolve("output_" + i + ".pb")), set));
        }
        if (want.size() != got.size()) return "wrong result: " + got.size() + " outputs, expected " + want.size();
        for (int i = 0; i < want.size(); i++) {
            String d = compare(got.get(i), want.get(i));
            if (d != null) return "wrong result: output " + i + " " + d;
        }
        return null;
    }

    private static final java.util.regex.Pattern NEEDED = java.util.regex.Pattern.compile("value '([^']+)'\\) must be known at import time");

    /**
     * Shape arguments fed as graph inputs: imports again with exactly the inputs the importer asks for (named in
     * its error) fixed to this data set's values; they leave the run-time inputs.
     */
    private Graph specialise(ModelProto m, Map<String, Tensor> inputs) {
        Map<String, Tensor> fixed = new LinkedHashMap<>();
        while (true) {
            try {
                Graph g = OnnxImporter.importModel(m, dir, fixed);
                inputs.keySet().removeAll(fixed.keySet());
                return g;
            } catch (OnnxImportException e) {
                java.util.regex.Matcher k = NEEDED.matcher(e.getMessage());
                if (k.find() && inputs.containsKey(k.group(1)) && !fixed.containsKey(k.group(1))) {
                    fixed.put(k.group(1), inputs.get(k.group(1)));
                    continue;
                }
                // the value is computed from inputs: fix every integer or scalar input (shape-argument candidates)
                int before = fixed.size();
                inputs.forEach((name, t) -> {
                    if (!t.dtype().isFloatingPoint() || t.rank() == 0) fixed.put(name, t);
                });
                if (fixed.size() == before) throw e;
            }
        }
    }

    /** Null if equal within tolerance, else the first difference. */
    static String compare(Tensor got, Tensor want) {
        if (got.dtype() != want.dtype() || !Arrays.equals(got.shape(), want.shape())) return "is " + got + ", expected " + want;
        boolean fp = want.dtype().isFloatingPoint();
        for (long i = 0; i < want.numel(); i++) {
            if (fp) {
                double a = got.getDouble(i), b = want.getDouble(i);
                if (Double.isNaN(a) && Double.isNaN(b) || a == b) continue;
                if (!(Math.abs(a - b) <= ATOL + RTOL * Math.abs(b))) return "element " + i + " is " + a + ", expected " + b;
            } else if (got.getLong(i) != want.getLong(i)) {
                return "element " + i + " is " + got.getLong(i) + ", expected " + want.getLong(i);
            }
        }
        return null;
    }

    /** A one-line reason from an import error: "op Conv not imported", "dtype string", or the message. */
    static String reason(String msg) {
        if (msg.startsWith("unsupported ONNX ops:")) {
            List<String> ops = msg.lines().skip(1).map(l -> l.trim().split(" ")[0]).toList();
            return "op " + String.join(", ", ops) + " not imported";
        }
        return firstLine(msg);
    }

    static String firstLine(String s) {
        String l = s.lines().findFirst().orElse("");
        return l.length() > 160 ? l.substring(0, 160) + "..." : l;
    }
}
