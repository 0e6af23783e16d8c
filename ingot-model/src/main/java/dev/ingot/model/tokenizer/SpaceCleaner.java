package dev.ingot.model.tokenizer;

import java.util.Arrays;

/**
 * llama.cpp's {@code clean_spaces} step of detokenization (Hugging Face's clean_up_tokenization_spaces), on
 * bytes and in place exactly as llama.cpp does it, so that its quirks (e.g. the zeroed byte in pass 2) carry over.
 * Each decision looks at most one byte back and two ahead.
 */
final class SpaceCleaner {
    private SpaceCleaner() {}

    static byte[] clean(byte[] input) {
        byte[] t = input.clone();
        int total = t.length;

        // pass 1: " ?", " !", " .", " ," lose their space
        int total1 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total1; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) total--;
            t[total++] = x;
        }

        // pass 2: " ' " becomes "'"
        int total2 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total2; i++) {
            byte x = t[i];
            if (x == '\'' && i + 1 < total2 && t[i - 1] == ' ' && t[i + 1] == ' ') {
                total--;
                t[++i] = 0;
            }
            t[total++] = x;
        }

        // pass 3: " 's", " 'm", " 're", " 've" lose their space (" 't", " 'd", " 'll" keep it)
        int total3 = total;
        total = total > 0 ? 1 : 0;
        for (int i = 1; i < total3; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < total3) {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < total3) {
                    byte x2 = t[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) total--;
                }
            }
            t[total++] = x;
        }
        return Arrays.copyOf(t, total);
    }
}
