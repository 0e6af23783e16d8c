/**
 * The graph IR: SSA {@link dev.ingot.ir.Value}s with a dtype, a symbolic {@link dev.ingot.ir.shape.Shape} and an
 * optional unique name, each defined by one {@link dev.ingot.ir.Node} applying an {@link dev.ingot.ir.Op}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Ops are records of attributes in sealed families ({@link dev.ingot.ir.SourceOp},
 *   {@link dev.ingot.ir.ElementwiseOp}, {@link dev.ingot.ir.ShapeOp}, {@link dev.ingot.ir.ReduceOp},
 *   {@link dev.ingot.ir.LinalgOp}, {@link dev.ingot.ir.LlmOp}); each infers its output type from its inputs'
 *   types. Every op has one output. Op records are compared by value (usable as CSE keys).</li>
 *   <li>Nodes are stored in definition order, which is a topological order. State (the paged KV cache) is
 *   threaded through SSA: {@code kv_write} returns the updated cache, and attention must read that value.</li>
 *   <li>Inputs are bound by name at run time; weights reference external little-endian bytes (a
 *   {@code MemorySegment}, never copied) and stay in their storage dtype, quantised or not.</li>
 *   <li>Names ({@code blk.3.q}, {@code attn_norm.0}) are unique within a graph so activations can be dumped
 *   and compared across implementations by name.</li>
 *   <li>{@link dev.ingot.ir.GraphBuilder} validates arguments eagerly; {@link dev.ingot.ir.Verifier} rechecks
 *   a whole graph (SSA order, types, names, outputs); {@link dev.ingot.ir.Printer} gives the stable text form and
 *   {@link dev.ingot.ir.GraphParser} reads it back (weights resolved by name);
 *   {@link dev.ingot.ir.GraphRewriter} rebuilds a graph through a per-node rule (the skeleton of a pass).</li>
 * </ul>
 * Numerical semantics of every op are defined by the reference interpreter, {@code dev.ingot.ir.interp}.
 */
package dev.ingot.ir;
