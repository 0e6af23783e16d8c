/**
 * Single-sequence generation for the command line: a loaded model ({@link dev.ingot.runtime.generate.LoadedModel}),
 * prefill + decode with sampling, stop handling and streaming text ({@link dev.ingot.runtime.generate.Generator}).
 */
package dev.ingot.runtime.generate;
