package dev.ingot.model.tokenizer.wordpiece;

import java.util.List;

/**
 * One encoded sequence, as the model's inputs want it: {@code ids} ({@code input_ids}), {@code typeIds}
 * ({@code token_type_ids}) and {@code attentionMask} (1 for real tokens, 0 for padding), all the same length.
 */
public record Encoding(int[] ids, int[] typeIds, int[] attentionMask, List<String> tokens) {
    public Encoding {
        if (typeIds.length != ids.length || attentionMask.length != ids.length || tokens.size() != ids.length) {
            throw new IllegalArgumentException("encoding arrays differ in length");
        }
        tokens = List.copyOf(tokens);
    }

    public int length() { return ids.length; }

    /** Number of real (unpadded) tokens. */
    public int realLength() {
        int n = 0;
        for (int m : attentionMask) n += m;
        return n;
    }
}
