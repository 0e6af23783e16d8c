/**
 * Machine probes for {@code ingot bench}: {@link dev.ingot.kernel.bench.MemoryBandwidth} measures the read
 * bandwidth that bounds decoding (weight bytes / bandwidth = the decode roofline).
 */
package dev.ingot.kernel.bench;
