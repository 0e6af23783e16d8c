package dev.ingot.runtime.exec;

import dev.ingot.compiler.program.Program;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tiered compilation of a runner's programs, the way the JVM tiers methods. Tier 0 is one program compiled for
 * the largest shape bucket, quickly (weights as stored, no packing): it serves every batch size, so no step ever
 * waits for a compile beyond the first. The runtime profile (steps and time per token, per bucket) finds hot
 * buckets; a hot bucket gets a tier-1 program specialised to its bounds (arena sized to it, kernels selected and
 * tuned for its token count, native kernels on packed weights), compiled on a background thread. A compiled candidate runs a trial of {@link Policy#trialSteps} steps and
 * replaces tier 0 for its bucket only if it is not slower than tier 0's measured time there (beyond
 * {@link Policy#margin}); a candidate that fails or is slower is never installed. An installed program whose
 * time drifts above its trial time by {@link Policy#driftMargin} (or a change in available cores) is demoted
 * to tier 0 and specialised again. Every swap happens on the engine thread between steps, and is logged and
 * counted ({@link Counts}).
 *
 * <p>Confinement: everything but the compile itself runs on the engine thread (the caller of {@link #choose}).
 */
final class TieredPrograms implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TieredPrograms.class.getName());

    /** Knobs, from system properties {@code ingot.tiered.*} by default. */
    record Policy(boolean enabled, int hotSteps, int trialSteps, double margin, double driftMargin, int driftWindow) {
        static Policy fromProperties() {
            return new Policy(!"false".equals(System.getProperty("ingot.tiered")),
                    Integer.getInteger("ingot.tiered.hot", 8), Integer.getInteger("ingot.tiered.trial", 6),
                    Double.parseDouble(System.getProperty("ingot.tiered.margin", "0.03")),
                    Double.parseDouble(System.getProperty("ingot.tiered.drift", "1.0")), 64);
        }
    }

    /** Compiles the program of a bucket (thread-safe; called on the background thread for tier 1). */
    interface Compiler {
        Program compile(int bucketT, int bucketL, boolean tier1);
    }

    /** Counts for {@code --stats} and {@code /metrics}. */
    record Counts(long tier1Compiles, long installs, long rejects, long failures, long drifts) {}

    /** What {@link #choose} picked: run {@code program}, then {@link #report} its time. */
    record Choice(Program program, Bucket bucket, Role role) {}

    enum Role { TIER0, TRIAL, TIER1 }

    private final Compiler compiler;
    private final Policy policy;
    private final int maxT, maxL;
    private Program tier0;
    private final Map<Long, Bucket> buckets = new HashMap<>();
    private final ExecutorService background;
    private final AtomicLong tier1Compiles = new AtomicLong(), installs = new AtomicLong(), rejects = new AtomicLong(),
            failures = new AtomicLong(), drifts = new AtomicLong();
    private int cores = Runtime.getRuntime().availableProcessors();
    private long steps;

    TieredPrograms(Compiler compiler, Policy policy, int maxT, int maxL) {
        this.compiler = compiler;
        this.policy = policy;
        this.maxT = maxT;
        this.maxL = maxL;
        this.background = policy.enabled() ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingot-tier1-compiler");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        }) : null;
    }

    /** Tier 0, compiled on first use. */
    Program tier0() {
        if (tier0 == null) tier0 = compiler.compile(maxT, maxL, false);
        return tier0;
    }

    final class Bucket {
        final int t, l;
        long seen;
        final double[] tier0Ns = new double[16];   // ring of tier-0 ns per token
        int tier0N;
        CompletableFuture<Program> compiling;
        Program candidate, installed;
        final double[] trial = new double[64];
        int trialN;
        double expected, ewma;
        int sinceInstall;
        boolean done;                               // installed or rejected: no further compiles until a demotion

        Bucket(int t, int l) { this.t = t; this.l = l; }
    }

    Choice choose(int bucketT, int bucketL) {
        Program t0 = tier0();
        if (!policy.enabled()) return new Choice(t0, null, Role.TIER0);
        if (++steps % 256 == 0) checkCores();
        Bucket b = buckets.computeIfAbsent(((long) bucketT << 32) | bucketL, k -> new Bucket(bucketT, bucketL));
        b.seen++;
        if (b.installed != null) return new Choice(b.installed, b, Role.TIER1);
        if (b.candidate == null && b.compiling != null && b.compiling.isDone()) {
            try {
                b.candidate = b.compiling.join();
                b.trialN = 0;
            } catch (RuntimeException e) {
                reject(b, "compile failed: " + e);
                failures.incrementAndGet();
            }
            b.compiling = null;
        }
        if (b.candidate != null && b.tier0N >= Math.min(policy.hotSteps(), b.tier0Ns.length)) return new Choice(b.candidate, b, Role.TRIAL);
        if (!b.done && b.compiling == null && b.candidate == null && b.seen >= policy.hotSteps()) {
            tier1Compiles.incrementAndGet();
            b.compiling = CompletableFuture.supplyAsync(() -> compiler.compile(bucketT, bucketL, true), background);
        }
        return new Choice(t0, b, Role.TIER0);
    }

    /** Time of the step run with {@code c}, for {@code tokens} tokens. */
    void report(Choice c, long nanos, int tokens) {
        Bucket b = c.bucket();
        if (b == null) return;
        double perToken = (double) nanos / Math.max(1, tokens);
        switch (c.role()) {
            case TIER0 -> { // a compile running beside the step would inflate tier 0's time: not a fair baseline
                if (b.compiling == null) b.tier0Ns[b.tier0N++ % b.tier0Ns.length] = perToken;
            }
            case TRIAL -> {
                b.trial[b.trialN++] = perToken;
                if (b.trialN >= policy.trialSteps()) decide(b);
            }
            case TIER1 -> {
                b.ewma = b.sinceInstall++ == 0 ? perToken : 0.9 * b.ewma + 0.1 * perToken;
                if (b.sinceInstall >= policy.driftWindow() && b.ewma > b.expected * (1 + policy.driftMargin())) {
                    drifts.incrementAndGet();
                    demote(b, String.format("drifted to %.0f ns/token, expected %.0f", b.ewma, b.expected));
                }
            }
        }
    }

    /** The step run with {@code c} threw: a candidate is dropped, an installed program demoted; tier 0 reruns the step. */
    void failed(Choice c, Throwable e) {
        Bucket b = c.bucket();
        if (b == null || c.role() == Role.TIER0) return;
        failures.incrementAndGet();
        if (c.role() == Role.TRIAL) reject(b, "trial step failed: " + e);
        else demote(b, "step failed: " + e);
    }

    private void decide(Bucket b) {
        double cand = median(b.trial, b.trialN), base = median(b.tier0Ns, Math.min(b.tier0N, b.tier0Ns.length));
        if (cand <= base * (1 + policy.margin())) {
            b.installed = b.candidate;
            b.expected = cand;
            b.sinceInstall = 0;
            installs.incrementAndGet();
            LOG.log(Level.INFO, () -> String.format("tier 1 installed for T<=%d L<=%d: %.0f ns/token vs tier 0 %.0f", b.t, b.l, cand, base));
        } else {
            rejects.incrementAndGet();
            LOG.log(Level.INFO, () -> String.format("tier 1 rejected for T<=%d L<=%d: %.0f ns/token vs tier 0 %.0f", b.t, b.l, cand, base));
        }
        b.candidate = null;
        b.done = true;
    }

    private void reject(Bucket b, String why) {
        rejects.incrementAndGet();
        LOG.log(Level.WARNING, "tier 1 rejected for T<=" + b.t + " L<=" + b.l + ": " + why);
        b.candidate = null;
        b.done = true;
    }

    private void demote(Bucket b, String why) {
        LOG.log(Level.INFO, "tier 1 demoted for T<=" + b.t + " L<=" + b.l + ": " + why + "; specialising again");
        b.installed = null;
        b.done = false;
        b.seen = 0;
        b.tier0N = 0;
    }

    private void checkCores() {
        int now = Runtime.getRuntime().availableProcessors();
        if (now == cores) return;
        LOG.log(Level.INFO, "available cores changed " + cores + " -> " + now + ": re-specialising every bucket");
        cores = now;
        for (Bucket b : buckets.values()) {
            if (b.installed != null) {
                drifts.incrementAndGet();
                demote(b, "core count changed");
            }
        }
    }

    /** True when the bucket has been specialised: its tier-1 candidate installed or rejected. */
    boolean specialised(int bucketT, int bucketL) {
        Bucket b = buckets.get(((long) bucketT << 32) | bucketL);
        return b != null && b.done && b.compiling == null && b.candidate == null;
    }

    int programs() {
        int n = tier0 == null ? 0 : 1;
        for (Bucket b : buckets.values()) if (b.installed != null) n++;
        return n;
    }

    Counts counts() { return new Counts(tier1Compiles.get(), installs.get(), rejects.get(), failures.get(), drifts.get()); }

    static double median(double[] v, int n) {
        if (n == 0) return Double.MAX_VALUE;
        double[] s = Arrays.copyOf(v, n);
        Arrays.sort(s);
        return s[n / 2];
    }

    /** Stops specialising and waits for a compile in flight to end: its program may read the model's weights. */
    @Override
    public void close() {
        if (background == null) return;
        background.shutdownNow();
        try {
            if (!background.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "a tier-1 compile did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
