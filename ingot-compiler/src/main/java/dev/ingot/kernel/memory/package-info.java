/**
 * Off-heap memory for what kernels stream every step (packed weights, the KV cache): regions advised for
 * transparent huge pages where the OS has them. A 16-token AMX call on weights out of cache ran 13% faster on
 * 2 MiB pages than on 4 KiB ones (one TLB entry per 2 MiB instead of 512). Falls back to an ordinary
 * {@link java.lang.foreign.Arena} allocation elsewhere; {@code -Dingot.hugepages=false} turns it off.
 */
package dev.ingot.kernel.memory;
