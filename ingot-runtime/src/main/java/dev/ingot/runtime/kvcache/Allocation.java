package dev.ingot.runtime.kvcache;

import java.util.List;

/**
 * What {@link KvCacheManager#allocateSlots} changed in one sequence's block table.
 *
 * @param newBlockIds blocks appended to the table (freshly allocated or revived from the prefix cache)
 * @param copies      copy-on-write orders: the table's shared last block was replaced by a private copy
 */
public record Allocation(int[] newBlockIds, List<BlockCopy> copies) {
    public Allocation {
        newBlockIds = newBlockIds.clone();
        copies = List.copyOf(copies);
    }

    @Override
    public int[] newBlockIds() {
        return newBlockIds.clone();
    }
}
