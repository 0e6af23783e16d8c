package dev.ingot.codegen.jvm;

import java.lang.classfile.TypeKind;

/** What a loop IR name is bound to inside one generated method: local slots and their JVM kinds. */
sealed interface Binding {
    /** A kernel parameter's binding is passed on to every outlined method; locals only when in scope. */
    boolean param();

    record IntLocal(int slot, boolean param) implements Binding {}

    record LongLocal(int slot, boolean param) implements Binding {}

    record FloatLocal(int slot, boolean param) implements Binding {}

    /** A {@code FloatVector} local: a let inside a vector loop. Never crosses a method boundary. */
    record VecLocal(int slot) implements Binding {
        public boolean param() { return false; }
    }

    /** A float[]/int[] arena window ({@code offSlot} holds the base offset) or a segment ({@code offSlot} -1). */
    record Buf(int arrSlot, int offSlot, Kind kind) implements Binding {
        public boolean param() { return true; }
    }

    enum Kind { ARENA, INTS, WEIGHTS }

    static TypeKind typeOf(Binding b) {
        return switch (b) {
            case IntLocal i -> TypeKind.INT;
            case LongLocal l -> TypeKind.LONG;
            case FloatLocal f -> TypeKind.FLOAT;
            case VecLocal v -> TypeKind.REFERENCE;
            case Buf buf -> TypeKind.REFERENCE;
        };
    }
}
