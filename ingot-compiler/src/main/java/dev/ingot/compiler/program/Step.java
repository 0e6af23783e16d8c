package dev.ingot.compiler.program;

/** One call of a compiled program: a library kernel, a generated kernel or a data movement. */
interface Step {
    void run(Frame f);

    /** One line for {@code -Dingot.debug} listings: what runs, on which buffers. */
    String describe();
}
