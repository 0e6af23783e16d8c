package dev.ingot.model.tokenizer;

/**
 * GPT-2's reversible byte-to-unicode mapping: printable Latin-1 bytes map to themselves, the other 68 bytes to
 * U+0100.. in byte order (so space is 'Ġ' U+0120 and newline 'Ċ' U+010A). Byte-level BPE vocabularies store
 * their tokens in this alphabet.
 */
final class ByteUnicode {
    private ByteUnicode() {}

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (0x100 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    static char encode(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** Maps UTF-8 bytes to the byte-unicode alphabet, one char per byte. */
    static String encode(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }

    /** The byte a char of the alphabet stands for, or -1 when the char is not in the alphabet. */
    static int decode(int cp) {
        return cp >= 0 && cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }
}
