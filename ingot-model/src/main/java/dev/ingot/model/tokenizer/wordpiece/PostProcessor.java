package dev.ingot.model.tokenizer.wordpiece;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The single-sequence template of {@code TemplateProcessing} or {@code BertProcessing}: special tokens and the
 * sequence, each with its type id. A missing post-processor adds nothing.
 */
record PostProcessor(List<Item> items) {
    /** {@code ids == null} marks the sequence itself. */
    record Item(int[] ids, int typeId) {}

    /** Number of special tokens the template adds around the sequence. */
    int added() {
        return items.stream().mapToInt(i -> i.ids() == null ? 0 : i.ids().length).sum();
    }

    Encoding apply(int[] content, IntFunction<String> piece) {
        List<Integer> ids = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (Item it : items) {
            int[] src = it.ids() == null ? content : it.ids();
            for (int id : src) {
                ids.add(id);
                types.add(it.typeId());
            }
        }
        int[] idArr = ids.stream().mapToInt(Integer::intValue).toArray();
        int[] mask = new int[idArr.length];
        java.util.Arrays.fill(mask, 1);
        List<String> toks = ids.stream().map(piece::apply).toList();
        return new Encoding(idArr, types.stream().mapToInt(Integer::intValue).toArray(), mask, toks);
    }

    static PostProcessor parse(JsonNode n, Map<String, Integer> vocab) {
        if (n.isMissingNode() || n.isNull()) return new PostProcessor(List.of(new Item(null, 0)));
        String type = n.path("type").asText();
        return switch (type) {
            case "TemplateProcessing" -> {
                List<Item> items = new ArrayList<>();
                for (JsonNode piece : n.path("single")) {
                    if (piece.has("Sequence")) {
                        items.add(new Item(null, piece.path("Sequence").path("type_id").asInt()));
                    } else {
                        JsonNode sp = piece.path("SpecialToken");
                        JsonNode def = n.path("special_tokens").path(sp.path("id").asText());
                        int[] ids = new int[def.path("ids").size()];
                        for (int i = 0; i < ids.length; i++) ids[i] = def.path("ids").get(i).asInt();
                        items.add(new Item(ids, sp.path("type_id").asInt()));
                    }
                }
                yield new PostProcessor(List.copyOf(items));
            }
            // "cls": ["[CLS]", 101], "sep": ["[SEP]", 102]
            case "BertProcessing" -> new PostProcessor(List.of(
                    new Item(new int[] {n.path("cls").get(1).asInt()}, 0), new Item(null, 0),
                    new Item(new int[] {n.path("sep").get(1).asInt()}, 0)));
            default -> throw new IllegalArgumentException("tokenizer.json: unsupported post_processor " + type);
        };
    }
}
