package dev.ingot.runtime.kvcache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 128-bit identity of a full KV block's content: SHA-256 over (parent block hash, extra key, the
 * block's token ids), truncated to its first 128 bits.
 *
 * <p>Chaining through the parent hash makes a block's hash identify the whole prefix up to and
 * including it, so two sequences share a block only if every token before it is identical too. The extra
 * key (model / adapter / cache salt) separates caches that must never share KV.
 *
 * <p>Collisions: like vLLM's {@code sha256} prefix-caching mode, a hit is <em>not</em> verified against
 * the tokens; we accept the probability. With 128 bits and at most 2^32 distinct blocks ever hashed the
 * birthday bound is 2^-65, far below the rate of silent hardware memory errors.
 *
 * @param hi first 64 bits of the digest
 * @param lo next 64 bits of the digest
 */
public record BlockHash(long hi, long lo) {

    /** The parent of a sequence's first block. */
    public static final BlockHash ROOT = new BlockHash(0L, 0L);

    /** Hash of {@code tokens[from, from + length)} as the block following {@code parent}. */
    public static BlockHash of(BlockHash parent, String extraKey, int[] tokens, int from, int length) {
        byte[] key = extraKey.getBytes(StandardCharsets.UTF_8);
        // layout: parent.hi, parent.lo, len(key), key bytes, length, tokens (all big-endian)
        ByteBuffer buf = ByteBuffer.allocate(16 + 4 + key.length + 4 + 4 * length);
        buf.putLong(parent.hi).putLong(parent.lo).putInt(key.length).put(key).putInt(length);
        for (int i = 0; i < length; i++) buf.putInt(tokens[from + i]);
        byte[] d = sha256().digest(buf.array());
        ByteBuffer out = ByteBuffer.wrap(d);
        return new BlockHash(out.getLong(), out.getLong());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java SE platform must provide SHA-256, so this is a broken JDK, not a fallback case
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", hi, lo);
    }
}
