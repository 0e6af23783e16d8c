package dev.ingot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ingot.model.gguf.GgufFile;
import dev.ingot.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ingot tokenize}: text to token ids with the model's own tokenizer (same ids as llama.cpp). */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Print the tokens of a text, one 'id<TAB>piece<TAB>text' line per token (piece: the vocabulary",
                "string; text: what the token decodes to, bytes of a split character as \\xNN).",
                "BOS/EOS are added as the model asks unless --no-bos.",
                "Special-token text such as <|im_start|> is tokenized literally unless --special."})
final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "model file (.gguf)")
    String model;

    @Option(names = "--no-bos", description = "do not add BOS/EOS (llama.cpp add_special = false)")
    boolean noBos;

    @Option(names = "--special", description = "parse special tokens written in the text (llama.cpp parse_special)")
    boolean special;

    @Option(names = "--json", description = "print {\"ids\":[...],\"pieces\":[...]}")
    boolean json;

    @Option(names = "--file", paramLabel = "F", description = "read the text from this file (UTF-8) instead of the argument")
    Path file;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "the text to tokenize")
    String text;

    @Override
    public Integer call() throws IOException {
        if ((text == null) == (file == null)) throw new IllegalArgumentException("give exactly one of TEXT or --file F");
        String input = file != null ? Files.readString(file, StandardCharsets.UTF_8) : text;
        Tokenizer tok = loadTokenizer(model);
        int[] ids = tok.encode(input, !noBos, special);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            ArrayNode idArray = root.putArray("ids");
            ArrayNode pieces = root.putArray("pieces");
            for (int id : ids) {
                idArray.add(id);
                pieces.add(tok.piece(id));
            }
            out.print(mapper.writeValueAsString(root) + "\n");
        } else {
            for (int id : ids) out.print(id + "\t" + printable(tok.piece(id)) + "\t" + text(tok.tokenBytes(id)) + "\n");
        }
        out.flush();
        return 0;
    }

    static Tokenizer loadTokenizer(String ref) throws IOException {
        try (GgufFile f = GgufFile.open(ModelRefs.resolve(ref, new java.io.PrintWriter(System.err, true)))) {
            return Tokenizer.fromGguf(f);
        }
    }

    /**
     * The token's bytes as printable text; when they are not whole UTF-8 characters, the non-ASCII bytes show
     * as \xNN.
     */
    static String text(byte[] bytes) {
        try {
            return printable(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                if (b >= 0 && b < 0x7F) sb.append(printable(String.valueOf((char) b)));
                else sb.append(String.format("\\x%02x", b & 0xFF));
            }
            return sb.toString();
        }
    }

    /** Control characters in a piece are shown escaped so each token stays on its line. */
    static String printable(String piece) {
        StringBuilder sb = new StringBuilder(piece.length());
        for (char c : piece.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
