package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ingot inspect FILE [--json]}: what a model file contains. Accepts a GGUF file (models and
 * vocabulary-only files) or a Hugging Face checkpoint (a {@code .safetensors} file or a directory with
 * {@code config.json}). The content comes from {@link InspectReport}; this class only renders it.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a model's format, hyper-parameters, tokenizer, metadata and tensors.",
                "FILE is a .gguf file, a .safetensors file or a Hugging Face checkpoint directory."})
final class InspectCommand implements Callable<Integer> {
    /** Strings longer than this are cut in the text output (the JSON output has them in full). */
    private static final int STRING_LIMIT = 96;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "model file or checkpoint directory")
    Path file;

    @Option(names = "--json", description = "print a JSON document instead of text")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file + ": no such file or directory");
        Map<String, Object> report;
        if (Files.isDirectory(file) || file.getFileName().toString().endsWith(".safetensors")) {
            try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(file)) {
                report = InspectReport.ofSafetensors(c);
            }
        } else {
            try (GgufFile g = GgufFile.open(file)) {
                report = InspectReport.ofGguf(g);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            text(report, out);
        }
        out.flush();
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static void text(Map<String, Object> r, PrintWriter out) {
        out.printf("file:          %s%n", r.get("file"));
        if ("gguf".equals(r.get("format"))) {
            out.printf("format:        GGUF v%s (alignment %s)%n", r.get("version"), r.get("alignment"));
        } else {
            out.printf("format:        safetensors (%s)%n", String.join(", ", (List<String>) r.get("shards")));
        }
        out.printf("architecture:  %s%n", r.get("architecture"));
        if (r.containsKey("hyperparameters")) {
            out.println("hyper-parameters:");
            section((Map<String, Object>) r.get("hyperparameters"), out);
        } else {
            out.printf("hyper-parameters: not available (%s)%n", r.get("hyperparameters_unavailable"));
        }
        if (r.containsKey("tokenizer")) {
            out.println("tokenizer:");
            section((Map<String, Object>) r.get("tokenizer"), out);
        }
        Map<String, Object> meta = (Map<String, Object>) r.get("metadata");
        out.printf("metadata (%d keys besides the tokenizer summary):%n", meta.size());
        meta.forEach((k, v) -> out.printf("  %s = %s%n", k, value(v)));
        List<Map<String, Object>> tensors = (List<Map<String, Object>>) (List<?>) r.get("tensors");
        out.printf("tensors: %s, %s, %,d parameters%n", r.get("tensor_count"), size((Long) r.get("total_bytes")),
                (Long) r.get("parameter_count"));
        if (!tensors.isEmpty()) table(tensors, out);
    }

    private static void section(Map<String, Object> m, PrintWriter out) {
        int w = m.keySet().stream().mapToInt(String::length).max().orElse(0);
        // Section values are names and numbers: strings print bare here (quoted only in the metadata listing).
        m.forEach((k, v) -> out.printf("  %-" + w + "s  %s%n", k, v instanceof String s ? s : value(v)));
    }

    private static void table(List<Map<String, Object>> tensors, PrintWriter out) {
        boolean hf = tensors.getFirst().containsKey("gguf_name");
        int nameW = "name".length(), shapeW = "shape".length();
        for (Map<String, Object> t : tensors) {
            nameW = Math.max(nameW, t.get("name").toString().length());
            shapeW = Math.max(shapeW, Arrays.toString((long[]) t.get("shape")).length());
        }
        String fmt = "  %-" + nameW + "s  %-5s  %-" + shapeW + "s  %12s%s%n";
        out.printf(fmt, "name", "type", "shape", "bytes", hf ? "  gguf name" : "");
        for (Map<String, Object> t : tensors) {
            out.printf(fmt, t.get("name"), t.get("type"), Arrays.toString((long[]) t.get("shape")), t.get("bytes"),
                    hf ? "  " + (t.get("gguf_name") == null ? "-" : t.get("gguf_name")) : "");
        }
    }

    /** One-line rendering: strings quoted, escaped and cut; abbreviated arrays as "[TYPE x N: head, ...]". */
    @SuppressWarnings("unchecked")
    static String value(Object v) {
        if (v instanceof String s) {
            String e = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\"", "\\\"");
            return e.length() <= STRING_LIMIT ? "\"" + e + "\"" : "\"" + e.substring(0, STRING_LIMIT) + "\"... (" + s.length() + " chars)";
        }
        if (v instanceof Map<?, ?> m && m.containsKey("array_of")) {
            List<Object> head = (List<Object>) m.get("head");
            return "[" + m.get("array_of") + " x " + m.get("length") + ": "
                    + String.join(", ", head.stream().map(InspectCommand::value).toList()) + ", ...]";
        }
        if (v instanceof List<?> l) return "[" + String.join(", ", l.stream().map(InspectCommand::value).toList()) + "]";
        if (v instanceof Float || v instanceof Double) return String.format(Locale.ROOT, "%s", v);
        return String.valueOf(v);
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024L * 1024) return String.format(Locale.ROOT, "%.2f KiB", bytes / 1024.0);
        if (bytes < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
