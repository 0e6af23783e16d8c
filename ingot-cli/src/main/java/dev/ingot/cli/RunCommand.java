package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.compiler.program.GeneratedKernels;
import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.model.chat.ChatMessage;
import dev.ingot.model.tokenizer.Tokenizer;
import dev.ingot.runtime.exec.ModelRunner;
import dev.ingot.runtime.generate.Generation;
import dev.ingot.runtime.generate.Generator;
import dev.ingot.runtime.generate.LoadedModel;
import dev.ingot.runtime.sample.SamplingParams;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingot run}: generate text from a prompt, or chat interactively, with the compiled model. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate text with a model compiled by Ingot.",
                "Examples:",
                "  ingot run -m model.gguf -p \"Once upon a time\" -n 64",
                "  ingot run -m hf://OWNER/REPO/model.gguf --chat",
                "  ingot run -m model.gguf -p \"2+2=\" --temp 0 --json"})
public final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin KvTypeOption kvType;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL", description = "GGUF file or hf://OWNER/REPO/FILE.gguf")
    String model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "prompt text")
    String prompt;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the prompt from a file")
    Path promptFile;

    @Option(names = "--chat", description = "interactive chat using the model's chat template (one message per line, empty line or EOF ends)")
    boolean chat;

    @Option(names = "--system", paramLabel = "TEXT", description = "system message for --chat")
    String system;

    @Mixin SamplingOptions sampling;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", description = "context length (default: min(model, ${DEFAULT-VALUE}))")
    int ctx = 4096;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "prompt tokens per forward pass (default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Option(names = "--no-bos", description = "do not add BOS/EOS to the prompt")
    boolean noBos;

    @Option(names = "--json", description = "print one JSON object: prompt and generated token ids, text, finish reason, timings")
    boolean json;

    @Option(names = "--stats", description = "print speed and compile statistics to stderr")
    boolean stats;

    @Option(names = "--debug", paramLabel = "N", description = "dump compiler output: 2 = programs and memory plans, 3 = loop IR, 4 = bytecode")
    Integer debug;

    @Override
    public Integer call() throws Exception {
        if (debug != null) System.setProperty("ingot.debug", debug.toString());
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!chat && prompt == null && promptFile == null) throw new IllegalArgumentException("give a prompt (-p TEXT or -f FILE) or --chat");
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1");
        SamplingParams sp = sampling.toParams();
        try (LoadedModel m = kvType.open(ModelRefs.resolve(model, err));
             WorkerPool pool = new WorkerPool(threads);
             Generator gen = new Generator(m, pool, Math.min(ctx, m.graph().params().nCtx()), batch)) {
            if (chat) return chat(m, gen, sp, out, err);
            String text = prompt != null ? prompt : Files.readString(promptFile, StandardCharsets.UTF_8);
            int[] ids = m.tokenizer().encode(text, !noBos, true);
            if (!json) {
                out.print(text);
                out.flush();
            }
            Generation g = gen.generate(ids, sp, s -> {
                if (!json) {
                    out.print(s);
                    out.flush();
                }
            });
            if (json) printJson(out, ids, g);
            else out.println();
            if (stats) printStats(err, g, gen.runner());
            return 0;
        }
    }

    private int chat(LoadedModel m, Generator gen, SamplingParams sp, PrintWriter out, PrintWriter err) throws Exception {
        List<ChatMessage> history = new ArrayList<>();
        if (system != null) history.add(ChatMessage.system(system));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Tokenizer tok = m.tokenizer();
        while (true) {
            out.print("> ");
            out.flush();
            String line = in.readLine();
            if (line == null || line.isEmpty()) return 0;
            history.add(ChatMessage.user(line));
            String rendered = m.chatTemplate().render(history, true);
            int[] ids = m.chatTemplate().encodePrompt(tok, rendered);
            Generation g = gen.generate(ids, sp, s -> {
                out.print(s);
                out.flush();
            });
            out.println();
            history.add(ChatMessage.assistant(g.text()));
            if (stats) printStats(err, g, gen.runner());
        }
    }

    private static void printJson(PrintWriter out, int[] promptIds, Generation g) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.putPOJO("prompt_ids", promptIds);
        root.putPOJO("ids", g.tokens());
        root.put("text", g.text());
        root.put("finish_reason", g.finishReason());
        ObjectNode t = root.putObject("timings");
        t.put("prompt_tokens", g.promptTokens());
        t.put("prompt_ms", g.promptNanos() / 1e6);
        t.put("prompt_tokens_per_s", g.promptTokensPerSecond());
        t.put("generated_tokens", g.tokens().length);
        t.put("decode_ms", g.decodeNanos() / 1e6);
        t.put("decode_tokens_per_s", g.decodeTokensPerSecond());
        out.println(om.writeValueAsString(root));
        out.flush();
    }

    private static void printStats(PrintWriter err, Generation g, ModelRunner r) {
        ModelRunner.Stats s = r.stats();
        err.printf(Locale.ROOT, "prompt: %d tokens in %.1f ms (%.1f tok/s) | generated: %d tokens, %.2f tok/s | finish: %s%n",
                g.promptTokens(), g.promptNanos() / 1e6, g.promptTokensPerSecond(), g.tokens().length,
                g.decodeTokensPerSecond(), g.finishReason());
        var k = GeneratedKernels.stats();
        err.printf(Locale.ROOT, "programs: %d compiled, %d cache hits, tier 1: %d installed, %d rejected, %d demoted | generated kernels: %d compiled, %d from disk cache, %d rejected | kernels: %s%n",
                s.compiles(), s.hits(), s.tier1Installs(), s.tier1Rejects(), s.tier1Drifts(), k.compiles(), k.diskHits(), k.rejected(), KernelProvider.get().describe());
        err.flush();
    }
}
