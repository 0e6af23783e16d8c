package dev.ingot.server.bench;

import java.util.Random;

/**
 * Prompts as token ids and a fixed output length. Random prompts avoid accidental prefix sharing; a shared
 * prefix (a long system prompt, say) is the same for every request and followed by a unique part.
 *
 * @param prompts token ids per request
 * @param genLen  tokens to generate per request (sent with {@code ignore_eos} so every request makes exactly this many)
 */
public record Workload(int[][] prompts, int genLen) {
    /**
     * @param lowId the lowest id to draw (skips the control and byte tokens at the start of Llama-style vocabularies)
     */
    public static Workload random(int requests, int sharedPrefix, int promptLen, int genLen, int vocab, int lowId, long seed) {
        if (requests < 1 || promptLen < 1 || genLen < 1 || sharedPrefix < 0) {
            throw new IllegalArgumentException("need requests, prompt length and output length >= 1 and a shared prefix >= 0");
        }
        int lo = Math.min(lowId, vocab - 1);
        Random rnd = new Random(seed);
        int[] prefix = new int[sharedPrefix];
        for (int i = 0; i < sharedPrefix; i++) prefix[i] = lo + rnd.nextInt(vocab - lo);
        int[][] prompts = new int[requests][sharedPrefix + promptLen];
        for (int[] p : prompts) {
            System.arraycopy(prefix, 0, p, 0, sharedPrefix);
            for (int i = sharedPrefix; i < p.length; i++) p[i] = lo + rnd.nextInt(vocab - lo);
        }
        return new Workload(prompts, genLen);
    }
}
