package dev.ingot.model.arch;

/**
 * The inputs and outputs of every causal-LM forward graph: the contract between architecture builders and the
 * runtime's executor. One graph serves every batch: its sizes are symbols bound per step.
 *
 * <pre>
 * symbols: T  tokens in the flattened batch (all sequences' new tokens)
 *          S  sequences in the batch
 *          B  max blocks per sequence (width of the block table)
 *          NB blocks in the KV pool
 *          L  rows whose logits are wanted (usually the last token of each sequence)
 * inputs:  tokens       i32 [T]        token ids
 *          positions    i32 [T]        position of each token in its sequence
 *          token_seq    i32 [T]        index into [0, S) of each token's sequence
 *          block_tables i32 [S, B]     KV block ids of each sequence, in order
 *          seq_lens     i32 [S]        context length of each sequence after this step's tokens
 *          slots        i32 [T]        KV slot (block * blockSize + offset) each token's K/V is written to
 *          logit_rows   i32 [L]        indices into [0, T) of the tokens whose logits are computed
 *          k_cache.N, v_cache.N  f16 or f32 [NB, BS, Hkv, D]  layer N's paged cache (updated in place; the
 *                                type is chosen when the graph is built, f16 by default in the runtime)
 * output:  logits       f32 [L, V]
 * </pre>
 */
public final class ForwardSignature {
    private ForwardSignature() {}

    public static final String T = "T";
    public static final String S = "S";
    public static final String B = "B";
    public static final String NB = "NB";
    public static final String L = "L";

    public static final String TOKENS = "tokens";
    public static final String POSITIONS = "positions";
    public static final String TOKEN_SEQ = "token_seq";
    public static final String BLOCK_TABLES = "block_tables";
    public static final String SEQ_LENS = "seq_lens";
    public static final String SLOTS = "slots";
    public static final String LOGIT_ROWS = "logit_rows";

    public static String kCache(int layer) { return "k_cache." + layer; }

    public static String vCache(int layer) { return "v_cache." + layer; }
}
