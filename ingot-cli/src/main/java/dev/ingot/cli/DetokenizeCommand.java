package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ingot detokenize}: token ids to text, as llama.cpp's llama_detokenize. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = {"Print the text of token ids (ids separated by spaces or commas; '[1, 2]' works too).",
                "Special tokens are rendered as their text unless --skip-special."})
final class DetokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "model file (.gguf)")
    String model;

    @Option(names = "--skip-special", description = "leave out control tokens such as <s> or <|im_end|>")
    boolean skipSpecial;

    @Option(names = "--json", description = "print {\"text\":\"...\"}")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "IDS", description = "token ids")
    List<String> idArgs;

    @Override
    public Integer call() throws IOException {
        int[] ids = parseIds(idArgs);
        Tokenizer tok = TokenizeCommand.loadTokenizer(model);
        String text = tok.decode(ids, false, !skipSpecial);
        PrintWriter out = spec.commandLine().getOut();
        out.print((json ? new ObjectMapper().writeValueAsString(Map.of("text", text)) : text) + "\n");
        out.flush();
        return 0;
    }

    static int[] parseIds(List<String> args) {
        List<Integer> ids = new ArrayList<>();
        for (String arg : args) {
            for (String part : arg.split("[\\s,\\[\\]]+")) {
                if (part.isEmpty()) continue;
                try {
                    ids.add(Integer.parseInt(part));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a token id: '" + part + "'");
                }
            }
        }
        if (ids.isEmpty()) throw new IllegalArgumentException("no token ids given");
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
