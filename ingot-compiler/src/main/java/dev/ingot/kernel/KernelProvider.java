package dev.ingot.kernel;

import dev.ingot.kernel.attention.AttentionKernel;
import dev.ingot.kernel.attention.ScalarAttention;
import dev.ingot.kernel.attention.VectorAttention;
import dev.ingot.kernel.elementwise.Elementwise;
import dev.ingot.kernel.elementwise.ScalarElementwise;
import dev.ingot.kernel.elementwise.VectorElementwise;
import dev.ingot.kernel.linear.BF16Linear;
import dev.ingot.kernel.linear.F16Linear;
import dev.ingot.kernel.linear.F32Linear;
import dev.ingot.kernel.linear.LinearKernel;
import dev.ingot.kernel.linear.Q4_0Linear;
import dev.ingot.kernel.linear.Q4_KLinear;
import dev.ingot.kernel.linear.Q6_KLinear;
import dev.ingot.kernel.linear.Q8_0Linear;
import dev.ingot.kernel.linear.ScalarLinear;
import dev.ingot.tensor.DType;
import java.lang.System.Logger.Level;

/**
 * The one place that chooses SIMD or scalar kernels. SIMD needs the {@code jdk.incubator.vector} module in
 * the boot layer ({@code --add-modules jdk.incubator.vector}) and a preferred vector shape of 256 or 512
 * bits ({@link Simd#unsupportedReason()}); {@code -Dingot.kernels=scalar} forces the scalar twins. The
 * reason for a fallback is logged once, with the flag that changes it.
 */
public final class KernelProvider {
    private static final System.Logger LOG = System.getLogger(KernelProvider.class.getName());
    private static volatile KernelProvider instance;

    private final boolean simd;
    private final String reason;

    private KernelProvider(boolean simd, String reason) {
        this.simd = simd;
        this.reason = reason;
    }

    /** The provider for this JVM, decided on first use from the module layer, the CPU and {@code ingot.kernels}. */
    public static KernelProvider get() {
        KernelProvider p = instance;
        if (p == null) {
            synchronized (KernelProvider.class) {
                if ((p = instance) == null) instance = p = detect(System.getProperty("ingot.kernels", "auto"));
            }
        }
        return p;
    }

    static KernelProvider detect(String mode) {
        if (mode.equals("scalar")) return scalar("forced by -Dingot.kernels=scalar");
        if (!mode.equals("auto") && !mode.equals("simd")) {
            throw new IllegalArgumentException("-Dingot.kernels must be auto, simd or scalar, not " + mode);
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return scalar("module jdk.incubator.vector is not loaded; start the JVM with --add-modules jdk.incubator.vector");
        }
        String why = Simd.unsupportedReason();
        if (why != null) return scalar(why);
        LOG.log(Level.DEBUG, "SIMD kernels: " + Simd.F + " (" + Simd.L + " float lanes)");
        return new KernelProvider(true, null);
    }

    private static KernelProvider scalar(String why) {
        LOG.log(Level.WARNING, "Ingot kernels fall back to scalar code (several times slower): " + why);
        return new KernelProvider(false, why);
    }

    public boolean simd() { return simd; }

    /** Why the scalar kernels were chosen, or null when SIMD is in use. */
    public String fallbackReason() { return reason; }

    /** Human-readable summary for {@code ingot bench} and logs. */
    public String describe() {
        return simd ? "SIMD " + Simd.F.vectorBitSize() + "-bit (" + Simd.L + " float lanes)" : "scalar (" + reason + ")";
    }

    public LinearKernel linear(DType t) {
        if (!simd) return new ScalarLinear(t);
        return switch (t) {
            case F32 -> new F32Linear();
            case F16 -> new F16Linear();
            case BF16 -> new BF16Linear();
            case Q8_0 -> new Q8_0Linear();
            case Q4_0 -> new Q4_0Linear();
            case Q4_K -> new Q4_KLinear();
            case Q6_K -> new Q6_KLinear();
            default -> throw new IllegalArgumentException("no linear kernel for " + t);
        };
    }

    public Elementwise elementwise() { return simd ? new VectorElementwise() : new ScalarElementwise(); }

    public AttentionKernel attention() { return simd ? new VectorAttention() : new ScalarAttention(); }
}
