package dev.ingot.runtime.exec;

import dev.ingot.compiler.program.Program;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tiered compilation of a runner's programs, the way the JVM tiers methods. Tier 0 is one program compiled for
 * the largest shape bucket, quickly (weights as stored, no packing): it serves every batch size, so no step ever
 * waits for a compile beyond the first. The runtime profile (steps and time per token, per bucket) finds hot
 * buckets; a hot bucket gets a tier-1 program specialised to its bounds (arena sized to it, kernels selected and
 * tuned for its token count, native kernels on packed weights), compiled on a background thread. A compiled
 * candidate runs a trial of {@link Policy#trialSteps} steps, each paired with the tier-0 step of its bucket right
 * before it (the two alternate), and replaces tier 0 for its bucket only if the median ratio is not above 1 +
 * {@link Policy#margin}; steps beside a tier-1 or JIT compile ({@link JitActivity}) are not counted. A candidate
 * that fails or is slower is never installed. An installed program whose
 * time drifts above its trial time by {@link Policy#driftMargin} (or a change in available cores) is demoted
 * to tier 0 and specialised again. Every swap happens on the engine thread between steps, and is logged and
 * counted ({@link Counts}).
 *
 * <p>The generic program: the largest bucket's tier-1 program covers every shape too. It is compiled eagerly
 * (in the background once {@link Policy#eagerAfter} steps of any bucket have run; 0 = only when hot itself) and tried on the steps of any bucket that
 * has no program of its own, each trial step paired with tier 0's time in that same bucket; once installed it
 * runs every such bucket in place of tier 0. So mixed prefill/decode steps of rare sizes do not stay on tier 0.
 *
 * <p>Confinement: everything but the compile itself runs on the engine thread (the caller of {@link #choose}).
 */
final class TieredPrograms implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TieredPrograms.class.getName());

    /**
     * Knobs, from system properties {@code ingot.tiered.*} by default. A bucket is hot after {@code hotSteps} steps
     * or {@code hotTokens} tokens, whichever comes first: a prefill bucket sees few steps but much work. Trials and
     * tier-0 baselines likewise end after {@code trialSteps} / {@code hotSteps} samples or {@code hotTokens} tokens.
     * Drift: the best time per token over a window of {@code driftWindow} steps exceeds the trial's best by
     * {@code driftMargin} (the best, not the mean: within a bucket the time per token varies with the batch's
     * token count and context lengths, while a lost core or a slower kernel raises even the best step). The first
     * {@code trialWarmup} steps a candidate runs are not counted in its trial: a candidate specialised to its bucket
     * brings generated kernels the JIT has not compiled yet, and its first steps run them interpreted or at C1.
     * A candidate rejected by at most {@code 1 + retryMargin} is kept aside and tried once more after
     * {@code retrySteps} further steps of its bucket (0: never): a few noisy steps decide a trial, and a close
     * rejection would otherwise stand for the rest of the process.
     */
    record Policy(boolean enabled, int hotSteps, int trialSteps, double margin, double driftMargin, int driftWindow,
                  int hotTokens, int eagerAfter, int trialWarmup, int retrySteps, double retryMargin) {
        Policy(boolean enabled, int hotSteps, int trialSteps, double margin, double driftMargin, int driftWindow) {
            this(enabled, hotSteps, trialSteps, margin, driftMargin, driftWindow, Integer.MAX_VALUE, 0);
        }

        Policy(boolean enabled, int hotSteps, int trialSteps, double margin, double driftMargin, int driftWindow, int hotTokens, int eagerAfter) {
            this(enabled, hotSteps, trialSteps, margin, driftMargin, driftWindow, hotTokens, eagerAfter, 0, 0, 0);
        }

        static Policy fromProperties() {
            return new Policy(!"false".equals(System.getProperty("ingot.tiered")),
                    Integer.getInteger("ingot.tiered.hot", 8), Integer.getInteger("ingot.tiered.trial", 6),
                    Double.parseDouble(System.getProperty("ingot.tiered.margin", "0.03")),
                    Double.parseDouble(System.getProperty("ingot.tiered.drift", "0.5")), 64,
                    Integer.getInteger("ingot.tiered.hotTokens", 512),
                    "false".equals(System.getProperty("ingot.tiered.eager")) ? 0 : Integer.getInteger("ingot.tiered.hot", 8),
                    Integer.getInteger("ingot.tiered.trialWarmup", 3), Integer.getInteger("ingot.tiered.retry", 512),
                    Double.parseDouble(System.getProperty("ingot.tiered.retryMargin", "0.3")));
        }
    }

    /** Compiles the program of a bucket (thread-safe; called on the background thread for tier 1). */
    interface Compiler {
        Program compile(int bucketT, int bucketL, boolean tier1);
    }

    /** Counts for {@code --stats} and {@code /metrics}. */
    record Counts(long tier1Compiles, long installs, long rejects, long failures, long drifts) {}

    /**
     * What {@link #choose} picked: run {@code program} for a step of {@code bucket}, then {@link #report} its time.
     * For a trial, {@code trialOf} is the bucket whose candidate runs: the step's own, or the largest bucket (the
     * generic candidate, tried on any bucket's steps).
     */
    record Choice(Program program, Bucket bucket, Role role, Bucket trialOf) {}

    enum Role { TIER0, TRIAL, TIER1 }

    private final Compiler compiler;
    private final Policy policy;
    private final int maxT, maxL;
    private Program tier0;
    private final Map<Long, Bucket> buckets = new HashMap<>();
    private final Bucket top;
    private final ExecutorService background;
    private final AtomicInteger running = new AtomicInteger(); // compiles queued or in flight
    private final AtomicLong tier1Compiles = new AtomicLong(), installs = new AtomicLong(), rejects = new AtomicLong(),
            failures = new AtomicLong(), drifts = new AtomicLong();
    private int cores = Runtime.getRuntime().availableProcessors();
    private long steps;
    private final JitActivity jit;

    TieredPrograms(Compiler compiler, Policy policy, int maxT, int maxL) {
        this(compiler, policy, maxT, maxL, new JitActivity());
    }

    /** @param jit tells steps beside a JIT compile apart ({@link JitActivity#none()}: every step counts) */
    TieredPrograms(Compiler compiler, Policy policy, int maxT, int maxL, JitActivity jit) {
        this.jit = jit;
        this.compiler = compiler;
        this.policy = policy;
        this.maxT = maxT;
        this.maxL = maxL;
        this.top = bucket(maxT, maxL);
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
        long seen, seenTokens;
        double pairBase = Double.NaN;               // the last clean tier-0 step's ns per token, not yet paired with a trial step
        int tier0N;
        long tier0Tokens, trialTokens;
        CompletableFuture<Program> compiling;
        Program candidate, installed;
        final double[] trial = new double[64];     // candidate time / baseline time, per trial step
        int trialN, trialSkipped;
        double expected = Double.NaN, trialBest, windowMin = Double.MAX_VALUE; // best ns/token: own trial steps, drift window
        int sinceInstall;
        boolean done;                               // installed or rejected: no further compiles until a demotion
        Program parked;                             // a closely rejected candidate, tried again at seen == retryAt
        long retryAt;
        boolean retried;

        Bucket(int t, int l) { this.t = t; this.l = l; }

        void resetBaseline() {
            tier0N = 0;
            tier0Tokens = 0;
        }
    }

    private Bucket bucket(int t, int l) { return buckets.computeIfAbsent(((long) t << 32) | l, k -> new Bucket(t, l)); }

    Choice choose(int bucketT, int bucketL) { return choose(bucketT, bucketL, 1); }

    /** The program to run a step of {@code tokens} tokens in bucket (bucketT, bucketL) with; then {@link #report}. */
    Choice choose(int bucketT, int bucketL, int tokens) {
        jit.stepStarts();
        Program generic = generic();
        if (!policy.enabled()) return new Choice(generic, null, Role.TIER0, null);
        if (++steps % 256 == 0) checkCores();
        Bucket b = bucket(bucketT, bucketL);
        b.seen++;
        b.seenTokens += tokens;
        if (b.installed != null) return new Choice(b.installed, b, Role.TIER1, null);
        if (b.parked != null && b.seen >= b.retryAt) { // its second trial
            startTrial(b, b.parked);
            b.parked = null;
        }
        collect(b);
        collect(top);
        boolean baselineDone = b.tier0N >= policy.hotSteps() || (b.tier0N >= 2 && b.tier0Tokens >= policy.hotTokens());
        Bucket trialOf = b.candidate != null && baselineDone ? b : top.candidate != null && b.tier0N >= 1 ? top : null;
        // a counted trial step runs right after a tier-0 step of its bucket, and is judged against it (see report)
        if (trialOf != null && (trialOf.trialSkipped < policy.trialWarmup() || !Double.isNaN(b.pairBase))) {
            return new Choice(trialOf.candidate, b, Role.TRIAL, trialOf);
        }
        if (b.seen >= policy.hotSteps() || b.seenTokens >= policy.hotTokens()) specialise(b);
        if (policy.eagerAfter() > 0 && steps >= policy.eagerAfter()) specialise(top); // not for a few-step run: its exit would wait for the compile
        return new Choice(generic, b, Role.TIER0, null);
    }

    /** What runs a bucket without a tier-1 program: the largest bucket's tier 1 once installed, else tier 0. */
    private Program generic() { return top.installed != null ? top.installed : tier0(); }

    private void specialise(Bucket b) {
        if (b.done || b.compiling != null || b.candidate != null || b.installed != null) return;
        tier1Compiles.incrementAndGet();
        running.incrementAndGet();
        b.compiling = CompletableFuture.supplyAsync(() -> {
            try {
                return compiler.compile(b.t, b.l, true);
            } finally {
                running.decrementAndGet();
            }
        }, background);
    }

    /** A finished compile becomes the bucket's candidate (or a rejection, if it failed). */
    private void collect(Bucket b) {
        if (b.candidate != null || b.compiling == null || !b.compiling.isDone()) return;
        try {
            startTrial(b, b.compiling.join());
        } catch (RuntimeException e) {
            reject(b, "compile failed: " + e);
            failures.incrementAndGet();
        }
        b.compiling = null;
    }

    /**
     * {@code candidate} becomes b's candidate, its trial counts from zero, after fresh tier-0 steps of the bucket
     * (each counted trial step is then paired with the tier-0 step right before it, see {@link #report}).
     */
    private void startTrial(Bucket b, Program candidate) {
        b.candidate = candidate;
        b.pairBase = Double.NaN;
        b.trialN = 0;
        b.trialSkipped = 0;
        b.trialTokens = 0;
        b.trialBest = Double.MAX_VALUE;
        if (b == top) resetBaselines();
        else b.resetBaseline();
    }

    /**
     * Time of the step run with {@code c}, for {@code tokens} tokens. A counted trial step is judged against the
     * tier-0 step of its bucket just before it (candidate and tier 0 alternate): two adjacent steps see the same
     * contexts, batch mix and host speed, while a baseline taken before the trial had drifted by up to 1.4x in a
     * server under load, which rejected faster candidates for the rest of the run.
     */
    void report(Choice c, long nanos, int tokens) {
        Bucket b = c.bucket();
        jit.stepEnded();
        if (b == null) return;
        double perToken = (double) nanos / Math.max(1, tokens);
        // a tier-1 compile, or the JIT compiling, beside the step takes a core and inflates its time: not a fair sample
        boolean clean = running.get() == 0 && jit.quiet();
        switch (c.role()) {
            case TIER0 -> {
                b.pairBase = clean ? perToken : Double.NaN;
                if (clean) {
                    b.tier0N++;
                    b.tier0Tokens += tokens;
                }
            }
            case TRIAL -> {
                Bucket o = c.trialOf();
                if (o.candidate != c.program()) return; // decided meanwhile
                double base = b.pairBase;
                b.pairBase = Double.NaN; // the next counted trial step waits for a fresh tier-0 step
                if (o.trialSkipped < policy.trialWarmup()) { // the candidate's JIT warm-up
                    o.trialSkipped++;
                    return;
                }
                if (!clean || Double.isNaN(base)) return;
                o.trial[o.trialN++] = perToken / base;
                o.trialTokens += tokens;
                if (o == b) o.trialBest = Math.min(o.trialBest, perToken);
                if (o.trialN >= Math.min(policy.trialSteps(), o.trial.length) || (o.trialN >= 2 && o.trialTokens >= policy.hotTokens())) decide(o);
            }
            case TIER1 -> {
                b.windowMin = Math.min(b.windowMin, perToken);
                if (++b.sinceInstall % policy.driftWindow() != 0) return;
                if (Double.isNaN(b.expected)) {
                    b.expected = b.windowMin; // installed on other buckets' trials: its own first window is the reference
                } else if (b.windowMin > b.expected * (1 + policy.driftMargin())) {
                    drifts.incrementAndGet();
                    demote(b, String.format("drifted: best %.0f ns/token over %d steps, expected %.0f", b.windowMin, policy.driftWindow(), b.expected));
                }
                b.windowMin = Double.MAX_VALUE;
            }
        }
    }

    /** The step run with {@code c} threw: a candidate is dropped, an installed program demoted; tier 0 reruns the step. */
    void failed(Choice c, Throwable e) {
        Bucket b = c.bucket();
        if (b == null) return;
        switch (c.role()) {
            case TIER0 -> { // the generic program standing in for tier 0 failed
                if (top.installed == c.program()) {
                    failures.incrementAndGet();
                    demote(top, "step failed: " + e);
                }
            }
            case TRIAL -> {
                failures.incrementAndGet();
                if (c.trialOf().candidate == c.program()) reject(c.trialOf(), "trial step failed: " + e);
            }
            case TIER1 -> {
                failures.incrementAndGet();
                demote(b, "step failed: " + e);
            }
        }
    }

    private void decide(Bucket b) {
        double ratio = median(b.trial, b.trialN);
        String what = b == top ? "T<=" + b.t + " L<=" + b.l + " (generic)" : "T<=" + b.t + " L<=" + b.l;
        if (ratio <= 1 + policy.margin()) {
            b.installed = b.candidate;
            b.expected = b.trialBest == Double.MAX_VALUE ? Double.NaN : b.trialBest;
            b.sinceInstall = 0;
            b.windowMin = Double.MAX_VALUE;
            installs.incrementAndGet();
            LOG.log(Level.INFO, () -> String.format("tier 1 installed for %s: %.2fx the time per token of what ran before", what, ratio));
            if (b == top) resetBaselines();
        } else {
            rejects.incrementAndGet();
            boolean retry = b != top && !b.retried && policy.retrySteps() > 0 && ratio <= 1 + policy.retryMargin();
            LOG.log(Level.INFO, () -> String.format("tier 1 rejected for %s: %.2fx the time per token of what ran before%s", what, ratio,
                    retry ? " (tried again after " + policy.retrySteps() + " steps)" : ""));
            if (retry) {
                b.retried = true;
                b.parked = b.candidate;
                b.retryAt = b.seen + policy.retrySteps();
            }
        }
        b.candidate = null;
        b.done = true;
    }

    /** The generic program changed: every bucket's baseline must be measured again. */
    private void resetBaselines() {
        for (Bucket x : buckets.values()) x.resetBaseline();
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
        b.parked = null;
        b.retried = false;
        b.done = false;
        b.seen = 0;
        b.seenTokens = 0;
        b.tier0N = 0;
        b.tier0Tokens = 0;
        b.expected = Double.NaN;
        if (b == top) resetBaselines();
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
