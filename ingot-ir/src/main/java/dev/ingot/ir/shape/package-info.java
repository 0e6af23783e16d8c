/**
 * Symbolic shapes. A {@link dev.ingot.ir.shape.Dim} is an integer polynomial over named symbols with exact
 * quotients, in canonical form, so shape arithmetic needed by reshapes ({@code [T, 32*64] -> [T, 32, 64]},
 * {@code numel} checks) is decided by {@code equals}. Conventional symbols: {@code T} tokens in the flattened
 * batch, {@code S} sequences, {@code B} max blocks per sequence, {@code C} context length; ONNX
 * {@code dim_param}s keep their names. A shape evaluates to {@code long[]} under a binding
 * {@code Map<String, Long>}; evaluation fails on an unbound symbol or an inexact quotient. Broadcasting never
 * assumes a symbol equals 1.
 */
package dev.ingot.ir.shape;
