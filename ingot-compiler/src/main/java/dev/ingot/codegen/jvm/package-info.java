/**
 * JVM bytecode generation for loop IR kernels with {@code java.lang.classfile}.
 *
 * <p>One hidden class per kernel ({@link dev.ingot.codegen.jvm.JvmCodegen#load}), holding a vector entry
 * {@code run} and a scalar twin {@code scalar} of the same signature. Inner loops use
 * {@code jdk.incubator.vector.FloatVector} with the species in a {@code static final} field (C2 only
 * intrinsifies vector calls whose species is a compile-time constant) and a scalar tail. Transcendental
 * and composite ops call the tiny static helpers in {@link dev.ingot.codegen.jvm.Intrinsics}, which C2
 * inlines. Methods are kept under HotSpot's 8000-byte limit by outlining loops into methods.
 * Every generated class passes {@code ClassFile.verify} before it is returned.
 *
 * <p>Debugging: {@code -Dingot.debug=3} prints each kernel's loop IR, {@code -Dingot.debug=4} also the
 * class listing.
 */
package dev.ingot.codegen.jvm;
