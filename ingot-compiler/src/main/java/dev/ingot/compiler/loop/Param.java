package dev.ingot.compiler.loop;

/** A kernel parameter. Order in {@link Kernel#params()} is the order of the generated method's arguments. */
public sealed interface Param {
    String name();

    /** A window into the float activation arena: JVM arguments {@code (float[] arena, int off)}. */
    record Arena(String name) implements Param {}

    /** A read-only window into an int array (positions, block tables): {@code (int[] a, int off)}. */
    record Ints(String name) implements Param {}

    /** Read-only f32 weights in a little-endian {@code MemorySegment}; one JVM argument. */
    record Weights(String name) implements Param {}

    /** A scalar argument: symbolic dimensions (int), byte offsets (long), constants like eps (float). */
    record Scalar(String name, Type type) implements Param {}

    enum Type { INT, LONG, FLOAT }

    /** True for the buffer kinds that {@link Expr.Load} / {@link Stmt.Store} address. */
    static boolean isFloatBuffer(Param p) {
        return p instanceof Arena || p instanceof Weights;
    }
}
