/** Microbenchmarks: generated kernels against hand-written Vector API code and their scalar twins. */
package dev.ingot.codegen.jvm.bench;
