package dev.ingot.runtime.kvcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlockHashTest {
    private final int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void sameInputsGiveSameHash() {
        assertThat(BlockHash.of(BlockHash.ROOT, "m", tokens, 0, 4)).isEqualTo(BlockHash.of(BlockHash.ROOT, "m", tokens.clone(), 0, 4));
    }

    @Test
    void hashDependsOnParentTokensAndExtraKey() {
        BlockHash base = BlockHash.of(BlockHash.ROOT, "m", tokens, 4, 4);
        BlockHash parent = BlockHash.of(BlockHash.ROOT, "m", tokens, 0, 4);
        assertThat(BlockHash.of(parent, "m", tokens, 4, 4)).isNotEqualTo(base);
        assertThat(BlockHash.of(BlockHash.ROOT, "adapter", tokens, 4, 4)).isNotEqualTo(base);
        int[] changed = tokens.clone();
        changed[7] = 9;
        assertThat(BlockHash.of(BlockHash.ROOT, "m", changed, 4, 4)).isNotEqualTo(base);
        // the key is length-prefixed, so ("ab", tokens) and ("a", "b"+tokens) cannot alias
        assertThat(BlockHash.of(BlockHash.ROOT, "", tokens, 0, 3)).isNotEqualTo(BlockHash.of(BlockHash.ROOT, "", tokens, 0, 4));
    }

    @Test
    void chainHashesFullBlocksIncrementally() {
        BlockHashChain chain = new BlockHashChain("m", 3);
        chain.extend(tokens, 5);
        assertThat(chain.size()).isEqualTo(1);
        chain.extend(tokens, 8);
        assertThat(chain.size()).isEqualTo(2);
        BlockHash first = BlockHash.of(BlockHash.ROOT, "m", tokens, 0, 3);
        assertThat(chain.get(0)).isEqualTo(first);
        assertThat(chain.get(1)).isEqualTo(BlockHash.of(first, "m", tokens, 3, 3));
        BlockHashChain copy = chain.copy();
        copy.extend(new int[] {1, 2, 3, 4, 5, 6, 0, 0, 0}, 9);
        assertThat(copy.size()).isEqualTo(3);
        assertThat(chain.size()).isEqualTo(2);
    }
}
