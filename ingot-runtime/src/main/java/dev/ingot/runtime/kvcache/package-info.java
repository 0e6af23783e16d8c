/**
 * Paged KV cache: block pool, off-heap K/V storage, and per-sequence block tables with prefix caching.
 *
 * <p>Layers (each boundary plain data, as in vLLM v1):
 * <pre>
 *   scheduler  --(seq id, numComputed, numNew, CachedPrefix)-->  KvCacheManager  --(block ids)-->  BlockPool
 *        |                      returns Allocation(new blocks, BlockCopy COW orders) or null
 *        +-- slot mapping / block tables --> executor --> KvStorage (K/V float32 per layer)
 * </pre>
 * <ul>
 *   <li>{@link dev.ingot.runtime.kvcache.BlockPool}: block ids with refcounts, hashes and one free queue that
 *       is also the LRU eviction order; O(1) allocate / release / touch / lookup.
 *   <li>{@link dev.ingot.runtime.kvcache.KvStorage}: per layer K and V, float32
 *       {@code [numBlocks][blockSize][nKvHeads][headDim]}; slot {@code = block * blockSize + offset}.
 *   <li>{@link dev.ingot.runtime.kvcache.KvCacheManager}: block tables, prefix-cache lookups, fork with
 *       copy-on-write of the shared partial last block, and leak checks.
 * </ul>
 *
 * <p>Wiring (the engine does this once at start-up):
 * <pre>
 *   KvLayout layout = new KvLayout(nLayers, nKvHeads, headDim, KvLayout.DEFAULT_BLOCK_SIZE);
 *   KvStorage storage = KvStorage.ofBytes(layout, kvMemoryBytes);   // --kv-memory; or ofBlocks(layout, n) for --kv-blocks
 *   KvCacheManager kv = new KvCacheManager(new BlockPool(storage.numBlocks()), layout.blockSize(), true);
 *   Scheduler scheduler = new Scheduler(schedulerConfig, kv);        // checks maxModelLen fits the pool
 * </pre>
 * Block ids from the pool index {@code storage} directly; there is no reserved block, so an executor that
 * pads a batch to a shape bucket must give padding tokens a slot it skips (e.g. -1), never a real slot.
 *
 * <p>Prefix caching: a full block's {@link dev.ingot.runtime.kvcache.BlockHash} is SHA-256 (truncated to
 * 128 bits) over (parent block hash, extra key such as model/adapter id, the block's token ids). Hits are
 * not re-verified against tokens; the collision probability is accepted (see {@code BlockHash}). A
 * lookup never covers a stream's last token, which must be computed to produce logits. Freed cached
 * blocks stay findable in the free queue until an allocation takes them (eviction, least recently freed
 * first). Blocks are hashed only once their K/V is written ({@code cacheFullBlocks}, called after the
 * step that computed them).
 *
 * <p>Allocation is all-or-nothing: {@code allocateSlots} returns null without side effects when the pool
 * is short, and the scheduler then preempts or waits. Sequences never share a block that is written,
 * except the partial last block after a fork; the first writer at refcount &gt; 1 gets a private copy
 * ({@link dev.ingot.runtime.kvcache.BlockCopy}, to be executed before the forward pass).
 */
package dev.ingot.runtime.kvcache;
