package dev.ingot.compiler.graphexec;

/** A contiguous F32 operand: {@code start} floats into buffer {@code buf}. Valid once the memory plan has placed it. */
record Ref(Loc.Buf buf, long start) {
    int off() { return buf.off + (int) start; }
}
