package dev.ingot.compiler.program;

import dev.ingot.ir.ElementwiseOp;
import dev.ingot.ir.ElementwiseOp.BinaryKind;
import dev.ingot.ir.ElementwiseOp.UnaryKind;
import dev.ingot.ir.Graph;
import dev.ingot.ir.LinalgOp;
import dev.ingot.ir.LlmOp;
import dev.ingot.ir.Node;
import dev.ingot.ir.ShapeOp;
import dev.ingot.ir.SourceOp;
import dev.ingot.ir.Value;
import dev.ingot.ir.shape.Dim;
import dev.ingot.kernel.KernelProvider;
import dev.ingot.kernel.elementwise.Elementwise;
import dev.ingot.kernel.elementwise.RopeTable;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.nativec.GroupedLinear;
import dev.ingot.kernel.parallel.WorkerPool;
import dev.ingot.tensor.DType;
import dev.ingot.tune.AttentionCalls;
import dev.ingot.tune.FusedSpace;
import dev.ingot.tune.KernelSignature;
import dev.ingot.tune.LinearCalls;
import dev.ingot.tune.LinearSchedule;
import dev.ingot.tune.TunedLinear;
import dev.ingot.tune.TunedRows;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers a graph to a {@link Program} for one shape bucket. Matmul and attention become calls of the kernel
 * library; norms, residual adds and SwiGLU become generated fused kernels:
 * <ul>
 *   <li>{@code add(linear(x, W), bias)} -> one linear step with a bias;</li>
 *   <li>linears reading the same x (Q/K/V, gate/up) -> one grouped step: one dispatch, x quantised once;</li>
 *   <li>{@code h = add(a, b); rms_norm(h, w)} -> one add_rms_norm kernel writing h and the norm;</li>
 *   <li>{@code mul(silu(g), u)} -> one swiglu kernel;</li>
 *   <li>reshape is a view; kv_write's result is the cache it wrote; rope runs in place when x has no other use.</li>
 * </ul>
 * Intermediates get arena offsets from {@link MemoryPlan}. An op without a lowering is a clear error naming it.
 */
public final class ProgramCompiler {
    private final Graph g;
    private final Map<String, Long> bounds;
    private final WorkerPool pool;
    private final KernelProvider kernels = KernelProvider.get();
    private final Elementwise ew = kernels.elementwise();
    // one angle table per (mode, rotary dims) for all of a program's rope steps: they run on one thread, in turn,
    // and every layer's Q and K rope read the same positions' angles
    private final Map<String, RopeTable> ropeTables = new HashMap<>();

    private final Map<Value, Integer> buffer = new HashMap<>();     // value -> arena buffer id
    private final List<long[]> bufferLife = new ArrayList<>();       // id -> {floats, first, last}
    private final List<String> bufferLabel = new ArrayList<>();
    private final Map<Value, Integer> intSlot = new HashMap<>();
    private final Map<Value, Integer> segSlot = new HashMap<>();
    private final Map<String, Integer> intSlotsByName = new LinkedHashMap<>();
    private final Map<String, Integer> segSlotsByName = new LinkedHashMap<>();
    private final Set<Node> absorbed = new HashSet<>();
    private final Map<Value, List<Node>> consumers = new HashMap<>();
    private final Map<Value, Integer> uses;
    private final List<Step> steps = new ArrayList<>();

    private final GroupedLinear.Packing packing;
    private final TunedRows tuned; // attention and fused-group schedules

    private ProgramCompiler(Graph g, Map<String, Long> bounds, WorkerPool pool, GroupedLinear.Packing packing, TunedRows tuned) {
        this.packing = packing;
        this.tuned = tuned;
        this.g = g;
        this.bounds = bounds;
        this.pool = pool;
        this.uses = g.useCounts();
        for (Node n : g.nodes()) for (Value v : n.inputs()) consumers.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
    }

    /**
     * @param bounds upper bound of every symbol the program will see (the shape bucket)
     */
    public static Program compile(Graph g, Map<String, Long> bounds, WorkerPool pool) {
        return compile(g, bounds, pool, GroupedLinear.Packing.POOL);
    }

    /**
     * @param packing how native linears get their weights: packed (the fast kernels; packing a 1B model's weights
     *                takes ~1 s, once) or row-major as stored, for a quick first program (tier 0)
     */
    public static Program compile(Graph g, Map<String, Long> bounds, WorkerPool pool, GroupedLinear.Packing packing) {
        return compile(g, bounds, pool, packing, TunedRows.get());
    }

    /** @param tuned where attention and fused-group schedules come from (the process's tuning database by default) */
    public static Program compile(Graph g, Map<String, Long> bounds, WorkerPool pool, GroupedLinear.Packing packing, TunedRows tuned) {
        if (g.outputs().size() != 1) throw new IllegalArgumentException("programs have one output, graph has " + g.outputs().size());
        return new ProgramCompiler(g, bounds, pool, packing, tuned).lower();
    }

    private Program lower() {
        for (Node n : g.nodes()) {
            if (absorbed.contains(n)) continue;
            lowerNode(n);
        }
        Value out = g.outputs().getFirst();
        Integer ob = buffer.get(out);
        if (ob == null || out.rank() != 2 || !out.shape().dim(1).isConstant()) {
            throw new IllegalArgumentException("program output must be a 2-D f32 activation with a constant width: " + out);
        }
        bufferLife.get(ob)[2] = Integer.MAX_VALUE;
        List<MemoryPlan.Buffer> bufs = new ArrayList<>();
        for (int i = 0; i < bufferLife.size(); i++) {
            long[] l = bufferLife.get(i);
            bufs.add(new MemoryPlan.Buffer(i, bufferLabel.get(i), l[0], (int) l[1], (int) l[2]));
        }
        MemoryPlan plan = MemoryPlan.plan(bufs);
        return new Program(steps, plan, bounds, intSlotsByName, segSlotsByName, ob, out.label(), out.shape().dim(0),
                (int) out.shape().dim(1).constant());
    }

    private void lowerNode(Node n) {
        Value out = n.output();
        switch (n.op()) {
            case SourceOp.Input in -> {
                if (out.dtype() == DType.I32) slot(intSlot, intSlotsByName, out);
                else if ((out.dtype() == DType.F32 || out.dtype() == DType.F16) && out.rank() == 4) slot(segSlot, segSlotsByName, out); // KV cache pool
                else throw unsupported(n, "inputs must be i32 or a 4-D f32/f16 KV cache");
            }
            case SourceOp.Weight w -> { /* referenced directly by the steps that read it */ }
            case ShapeOp.Reshape r -> alias(out, n.input(0));
            case LlmOp.Embedding e -> {
                Value table = weightOf(n, 0);
                int dim = (int) table.shape().dim(1).constant();
                steps.add(new LinalgSteps.Embedding(out.label(), ints(n, 1), define(out), segment(table), table.dtype(),
                        (int) table.shape().dim(0).constant(), dim, numel(n.input(1))));
            }
            case LinalgOp.Linear l -> lowerLinear(n);
            case ElementwiseOp.Binary b when b.kind() == BinaryKind.ADD -> lowerAdd(n);
            case ElementwiseOp.Binary b when b.kind() == BinaryKind.MUL -> lowerMul(n);
            case ElementwiseOp.Unary u when u.kind() == UnaryKind.SILU && singleConsumerIsMul(out) -> { /* fused into the mul */ }
            case LlmOp.RmsNorm rn -> {
                Value w = weightOf(n, 1);
                int width = lastDim(out);
                int x = read(n.input(0));
                steps.add(new FusedSteps.RmsNorm(out.label(), x, f32Segment(w), define(out), rows(out), width, rn.eps(),
                        fused(FusedCall.Op.RMS_NORM, out), pool));
            }
            case LlmOp.Rope r -> lowerRope(n, r);
            case LlmOp.KvWrite k -> {
                Value cache = n.input(0);
                Integer cs = segSlot.get(cache);
                if (cs == null) throw unsupported(n, "the cache must be a program input");
                int kv = read(n.input(1));
                int rowFloats = (int) (n.input(1).shape().dim(1).constant() * n.input(1).shape().dim(2).constant());
                steps.add(new AttentionSteps.KvWrite(out.label(), kv, cs, ints(n, 2), n.input(1).shape().dim(0), rowFloats,
                        cache.dtype() == DType.F16));
                segSlot.put(out, cs);
            }
            case LlmOp.PagedAttention pa -> lowerPagedAttention(n, pa);
            case ShapeOp.Gather ga when ga.axis() == 0 && n.input(0).rank() == 2 && intSlot.containsKey(n.input(1)) -> {
                int x = read(n.input(0));
                steps.add(new LinalgSteps.GatherRows(out.label(), x, ints(n, 1), define(out), lastDim(out),
                        n.input(0).shape().dim(0), out.shape().dim(0)));
            }
            default -> throw unsupported(n, "no lowering yet");
        }
    }

    private void lowerLinear(Node n) {
        List<Node> group = siblingLinears(n);
        if (group.size() > 1 && lowerLinearGroup(group)) return;
        lowerLinearGroup(List.of(n));
    }

    /** The schedule the tuning database (or the JVM-vs-native selection) gives this linear at this bucket. */
    private LinearSchedule scheduleFor(Value w, int nOut, int k, Value result) {
        return TunedLinear.get().schedule(w.dtype(), segment(w), nOut, k, (int) rows(result).eval(bounds), pool.threads());
    }

    /** {@code n} and every other linear reading the same activations with weights of the same type and K. */
    private List<Node> siblingLinears(Node n) {
        Value w = n.input(1);
        List<Node> group = new ArrayList<>(List.of(n));
        for (Node c : consumers.getOrDefault(n.input(0), List.of())) {
            if (c != n && c.op() instanceof LinalgOp.Linear && c.input(0) == n.input(0) && !absorbed.contains(c)
                    && c.input(1).isWeight() && c.input(1).dtype() == w.dtype()
                    && c.input(1).shape().dim(1).equals(w.shape().dim(1))) {
                group.add(c);
            }
        }
        return group;
    }

    /**
     * One grouped step for the linears of {@code group} when their schedules agree on the backend; false leaves
     * them alone. The group runs the schedule of its largest part (tile, grain, token block): schedules are
     * tuned per linear signature, and the largest part dominates the group's time.
     */
    private boolean lowerLinearGroup(List<Node> group) {
        int parts = group.size();
        int[] ns = new int[parts];
        MemorySegment[] ws = new MemorySegment[parts];
        LinearSchedule lead = null;
        int leadN = -1;
        for (int i = 0; i < parts; i++) {
            Value w = weightOf(group.get(i), 1);
            ns[i] = (int) w.shape().dim(0).constant();
            ws[i] = segment(w);
            LinearSchedule si = scheduleFor(w, ns[i], (int) w.shape().dim(1).constant(), group.get(i).output());
            if (lead != null && si.nativeBackend() != lead.nativeBackend()) return false;
            if (ns[i] > leadN) { lead = si; leadN = ns[i]; }
        }
        DType wType = group.getFirst().input(1).dtype();
        LinearKernel kernel = LinearCalls.kernel(lead, wType, TunedLinear.get().backend());
        int k = (int) group.getFirst().input(1).shape().dim(1).constant();
        float[][] biases = new float[parts][];
        Value[] results = new Value[parts];
        for (int i = 0; i < parts; i++) {
            BiasFusion bf = biasOf(group.get(i), ns[i]);
            biases[i] = bf.bias();
            results[i] = bf.result();
            if (i > 0) absorbed.add(group.get(i));
        }
        int x = read(group.getFirst().input(0));
        int[] ys = new int[parts];
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            ys[i] = define(results[i]);
            label.append(i == 0 ? "" : "+").append(results[i].label());
        }
        steps.add(new LinalgSteps.LinearGroup(label.toString(), x, ys, ns, k, wType,
                rows(results[0]), new GroupedLinear(kernel, ws, ns, k, biases, pool, packing, lead.grain(), lead.tokenBlock(), lead.amx()), pool));
        return true;
    }

    private record BiasFusion(float[] bias, Value result) {}

    /** A linear followed only by "+ bias" (1-D f32 weight): the kernel adds the bias and the add is absorbed. */
    private BiasFusion biasOf(Node n, int nOut) {
        Value out = n.output();
        List<Node> cs = consumers.getOrDefault(out, List.of());
        if (uses.getOrDefault(out, 0) == 1 && cs.size() == 1 && cs.getFirst().op() instanceof ElementwiseOp.Binary b
                && b.kind() == BinaryKind.ADD && cs.getFirst().input(0) == out) {
            Value bv = cs.getFirst().input(1);
            if (bv.isWeight() && bv.dtype() == DType.F32 && bv.rank() == 1 && bv.shape().dim(0).constant() == nOut) {
                float[] bias = new float[nOut];
                MemorySegment.copy(segment(bv), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, bias, 0, nOut);
                absorbed.add(cs.getFirst());
                return new BiasFusion(bias, cs.getFirst().output());
            }
        }
        return new BiasFusion(null, out);
    }

    private void lowerAdd(Node n) {
        Value out = n.output();
        if (!n.input(0).shape().equals(n.input(1).shape())) throw unsupported(n, "broadcasting add");
        // h = a + b feeding an rms_norm: one fused pass writes h and the norm.
        for (Node c : consumers.getOrDefault(out, List.of())) {
            if (c.op() instanceof LlmOp.RmsNorm rn && c.input(0) == out && c.input(1).isWeight()) {
                int a = read(n.input(0)), b = read(n.input(1));
                int h = define(out), normOut = define(c.output());
                steps.add(new FusedSteps.AddRmsNorm(c.output().label(), a, b, f32Segment(c.input(1)), h, normOut, rows(out),
                        lastDim(out), rn.eps(), fused(FusedCall.Op.ADD_RMS_NORM, out), pool));
                absorbed.add(c);
                return;
            }
        }
        int a = read(n.input(0)), b = read(n.input(1));
        if (out.rank() > 0 && out.shape().last().isConstant()) { // rows of a constant width: the add's schedule may split them
            steps.add(new FusedSteps.Add(out.label(), a, b, define(out), rows(out), lastDim(out), fused(FusedCall.Op.ADD, out), pool));
        } else {
            steps.add(new FusedSteps.Add(out.label(), a, b, define(out), out.shape().numel(), 1, new FusedCall(FusedCall.Op.ADD, 0), pool));
        }
    }

    private void lowerMul(Node n) {
        Value out = n.output();
        Value a = n.input(0), b = n.input(1);
        if (a.definingOp() instanceof ElementwiseOp.Unary u && u.kind() == UnaryKind.SILU && singleConsumerIsMul(a)
                && a.shape().equals(b.shape())) {
            Value gate = g.producer(a).input(0);
            int gi = read(gate), ui = read(b);
            steps.add(new FusedSteps.SwiGlu(out.label(), gi, ui, define(out), rows(out), lastDim(out), fused(FusedCall.Op.SWIGLU, out), pool));
            return;
        }
        throw unsupported(n, "mul other than silu(gate) * up");
    }

    private void lowerRope(Node n, LlmOp.Rope r) {
        Value out = n.output(), x = n.input(0);
        int heads = (int) x.shape().dim(1).constant(), headDim = (int) x.shape().dim(2).constant();
        float[] factors = null;
        if (n.inputs().size() == 3) {
            Value ff = n.input(2);
            if (!ff.isWeight()) throw unsupported(n, "freq factors must be a weight");
            factors = new float[r.rotDim() / 2];
            MemorySegment.copy(segment(ff), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, factors, 0, factors.length);
        }
        int xi = read(x);
        // In place when x has no other reader: saves a buffer and a copy.
        int o;
        if (uses.getOrDefault(x, 0) == 1) {
            buffer.put(out, xi);
            o = xi;
        } else {
            o = define(out);
        }
        RopeTable.Mode mode = r.mode() == LlmOp.RopeMode.NORM ? RopeTable.Mode.NORM : RopeTable.Mode.NEOX;
        steps.add(new AttentionSteps.Rope(out.label(), xi, o, ints(n, 1), x.shape().dim(0), heads, headDim, r.base(), factors,
                ropeTables.computeIfAbsent(mode + "/" + r.rotDim(), k -> new RopeTable(mode, r.rotDim())), ew));
    }

    private void lowerPagedAttention(Node n, LlmOp.PagedAttention pa) {
        Value out = n.output(), q = n.input(0), kc = n.input(1);
        Integer ks = segSlot.get(kc), vs = segSlot.get(n.input(2));
        if (ks == null || vs == null) throw unsupported(n, "K/V caches must come from kv_write of a cache input");
        int qi = read(q);
        Value bt = n.input(3);
        steps.add(new AttentionSteps.Paged(out.label(), qi, define(out), ks, vs, ints(n, 3), ints(n, 5), ints(n, 6),
                q.shape().dim(0), bt.shape().dim(0), bt.shape().dim(1), (int) q.shape().dim(1).constant(),
                (int) kc.shape().dim(2).constant(), (int) q.shape().dim(2).constant(), (int) kc.shape().dim(1).constant(),
                kc.dtype() == DType.F16, pa.scale(), attentionPlan(q, kc, bt), pool));
    }

    /**
     * The attention step's schedules by context bucket (tuning database), for q [T, H, D], the cache
     * [blocks, blockSize, Hkv, D] and block tables [S, maxBlocks]; untuned: the native twin where it builds.
     */
    private dev.ingot.kernel.attention.AttentionPlan attentionPlan(Value q, Value cache, Value blockTables) {
        int blockSize = (int) cache.shape().dim(1).constant();
        long maxContext = blockTables.shape().dim(1).eval(bounds) * blockSize;
        return AttentionCalls.plan(tuned, dev.ingot.kernel.nativec.NativeBackend.get(), cache.dtype(), (int) q.shape().dim(1).constant(),
                (int) cache.shape().dim(2).constant(), (int) q.shape().dim(2).constant(), blockSize,
                (int) q.shape().dim(0).eval(bounds), (int) Math.min(Integer.MAX_VALUE, maxContext), pool.threads());
    }

    /** The call site of fused op {@code op} writing {@code out} [rows, n]: serial unless the tuning database splits its rows. */
    private FusedCall fused(FusedCall.Op op, Value out) {
        int T = (int) Math.max(1, rows(out).eval(bounds));
        KernelSignature sig = KernelSignature.fused(op.id, lastDim(out), T);
        return new FusedCall(op, FusedSpace.lookup(tuned, sig, pool.threads()).grain());
    }

    // ---- storage bookkeeping --------------------------------------------------------------------------------

    private boolean singleConsumerIsMul(Value v) {
        List<Node> cs = consumers.getOrDefault(v, List.of());
        return uses.getOrDefault(v, 0) == 1 && cs.size() == 1 && cs.getFirst().op() instanceof ElementwiseOp.Binary b
                && b.kind() == BinaryKind.MUL;
    }

    private void slot(Map<Value, Integer> slots, Map<String, Integer> byName, Value v) {
        int s = byName.size(); // slots may also hold aliases (kv_write results), so count by name
        slots.put(v, s);
        byName.put(v.name(), s);
    }

    /** A new arena buffer for {@code v}, written by the step about to be added. */
    private int define(Value v) {
        if (v.dtype() != DType.F32) throw new IllegalArgumentException("arena values are f32: " + v);
        int id = bufferLife.size();
        long floats = v.shape().numel().eval(bounds);
        bufferLife.add(new long[] {floats, steps.size(), steps.size()});
        bufferLabel.add(v.label());
        buffer.put(v, id);
        return id;
    }

    /** The buffer of {@code v}, marked as read by the step about to be added. */
    private int read(Value v) {
        Integer id = buffer.get(v);
        if (id == null) throw new IllegalArgumentException("value " + v + " has no arena buffer (produced by " + v.definingOp().mnemonic() + ")");
        long[] life = bufferLife.get(id);
        life[2] = Math.max(life[2], steps.size());
        return id;
    }

    private void alias(Value view, Value of) {
        if (buffer.containsKey(of)) buffer.put(view, buffer.get(of));
        else if (segSlot.containsKey(of)) segSlot.put(view, segSlot.get(of));
        else if (intSlot.containsKey(of)) intSlot.put(view, intSlot.get(of));
        else throw new IllegalArgumentException("reshape of " + of + " which has no storage");
    }

    private int ints(Node n, int input) {
        Integer s = intSlot.get(n.input(input));
        if (s == null) throw unsupported(n, "input " + input + " must be an i32 program input");
        return s;
    }

    private Value weightOf(Node n, int input) {
        Value w = n.input(input);
        if (!w.isWeight()) throw unsupported(n, "input " + input + " must be a weight");
        return w;
    }

    private static MemorySegment segment(Value w) { return ((SourceOp.Weight) w.definingOp()).data(); }

    private MemorySegment f32Segment(Value w) {
        if (w.dtype() != DType.F32) throw new IllegalArgumentException("norm weight " + w + " must be f32");
        return segment(w);
    }

    private static int lastDim(Value v) { return (int) v.shape().last().constant(); }

    /** Rows of a [..., n] activation: all leading dims multiplied. */
    private static Dim rows(Value v) { return v.shape().numel().div(v.shape().last()); }

    private static Dim numel(Value v) { return v.shape().numel(); }

    private static UnsupportedOperationException unsupported(Node n, String why) {
        return new UnsupportedOperationException("compiler: cannot lower " + n.op().mnemonic() + " -> " + n.output() + ": " + why);
    }
}
