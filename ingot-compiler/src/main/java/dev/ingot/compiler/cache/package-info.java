/**
 * The compile cache: generated class bytes in memory and on disk, so a second launch compiles nothing.
 *
 * <p>Key ({@link dev.ingot.compiler.cache.CacheKey}): SHA-256 of the kernel's printed loop IR (the
 * printer is stable and golden-tested), the shape bucket, the target ({@code VectorShape.preferredShape()} or {@code none},
 * float lanes, {@code os.arch}, available processors, Java feature version) and
 * {@link dev.ingot.compiler.cache.CompilerVersion#ID}. The file name is the key's SHA-256.
 *
 * <p>Entry file ({@code <dir>/<sha>.ingotc}, written to a temp file then atomically renamed):
 * <pre>
 *   "INGOTCC\0" | int format | UTF compilerVersion | UTF key text | int n | n class bytes | long CRC32(bytes)
 * </pre>
 * An entry is trusted only if all of these match and {@code ClassFile.verify} finds nothing; otherwise it
 * is logged, deleted and rebuilt. Directory: {@code $INGOT_CACHE}, else {@code ~/.cache/ingot/compile}.
 */
package dev.ingot.compiler.cache;
