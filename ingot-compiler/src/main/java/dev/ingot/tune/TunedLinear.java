package dev.ingot.tune;

import dev.ingot.compiler.cache.CompilerVersion;
import dev.ingot.kernel.nativec.KernelSelector;
import dev.ingot.kernel.nativec.NativeBackend;
import dev.ingot.kernel.nativec.NativeSource;
import dev.ingot.tensor.DType;
import dev.ingot.tune.db.CpuId;
import dev.ingot.tune.db.TunedEntry;
import dev.ingot.tune.db.TuningDb;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.Optional;

/**
 * What the program compiler asks for each linear step: the call site that runs the best known schedule for
 * (dtype, N, K, token bucket) on this CPU with this many threads. In order:
 * <ol>
 *   <li>a {@code tuned} row of the tuning database ({@code ingot tune}): its schedule, or its best JVM schedule
 *       when the native backend is off here;</li>
 *   <li>a {@code selected} row: the earlier compile-time JVM-vs-native choice between default schedules;</li>
 *   <li>otherwise {@link KernelSelector} times both defaults now and the choice becomes a {@code selected} row.</li>
 * </ol>
 * So with a warm database nothing is measured at compile time. A row whose schedule does not parse or whose
 * kernel does not build here is logged and skipped (the database is never trusted; the rows are read through
 * {@link TunedRows}, as every family's are).
 */
public final class TunedLinear {
    private static volatile TunedLinear defaultInstance;

    private final TuningDb db;
    private final TunedRows rows;
    private final KernelSelector selector;
    private final String cpu;

    public TunedLinear(TuningDb db, KernelSelector selector, CpuId cpu) {
        this.db = db;
        this.rows = new TunedRows(db, cpu);
        this.selector = selector;
        this.cpu = cpu.key();
    }

    public NativeBackend backend() { return selector.backend(); }

    public static TunedLinear get() {
        TunedLinear t = defaultInstance;
        if (t == null) {
            synchronized (TunedLinear.class) {
                if ((t = defaultInstance) == null) defaultInstance = t = new TunedLinear(TuningDb.atDefault(), KernelSelector.get(), CpuId.current());
            }
        }
        return t;
    }

    /**
     * Kernel code version the rows are valid for: the JVM code generator's and the native template's. A new
     * version is tuned (and selected) afresh.
     */
    public static String version() { return CompilerVersion.ID + "/" + NativeSource.templateHash(); }

    /**
     * The schedule to run for a linear step; {@code w} are the real weights (the selector times on them), null
     * for random ones. {@code -Dingot.native=force} gives every dtype with a native kernel the native default.
     */
    public LinearSchedule schedule(DType dtype, MemorySegment w, int N, int K, int bucketT, int threads) {
        KernelSignature sig = KernelSignature.linear(dtype, N, K, Math.max(1, bucketT));
        NativeBackend backend = selector.backend();
        LinearSpace space = LinearSpace.here(threads, backend);
        if (KernelSelector.forced() && space.nativeFor(dtype)) return space.defaults(sig).getFirst();
        java.util.function.Function<String, LinearSchedule> usable = text -> usable(space, sig, text);
        Optional<LinearSchedule> known = rows.tuned(sig, threads, version(), usable)
                .or(() -> rows.lookup(TunedEntry.SELECTED, sig, 0, version(), usable));
        if (known.isPresent()) return known.get();
        Optional<KernelSelector.Choice> c = selector.measure(dtype, w, N, K, sig.tokens());
        if (c.isEmpty()) return LinearSchedule.jvm(0, 0); // no native kernel for this dtype here: nothing to choose
        LinearSchedule jvm = LinearSchedule.jvm(0, 0), chosen = c.get().nativeWins() ? space.defaults(sig).getFirst() : jvm;
        KernelSelector.Choice m = c.get();
        db.put(new TunedEntry(cpu, 0, version(), sig.text(), TunedEntry.SELECTED, chosen.text(), jvm.text(), jvm.text(),
                Math.max(1, m.javaNs()), Math.max(1, m.nativeWins() ? m.nativeNs() : m.javaNs()), 0, Instant.now().toString()));
        db.save();
        return chosen;
    }

    /** {@code text} parsed and runnable here (native ones only when the backend is on), else null; throws on text outside the space. */
    private static LinearSchedule usable(LinearSpace space, KernelSignature sig, String text) {
        LinearSchedule s = LinearSchedule.parse(text);
        // tuned on AMX but AMX is off here (-Dingot.amx=off, another OS): the same schedule on the VNNI kernel
        if (s.amx() && !space.amxFor(sig.dtype())) s = s.withoutAmx();
        s = space.parse(s.text());
        return s.nativeBackend() && !space.nativeFor(sig.dtype()) ? null : s;
    }
}
