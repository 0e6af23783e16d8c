/**
 * Graph passes: a named, linear pipeline ({@link dev.ingot.compiler.pass.PassPipeline}) of graph-to-graph
 * rewrites, then elementwise fusion into kernel groups and their lowering to loop IR.
 *
 * <p>Pipeline ({@link dev.ingot.compiler.pass.PassPipeline#standard()}): {@code fold-constants} (ops over
 * constants evaluated by the reference interpreter, {@code shape_of} of static shapes, identity reshapes and
 * casts dropped), {@code cse} (same op on the same inputs computed once), {@code dce} (nodes no output needs;
 * inputs are kept, they are the binding contract). Each pass returns a new verified graph;
 * {@code -Dingot.debug=2} prints the graph after each pass.
 *
 * <p>Fusion ({@link dev.ingot.compiler.pass.ElementwiseFusion}) partitions F32 elementwise ops, RMSNorm and
 * last-axis softmax into {@link dev.ingot.compiler.pass.KernelGroup}s over rows {@code [R, n]}; everything else
 * (linear, attention, shape ops) stays a library call. {@link dev.ingot.compiler.pass.GroupLowering} turns a
 * group into one loop IR kernel: one row loop, elementwise chains inlined into expressions, a value stored to
 * its arena buffer only when it leaves the group or a row reduction reads it, adjacent stores sharing one
 * vector loop, and a residual add stored inside the RMSNorm sum-of-squares pass.
 */
package dev.ingot.compiler.pass;
