package dev.ingot.compiler.graphexec;

import dev.ingot.compiler.loop.Param;
import dev.ingot.compiler.pass.GraphCompiler;
import dev.ingot.compiler.pass.GroupKernel;
import dev.ingot.compiler.pass.KernelGroup;
import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.Graph;
import dev.ingot.ir.LinalgOp;
import dev.ingot.ir.LlmOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.ReduceOp;
import dev.ingot.ir.SegmentReader;
import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.interp.Tensor;
import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers an optimised graph and its fusion plan, for one binding of its symbols, to steps over buffers: fused
 * groups become generated kernels, the encoder ops library kernels, reshapes aliases, transposes strided views
 * (copied only for a consumer that needs them laid out), one-element arithmetic {@link ScalarStep}s, and anything
 * else a {@link FallbackStep}. Every F32 buffer records the steps that write and last read it for the memory plan.
 */
final class Lowering {
    private final Graph g;
    private final GraphExecutor.Compiled compiled;
    private final Map<String, Long> bind;
    private final WorkerPool pool;
    private final boolean simd = KernelProvider.get().simd();
    private final Map<Value, Loc> loc = new IdentityHashMap<>();
    private final Map<Value, Loc.Buf> laidOut = new IdentityHashMap<>();
    /** The fused group each grouped node belongs to (bias adds folded into the GEMM look their group up). */
    private final Map<Node, KernelGroup> groupOf = new IdentityHashMap<>();
    /** Outputs of quantisation groups folded into the integer linears that consume them (no step of their own). */
    final Map<Value, QuantPrologue> prologues = new IdentityHashMap<>();
    private Map<Value, List<Node>> consumers;
    /** Values that depend only on constants and the binding (the same on every run of the plan). */
    private final java.util.Set<Value> invariant = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    final List<Step> steps = new ArrayList<>();
    final List<Loc.Buf> bufs = new ArrayList<>();
    final Map<Integer, Tensor> fixedSlots = new HashMap<>();
    final Map<String, Integer> inputSlots = new HashMap<>();
    final List<Loc> outputs = new ArrayList<>();
    int slots;
    private final LinearLowering linears;

    Lowering(GraphExecutor.Compiled compiled, Map<String, Long> bind, WorkerPool pool) {
        this.g = compiled.graph();
        this.compiled = compiled;
        this.bind = bind;
        this.pool = pool;
        this.linears = new LinearLowering(this);
    }

    Lowering run() {
        for (Object s : compiled.plan().steps()) if (s instanceof KernelGroup grp) for (Node n : grp.nodes()) groupOf.put(n, grp);
        for (Node n : g.nodes()) if (n.op() instanceof SourceOp s) source(n, s);
        for (Object s : compiled.plan().steps()) {
            if (s instanceof KernelGroup grp) group(grp, compiled.kernels().get(grp.id()));
            else node((Node) s);
        }
        for (Value o : g.outputs()) {
            read(loc(o), steps.size());
            outputs.add(loc(o));
        }
        return this;
    }

    // ---- values and buffers

    Loc loc(Value v) {
        Loc l = loc.get(v);
        if (l == null) throw new IllegalStateException("lowering bug: " + v + " has no location");
        return l;
    }

    private long[] shape(Value v) { return v.shape().eval(bind); }

    private static long numel(long[] s) { return FallbackStep.numel(s); }

    private Loc.Buf buf(Value v, long floats) {
        Loc.Buf b = new Loc.Buf(bufs.size(), v.label(), Math.max(1, floats), steps.size());
        bufs.add(b);
        return b;
    }

    static void read(Loc l, int at) {
        if (l instanceof Loc.Buf b) b.readAt(at);
        else if (l instanceof Loc.View v) v.base().readAt(at);
    }

    static long[] rowMajor(long[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }

    /** v as a view (buffers are row-major views of themselves), or null for slots and constants. */
    private Loc.View view(Value v) {
        return switch (loc(v)) {
            case Loc.Buf b -> new Loc.View(b, 0, shape(v), rowMajor(shape(v)));
            case Loc.View w -> w;
            default -> null;
        };
    }

    /** v laid out contiguously in the arena, copying a strided view once. */
    Ref contig(Value v) {
        Loc l = loc(v);
        if (l instanceof Loc.Buf b) return new Ref(b, 0);
        Loc.View w = (Loc.View) l;
        if (w.contiguousFrom()) return new Ref(w.base(), w.start());
        Loc.Buf b = laidOut.get(v);
        if (b == null) {
            b = buf(v, numel(w.shape()));
            read(w, steps.size());
            steps.add(new DataSteps.Materialise(v.label(), w, new Ref(b, 0)));
            laidOut.put(v, b);
        }
        return new Ref(b, 0);
    }

    // ---- sources

    private void source(Node n, SourceOp s) {
        Value v = n.output();
        switch (s) {
            case SourceOp.Input in -> {
                int slot = slots++;
                inputSlots.put(v.name(), slot);
                if (v.dtype() == DType.F32) {
                    Loc.Buf b = buf(v, numel(shape(v)));
                    loc.put(v, b);
                    steps.add(new DataSteps.CopyIn(v.label(), slot, new Ref(b, 0), (int) numel(shape(v))));
                } else loc.put(v, new Loc.Slot(slot));
            }
            case SourceOp.Weight w -> {
                data(v, w.data());
                invariant.add(v);
            }
            case SourceOp.Constant c -> {
                data(v, c.data());
                invariant.add(v);
            }
            case SourceOp.Iota io -> fallback(n);
        }
    }

    private void data(Value v, MemorySegment seg) {
        if (v.dtype() == DType.F32 || v.dtype().isQuantized() || v.dtype() == DType.F16 || v.dtype() == DType.BF16) loc.put(v, new Loc.Seg(seg));
        else {
            int slot = slots++;
            fixedSlots.put(slot, Tensor.external(v.dtype(), seg, v.shape().staticSizes()));
            loc.put(v, new Loc.Slot(slot));
        }
    }

    // ---- fused groups

    private void group(KernelGroup grp, GraphCompiler.Kernel k) {
        if (linears.folded(grp)) { // the GEMMs did its ops (every linear of such a group takes the packed path)
            if (!grp.outputs().stream().allMatch(loc::containsKey)) throw new IllegalStateException("lowering bug: bias group " + grp.id() + " partly folded");
            return;
        }
        QuantPrologue qp = QuantPrologue.match(grp);
        if (qp != null && linears.foldable(grp.outputs().getFirst())) {
            prologues.put(grp.outputs().getFirst(), qp);
            return;
        }
        GroupKernel gk = k.lowered();
        List<Object> args = new ArrayList<>();
        List<Param> params = gk.kernel().params();
        Map<Value, Ref> refs = new IdentityHashMap<>();
        for (Value v : grp.inputs()) if (loc(v) instanceof Loc.Buf || loc(v) instanceof Loc.View) refs.put(v, contig(v));
        int at = steps.size();
        for (Ref r : refs.values()) r.buf().readAt(at);
        for (Value v : grp.outputs()) {
            Loc.Buf b = buf(v, numel(shape(v)));
            loc.put(v, b);
            refs.put(v, new Ref(b, 0));
        }
        for (Value v : gk.temps()) refs.put(v, new Ref(buf(v, numel(shape(v))), 0));
        for (int p = 0; p < params.size(); p++) {
            Value v = gk.values().get(p);
            switch (params.get(p)) {
                case Param.Arena a -> args.add(refs.get(v));
                case Param.Weights w -> args.add(offHeap(((Loc.Seg) loc(v)).data()));
                case Param.Scalar s -> args.add(Math.toIntExact(bind.get(s.name().substring(2))));
                case Param.Ints i -> throw new IllegalStateException("groups take no int buffers");
            }
        }
        MethodHandle h = simd ? k.compiled().vector() : k.compiled().scalar();
        String what = grp.nodes().stream().map(n -> n.op().mnemonic()).reduce((a, b) -> a + "->" + b).orElse("");
        RowSplit split = RowSplit.of(gk.kernel());
        int rows = 1;
        if (split != null) for (int i : split.boundSymbols()) rows = Math.multiplyExact(rows, (Integer) args.get(i));
        steps.add(new DataSteps.Group("group" + grp.id() + " " + grp.outputs().getFirst().label() + " (" + what + ")", h, args, split, rows, pool));
    }

    /**
     * {@code seg}, or an off-heap copy of it (made once per compiled graph) when it lives on the heap: generated
     * kernels load weights as vectors, and C2 intrinsifies those loads only for the segment kind it has profiled;
     * a kernel fed heap segments (ONNX initialisers) falls back to per-lane Java loads (~10x slower).
     */
    private MemorySegment offHeap(MemorySegment seg) {
        if (seg.isNative()) return seg;
        return compiled.offHeap().computeIfAbsent(seg, s -> java.lang.foreign.Arena.ofAuto().allocate(s.byteSize(), 64).copyFrom(s));
    }

    // ---- single nodes

    private void node(Node n) {
        boolean done = switch (n.op()) {
            case ShapeOp.Reshape r -> alias(n);
            case ShapeOp.Squeeze s -> alias(n);
            case ShapeOp.Unsqueeze u -> alias(n);
            case ShapeOp.Transpose t -> transpose(n, t);
            case ShapeOp.Gather ga -> gather(n, ga);
            case LinalgOp.Linear l -> linears.lower(n);
            case LlmOp.LayerNorm ln -> layerNorm(n, ln);
            case LlmOp.Attention a -> new AttentionLowering(this, n, a).lower();
            case ReduceOp.Reduce r -> reduce(n, r);
            case ElementwiseOp.Binary bin -> scalar(n) || broadcast(n, bin);
            case ElementwiseOp.Cast c -> castToF32(n, c) || scalar(n);
            case ElementwiseOp e -> scalar(n);
            default -> false;
        };
        if (!done) fallback(n);
    }

    private boolean alias(Node n) {
        Value x = n.input(0), o = n.output();
        if (o.dtype() != DType.F32 && loc(x) instanceof Loc.Slot in) { // ids, masks: the same tensor data, reshaped
            int slot = slots++;
            loc.put(o, new Loc.Slot(slot));
            if (invariant.contains(x)) invariant.add(o);
            steps.add(new DataSteps.SlotReshape(o.label(), in.index(), slot, shape(o)));
            return true;
        }
        if (o.dtype() != DType.F32) return false;
        Loc l = loc(x);
        if (l instanceof Loc.Seg) return false;
        Ref r = contig(x);
        loc.put(o, r.start() == 0 ? r.buf() : new Loc.View(r.buf(), r.start(), shape(o), rowMajor(shape(o))));
        return true;
    }

    /** An integer or bool tensor in a slot (a mask) cast to F32: a loop, not the interpreter's one-node graph (~0.2 ms). */
    private boolean castToF32(Node n, ElementwiseOp.Cast c) {
        Value x = n.input(0);
        if (c.to() != DType.F32 || x.dtype().isFloatingPoint() || x.dtype().isQuantized() || !(loc(x) instanceof Loc.Slot in)) return false;
        int count = Math.toIntExact(numel(shape(n.output())));
        Loc.Buf out = buf(n.output(), count);
        loc.put(n.output(), out);
        steps.add(new DataSteps.SlotToF32(n.output().label(), in.index(), new Ref(out, 0), count));
        return true;
    }

    private boolean transpose(Node n, ShapeOp.Transpose t) {
        Loc.View v = n.output().dtype() == DType.F32 ? view(n.input(0)) : null;
        if (v == null) return false;
        int r = t.perm().size();
        long[] s = new long[r], st = new long[r];
        for (int i = 0; i < r; i++) {
            s[i] = v.shape()[t.perm().get(i)];
            st[i] = v.strides()[t.perm().get(i)];
        }
        loc.put(n.output(), new Loc.View(v.base(), v.start(), s, st));
        return true;
    }

    private boolean gather(Node n, ShapeOp.Gather ga) {
        Value table = n.input(0);
        if (ga.axis() != 0 || table.rank() != 2 || table.dtype() != DType.F32 || !(loc(table) instanceof Loc.Seg seg)
                || !(loc(n.input(1)) instanceof Loc.Slot ids)) return false;
        long[] ts = table.shape().staticSizes();
        Loc.Buf out = buf(n.output(), numel(shape(n.output())));
        loc.put(n.output(), out);
        steps.add(new DataSteps.GatherRows(n.output().label(), seg.data(), ts[0], (int) ts[1], ids.index(), new Ref(out, 0)));
        return true;
    }

    static float[] floats(MemorySegment s, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) SegmentReader.getDouble(DType.F32, s, i);
        return a;
    }

    private boolean layerNorm(Node n, LlmOp.LayerNorm ln) {
        int d = (int) shape(n.input(0))[n.input(0).rank() - 1];
        for (int i = 1; i < n.inputs().size(); i++) {
            if (!(loc(n.input(i)) instanceof Loc.Seg) || n.input(i).dtype() != DType.F32) return false;
        }
        float[] w = floats(((Loc.Seg) loc(n.input(1))).data(), d);
        float[] b = n.inputs().size() > 2 ? floats(((Loc.Seg) loc(n.input(2))).data(), d) : new float[d];
        Ref x = contig(n.input(0));
        x.buf().readAt(steps.size());
        Loc.Buf out = buf(n.output(), numel(shape(n.output())));
        loc.put(n.output(), out);
        int rows = Math.toIntExact(numel(shape(n.output())) / Math.max(1, d));
        steps.add(new LinalgSteps.LayerNorm(n.output().label(), x, new Ref(out, 0), w, b, ln.eps(), rows, d, simd, pool));
        return true;
    }

    private boolean reduce(Node n, ReduceOp.Reduce r) {
        if (loc.containsKey(n.output())) return true; // lowered with its sibling (min with max)
        Value x = n.input(0);
        if (x.dtype() != DType.F32 || r.kind() == ReduceOp.ReduceKind.PROD || loc(x) instanceof Loc.Seg || x.rank() == 0) return false;
        boolean[] axes = r.reducedAxes(x.rank());
        boolean all = true, lastOnly = axes[x.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            all &= axes[i];
            if (i < axes.length - 1) lastOnly &= !axes[i];
        }
        if (!all && !lastOnly) return false;
        long total = numel(shape(x));
        int len = all ? Math.toIntExact(total) : (int) shape(x)[x.rank() - 1];
        Ref xr = contig(x);
        xr.buf().readAt(steps.size());
        Node sibling = all ? minMaxSibling(n, r) : null;
        if (sibling != null) { // min and max of one tensor (dynamic quantisation): one pass for both
            Loc.Buf lo = buf(r.kind() == ReduceOp.ReduceKind.MIN ? n.output() : sibling.output(), 1);
            Loc.Buf hi = buf(r.kind() == ReduceOp.ReduceKind.MIN ? sibling.output() : n.output(), 1);
            loc.put(r.kind() == ReduceOp.ReduceKind.MIN ? n.output() : sibling.output(), lo);
            loc.put(r.kind() == ReduceOp.ReduceKind.MIN ? sibling.output() : n.output(), hi);
            steps.add(new DataSteps.MinMax(x.label(), xr, new Ref(lo, 0), new Ref(hi, 0), len, simd, pool));
            return true;
        }
        Loc.Buf out = buf(n.output(), total / Math.max(1, len));
        loc.put(n.output(), out);
        steps.add(new DataSteps.Reduce(n.output().label(), r.kind(), xr, new Ref(out, 0), (int) (total / Math.max(1, len)), len, simd, pool));
        return true;
    }

    /** A not yet lowered reduce of n's input over all axes with the opposite kind (max for min, min for max), or null. */
    private Node minMaxSibling(Node n, ReduceOp.Reduce r) {
        ReduceOp.ReduceKind want = r.kind() == ReduceOp.ReduceKind.MIN ? ReduceOp.ReduceKind.MAX : r.kind() == ReduceOp.ReduceKind.MAX ? ReduceOp.ReduceKind.MIN : null;
        if (want == null) return null;
        for (Node u : consumers(n.input(0))) {
            if (u != n && u.op() instanceof ReduceOp.Reduce o && o.kind() == want && !loc.containsKey(u.output())
                    && java.util.Arrays.equals(o.reducedAxes(n.input(0).rank()), r.reducedAxes(n.input(0).rank()))
                    && u.output().dtype() == DType.F32 && u.output().shape().numel().equals(Dim.of(1))) return u;
        }
        return null;
    }

    private boolean scalar(Node n) {
        Dim one = Dim.of(1);
        if (!n.output().shape().numel().equals(one) || !ScalarStep.supports(n)) return false;
        for (Value v : n.inputs()) if (!v.shape().numel().equals(one) || v.dtype().isQuantized()) return false;
        List<ScalarStep.Cell> in = new ArrayList<>();
        for (Value v : n.inputs()) {
            Loc l = loc(v);
            double c = l instanceof Loc.Seg s ? SegmentReader.getDouble(v.dtype(), s.data(), 0) : 0;
            in.add(ScalarStep.Cell.of(l, c));
            read(l, steps.size());
        }
        Value o = n.output();
        Loc out;
        if (o.dtype() == DType.F32) out = buf(o, 1);
        else {
            int slot = slots++;
            fixedSlots.put(slot, Tensor.zeros(o.dtype(), shape(o)));
            out = new Loc.Slot(slot);
        }
        loc.put(o, out);
        steps.add(new ScalarStep(n, in, ScalarStep.Cell.of(out, 0)));
        return true;
    }

    /** F32 binary arithmetic on arena operands of any broadcast (operands laid out contiguously first). */
    private boolean broadcast(Node n, ElementwiseOp.Binary bin) {
        Value o = n.output();
        if (o.dtype() != DType.F32 || o.rank() == 0 || !java.util.Set.of(ElementwiseOp.BinaryKind.ADD, ElementwiseOp.BinaryKind.SUB,
                ElementwiseOp.BinaryKind.MUL, ElementwiseOp.BinaryKind.DIV, ElementwiseOp.BinaryKind.MAX, ElementwiseOp.BinaryKind.MIN).contains(bin.kind())) return false;
        for (Value v : n.inputs()) if (loc(v) instanceof Loc.Seg || loc(v) instanceof Loc.Slot) return false;
        long[] os = shape(o);
        Ref a = contig(n.input(0)), b = contig(n.input(1));
        long[] as = broadcastStrides(shape(n.input(0)), os), bs = broadcastStrides(shape(n.input(1)), os);
        int r = os.length;
        a.buf().readAt(steps.size());
        b.buf().readAt(steps.size());
        Loc.Buf out = buf(o, numel(os));
        loc.put(o, out);
        steps.add(new BroadcastStep(o.label(), bin.kind(), a, BroadcastStep.rowOffsets(os, as), as[r - 1] != 0, b,
                BroadcastStep.rowOffsets(os, bs), bs[r - 1] != 0, new Ref(out, 0), (int) os[r - 1], simd));
        return true;
    }

    /** Row-major strides of {@code s} aligned right against {@code out}, 0 where it broadcasts. */
    private static long[] broadcastStrides(long[] s, long[] out) {
        long[] rm = rowMajor(s), st = new long[out.length];
        for (int d = 0; d < out.length; d++) {
            int sd = d - (out.length - s.length);
            st[d] = sd < 0 || s[sd] == 1 ? 0 : rm[sd];
        }
        return st;
    }

    private void fallback(Node n) {
        // a non-F32 result computed only from constants and the binding (position ids: gather(table, iota(S)))
        // is the same on every run of this plan; its slot is never reused, so it is computed once
        boolean once = n.output().dtype() != DType.F32 && invariant.containsAll(n.inputs());
        if (once) invariant.add(n.output());
        List<Loc> ins = new ArrayList<>();
        for (Value v : n.inputs()) {
            Loc l = loc(v);
            ins.add(l);
            read(l, steps.size());
        }
        Value o = n.output();
        Loc out = o.dtype() == DType.F32 ? buf(o, numel(shape(o))) : new Loc.Slot(slots++);
        loc.put(o, out);
        steps.add(new FallbackStep(n, ins, bind, out, once));
    }

    // ---- for AttentionLowering and LinearLowering

    void put(Value v, Loc l) { loc.put(v, l); }

    /** v's location, or null while it has none (not yet lowered). */
    Loc locOrNull(Value v) { return loc.get(v); }

    KernelGroup groupOf(Node n) { return groupOf.get(n); }

    GraphExecutor.Compiled compiled() { return compiled; }

    Loc.View viewOf(Value v) { return view(v); }

    long[] shapeOf(Value v) { return shape(v); }

    Loc.Buf newBuf(Value v, long floats) { return buf(v, floats); }

    WorkerPool pool() { return pool; }

    boolean simd() { return simd; }

    Graph graph() { return g; }

    List<Node> consumers(Value v) {
        if (consumers == null) consumers = g.consumers();
        return consumers.getOrDefault(v, List.of());
    }
}
