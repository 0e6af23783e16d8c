package dev.ingot.kernel.nativec;

import dev.ingot.tensor.DType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The optional native backend: present when {@code -Dingot.native} is not {@code off} and a C compiler is on
 * PATH. Everything that can go wrong (no compiler, a compile error, a library that does not load) is logged
 * once with the reason and answered with {@link Optional#empty()}, so callers keep the JVM kernels; it never
 * fails a request.
 */
public final class NativeBackend {
    private static final System.Logger LOG = System.getLogger(NativeBackend.class.getName());
    private static volatile NativeBackend instance;

    private final NativeToolchain toolchain;
    private final String reason;
    private final Map<NativeSource, Optional<NativeLinear>> kernels = new ConcurrentHashMap<>();
    private final Map<Integer, Once<NativeAttention>> attention = new ConcurrentHashMap<>(); // by prefetch distance
    private final Once<NativeIntGemm> intGemm = new Once<>();
    private final Once<NativeSgemm> sgemm = new Once<>();
    private final Once<CacheFlush> flush = new Once<>();

    private NativeBackend(NativeToolchain toolchain, String reason) {
        this.toolchain = toolchain;
        this.reason = reason;
    }

    public static NativeBackend get() {
        NativeBackend b = instance;
        if (b == null) {
            synchronized (NativeBackend.class) {
                if ((b = instance) == null) instance = b = detect(System.getProperty("ingot.native", "auto"));
            }
        }
        return b;
    }

    static NativeBackend detect(String mode) {
        if (mode.equals("off")) return off("disabled by -Dingot.native=off");
        if (!mode.equals("auto") && !mode.equals("on") && !mode.equals("force")) {
            throw new IllegalArgumentException("-Dingot.native must be auto, on, force (native wherever supported, no timing) or off, not " + mode);
        }
        try {
            NativeToolchain tc = NativeToolchain.find(NativeToolchain.defaultCacheDir());
            LOG.log(Level.DEBUG, "native kernels: " + tc.describe());
            return new NativeBackend(tc, null);
        } catch (IOException e) {
            return off(e.getMessage());
        }
    }

    private static NativeBackend off(String why) {
        LOG.log(Level.INFO, "Ingot runs on the JVM kernels only (native backend off: " + why + ")");
        return new NativeBackend(null, why);
    }

    public boolean available() { return toolchain != null; }

    /** Why the backend is off, or null. */
    public String reason() { return reason; }

    public String describe() { return available() ? "native " + toolchain.describe() : "native off (" + reason + ")"; }

    /** The native kernel for {@code dtype} with the default schedule, if this dtype has one and it builds here. */
    public Optional<NativeLinear> linear(DType dtype) {
        return NativeSource.supports(dtype) ? linear(NativeSource.of(dtype)) : Optional.empty();
    }

    public Optional<NativeLinear> linear(NativeSource src) {
        if (!available()) return Optional.empty();
        return kernels.computeIfAbsent(src, s -> {
            try {
                return Optional.of(new NativeLinear(s, toolchain.library(s)));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "native kernel " + s.symbol() + " unavailable, using the JVM kernel: " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * Native paged attention (fp32 KV, AVX-512 builds; {@code -Dingot.native.attention=off} keeps the JVM kernel),
     * falling back to {@code fallback} for shapes it does not take; empty when the backend is off or it does not build.
     * The first call's {@code fallback} is the one kept. Prefetches the next block ({@link NativeAttention#DEFAULT_PREFETCH}).
     */
    public Optional<NativeAttention> attention(dev.ingot.kernel.attention.AttentionKernel fallback) {
        return attention(fallback, NativeAttention.DEFAULT_PREFETCH);
    }

    /** The same kernel prefetching the block {@code prefetch} blocks ahead (0 = no software prefetch): one library per distance. */
    public Optional<NativeAttention> attention(dev.ingot.kernel.attention.AttentionKernel fallback, int prefetch) {
        if (!available() || !toolchain.avx512() || "off".equals(System.getProperty("ingot.native.attention"))) return Optional.empty();
        String src = NativeAttention.source(prefetch);
        return attention.computeIfAbsent(prefetch, p -> new Once<>()).get("native attention",
                () -> new NativeAttention(toolchain.library(NativeAttention.SYMBOL, src), fallback, prefetch));
    }

    /** The exact integer GEMM ({@link NativeIntGemm}, default tile), if it builds here. */
    public Optional<NativeIntGemm> intGemm() {
        if (!available()) return Optional.empty();
        return intGemm.get("native integer GEMM", () -> NativeIntGemm.load(toolchain, NativeIntGemm.MR, NativeIntGemm.NG));
    }

    /**
     * The F32 GEMM ({@link NativeSgemm}) where the compiler targets AVX-512 and {@code -Dingot.native.sgemm} is not
     * {@code off}; empty elsewhere (the JVM tiles run).
     */
    public Optional<NativeSgemm> sgemm() {
        if (!available() || !toolchain.avx512() || "off".equals(System.getProperty("ingot.native.sgemm"))) return Optional.empty();
        return sgemm.get("native F32 GEMM", () -> NativeSgemm.load(toolchain));
    }

    /** The cache flush the tuner times memory-bound shapes with ({@link CacheFlush}), if it builds here. */
    public Optional<CacheFlush> cacheFlush() {
        if (!available()) return Optional.empty();
        return flush.get("cache flush", () -> new CacheFlush(toolchain.library(CacheFlush.SYMBOL, CacheFlush.SOURCE)));
    }

    /** A native kernel built and loaded on first use, or the reason it could not be (logged once, then empty). */
    private static final class Once<T> {
        interface Load<T> {
            T load() throws IOException;
        }

        private volatile Optional<T> value;

        Optional<T> get(String what, Load<T> load) {
            Optional<T> v = value;
            if (v == null) {
                synchronized (this) {
                    if ((v = value) == null) {
                        try {
                            v = Optional.of(load.load());
                        } catch (IOException | RuntimeException e) {
                            LOG.log(Level.WARNING, what + " unavailable, using the JVM kernel: " + e.getMessage());
                            v = Optional.empty();
                        }
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
