/**
 * GGUF reader and writer (the llama.cpp model format, versions 2 and 3; spec: ggml/docs/gguf.md).
 *
 * <p>Layout, all little-endian:
 * <pre>
 *   u32 magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv
 *   n_kv      x { string key | u32 value_type | value }          (value types: {@link dev.ingot.model.gguf.GgufValueType})
 *   n_tensors x { string name | u32 n_dims | u64 ne[n_dims] | u32 ggml_type | u64 offset }
 *   zero padding up to a multiple of general.alignment (default 32) | tensor data
 *   string = u64 byte length + UTF-8 bytes;  array = u32 element type + u64 count + elements
 * </pre>
 * Tensor offsets are relative to the start of the data section and multiples of the alignment.
 * {@code ne[0]} is the innermost (contiguous) dimension; a matrix with {@code ne = [cols, rows]} stores
 * {@code rows} rows of {@code type.rowBytes(cols)} bytes each.
 *
 * <p>Contract of {@link dev.ingot.model.gguf.GgufFile}: the whole file is mapped read-only (no copies of
 * tensor data; files over 2 GiB work); every count, length and offset read from the file is checked
 * against the file size before anything is allocated, so a corrupt or hostile file fails with a
 * {@link dev.ingot.model.gguf.GgufFormatException} that names the file and the problem, never with an
 * index, allocation or stack error. Rejected: bad magic, versions other than 2/3, big-endian files,
 * truncation anywhere in the header, unknown value or tensor type ids, duplicate keys or tensor names,
 * more than 4 dimensions, rows that are not whole quantisation blocks, tensor data out of bounds,
 * misaligned or overlapping. Sanity limits far above real files: strings up to 64 MiB, arrays up to 2^26
 * elements, arrays nested at most 8 deep (so a corrupt count in a multi-GiB file cannot exhaust the heap).
 *
 * <p>{@link dev.ingot.model.gguf.GgufWriter} writes v3 files: metadata of every type, tensors laid out in
 * insertion order with alignment padding, tensor data streamed through a writable mapping of the output so
 * a model larger than the heap can be written; the file is written under a temporary name and renamed on
 * success, so a failure never leaves a half-written file at the target path.
 */
package dev.ingot.model.gguf;
