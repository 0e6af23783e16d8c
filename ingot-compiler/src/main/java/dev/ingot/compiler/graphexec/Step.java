package dev.ingot.compiler.graphexec;

/** One call of a lowered program: a library kernel, a generated kernel, a data movement or a reference op. */
interface Step {
    void run(Frame f);

    /** One line of the {@code --debug 2} listing. */
    String describe();
}
