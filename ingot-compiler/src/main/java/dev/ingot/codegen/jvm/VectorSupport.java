package dev.ingot.codegen.jvm;

/**
 * Whether this JVM has the Vector API ({@code --add-modules jdk.incubator.vector}) and at what width. Without it
 * code generation still works: classes hold only scalar code ({@code run} is the scalar twin), so the scalar
 * fallback never touches a vector class. Vector classes are only referenced from the nested holder, which is
 * loaded only when the module is present.
 */
public final class VectorSupport {
    private VectorSupport() {}

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Float lanes of {@code FloatVector.SPECIES_PREFERRED}, or 0 when the Vector API is absent. */
    public static int lanes() {
        return PRESENT ? Holder.LANES : 0;
    }

    /** {@code VectorShape.preferredShape()} as text, or {@code "none"}. */
    public static String shape() {
        return PRESENT ? Holder.SHAPE : "none";
    }

    private static final class Holder {
        static final int LANES = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        static final String SHAPE = jdk.incubator.vector.VectorShape.preferredShape().toString();
    }
}
