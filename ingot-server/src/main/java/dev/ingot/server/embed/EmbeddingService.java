package dev.ingot.server.embed;

import dev.ingot.model.tokenizer.wordpiece.Encoding;
import dev.ingot.model.tokenizer.wordpiece.WordPieceTokenizer;
import dev.ingot.onnx.embed.EmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves one embedding model to many concurrent callers: requests are validated and tokenized on the caller's
 * thread ({@link #prepare}), queued ({@link #submit}), and embedded by one worker thread of this service (never the
 * LLM engine's thread) that merges whatever requests are waiting into shared forward passes. Plain data in and out;
 * no HTTP or JSON here.
 *
 * <p>Bounds: at most {@link Limits#maxQueuedInputs()} inputs are admitted (queued or being embedded) at once; a
 * request that would go past that is refused with {@link RejectedExecutionException} (the server answers 503), so a
 * flood costs memory for its token ids only. A forward pass takes at most {@link Limits#maxBatchInputs()} inputs
 * and {@link Limits#maxBatchTokens()} padded tokens (the interpreter's intermediates grow with both), and never more
 * inputs than {@link EmbeddingModel#maxBatch()} allows (the quantised models embed one text at a time).
 *
 * <p>The model is used through {@code dev.ingot.onnx.embed}'s public API only (its tokenizer and
 * {@link EmbeddingModel#forward}), the same calls {@code ingot embed} makes, so vectors equal the CLI's; how the
 * pipeline runs the graph (interpreter or compiled) is its business.
 */
public final class EmbeddingService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.ingot.server.embed");
    /** The input length bound for a tokenizer.json that does not truncate: BERT-family encoders have 512 positions. */
    static final int DEFAULT_MAX_TOKENS = 512;

    /**
     * @param maxInputsPerRequest inputs one request may carry (OpenAI: 2048)
     * @param maxQueuedInputs     inputs admitted at once, over all requests
     * @param maxBatchInputs      inputs per forward pass
     * @param maxBatchTokens      padded tokens per forward pass (inputs x longest input); one input always fits
     */
    public record Limits(int maxInputsPerRequest, int maxQueuedInputs, int maxBatchInputs, int maxBatchTokens) {
        public static final Limits DEFAULT = new Limits(2048, 8192, 32, 4096);

        public Limits {
            if (maxInputsPerRequest < 1 || maxBatchInputs < 1 || maxBatchTokens < 1) throw new IllegalArgumentException("limits must be >= 1");
            if (maxQueuedInputs < maxInputsPerRequest) throw new IllegalArgumentException("the queue must hold one full request");
        }
    }

    /** One input to embed, already tokenized and within the model's length. */
    public record Input(Encoding encoding) {}

    /** Unit vectors in input order, and the tokens they cost (OpenAI's {@code usage.prompt_tokens}). */
    public record Result(List<float[]> vectors, int promptTokens) {}

    /** A counters snapshot for metrics. */
    public record Stats(int queuedInputs, long requests, long rejected, long inputs, long tokens, long forwardPasses) {}

    private final String name;
    private final EmbeddingModel model;
    private final Limits limits;
    private final int maxTokens;
    private final int dimension;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong(), rejected = new AtomicLong(), inputs = new AtomicLong(),
            tokens = new AtomicLong(), passes = new AtomicLong();
    private final Thread worker;
    private volatile boolean closed;

    public EmbeddingService(String name, EmbeddingModel model, Limits limits) {
        this.name = name;
        this.model = model;
        this.limits = limits;
        this.maxTokens = model.tokenizer().maxLength().orElse(DEFAULT_MAX_TOKENS);
        // One pass at start: learns the vector length (for 'dimensions') and fails here, not on the first request,
        // if the model cannot run.
        this.dimension = model.embed(List.of("warm-up")).dimension();
        this.worker = Thread.ofPlatform().daemon().name("ingot-embed-" + name).start(this::work);
    }

    public String name() { return name; }

    public Limits limits() { return limits; }

    /** The longest input accepted, in tokens (specials included): the tokenizer.json's truncation length. */
    public int maxTokens() { return maxTokens; }

    /** The length of every vector. */
    public int dimension() { return dimension; }

    public Stats stats() {
        return new Stats(admitted.get(), requests.get(), rejected.get(), inputs.get(), tokens.get(), passes.get());
    }

    /** Tokenizes a text in full (special tokens added); {@link IllegalArgumentException} if empty or too long. */
    public Input text(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("an input must not be an empty string");
        return checked(model.tokenizer().encode(text, false));
    }

    /**
     * Token ids fed as given (as vLLM does: no [CLS]/[SEP] is added); {@link IllegalArgumentException} if empty,
     * too long or outside the vocabulary.
     */
    public Input tokens(int[] ids) {
        if (ids.length == 0) throw new IllegalArgumentException("an input must not be an empty list of tokens");
        WordPieceTokenizer tok = model.tokenizer();
        List<String> pieces = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= tok.vocabSize()) {
                throw new IllegalArgumentException("token " + id + " is outside the vocabulary 0.." + (tok.vocabSize() - 1));
            }
            pieces.add(tok.piece(id));
        }
        int[] ones = new int[ids.length];
        Arrays.fill(ones, 1);
        return checked(new Encoding(ids.clone(), new int[ids.length], ones, pieces));
    }

    private Input checked(Encoding e) {
        if (e.length() > maxTokens) {
            throw new IllegalArgumentException("this model's maximum input length is " + maxTokens + " tokens, however you requested "
                    + e.length() + " tokens in an input; please reduce the length of the input");
        }
        return new Input(e);
    }

    /**
     * Queues a request. Refused with {@link IllegalArgumentException} when it has no inputs or more than the
     * per-request limit, {@link RejectedExecutionException} when the queue is full, {@link IllegalStateException}
     * after {@link #close()}.
     */
    public Job submit(List<Input> request) {
        if (request.isEmpty()) throw new IllegalArgumentException("the input must not be empty");
        if (request.size() > limits.maxInputsPerRequest()) {
            throw new IllegalArgumentException("at most " + limits.maxInputsPerRequest() + " inputs per request, got " + request.size());
        }
        int n = request.size();
        int now = admitted.addAndGet(n);
        if (now > limits.maxQueuedInputs()) {
            admitted.addAndGet(-n);
            rejected.incrementAndGet();
            throw new RejectedExecutionException("the embedding queue of " + name + " is full (" + (now - n) + " inputs waiting)");
        }
        Job job = new Job(List.copyOf(request));
        synchronized (queue) { // against close(): nothing is queued after the worker's last drain
            if (closed) {
                admitted.addAndGet(-n);
                throw new IllegalStateException("the embedding service is closed");
            }
            queue.add(job);
        }
        return job;
    }

    /** A queued request: its future completes with the vectors, or with a {@link CancellationException}. */
    public final class Job {
        private final List<Input> inputs;
        private final CompletableFuture<Result> result = new CompletableFuture<>();
        private volatile boolean cancelled;
        private final float[][] vectors;
        private int done; // worker thread only

        private Job(List<Input> inputs) {
            this.inputs = inputs;
            this.vectors = new float[inputs.size()][];
        }

        /** Completes when embedded; a copy, so completing it does not touch the job. */
        public CompletableFuture<Result> result() { return result.copy(); }

        /** Drops the job's inputs that are not embedded yet (the caller left). Any thread; idempotent. */
        public void cancel() { cancelled = true; }
    }

    // ---- worker thread ----

    private void work() {
        while (!closed) {
            Job first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            List<Job> jobs = new ArrayList<>(List.of(first));
            int n = first.inputs.size();
            // Continuous batching, simply: whatever else waits joins this round while it fits one batch's inputs.
            for (Job next; n < limits.maxBatchInputs() && (next = queue.peek()) != null && n + next.inputs.size() <= limits.maxBatchInputs(); ) {
                jobs.add(queue.poll());
                n += next.inputs.size();
            }
            try {
                embed(jobs);
            } catch (RuntimeException | Error e) {
                // One poisoned pass (a model fault, out of memory) fails its requests; the service keeps serving.
                LOG.log(System.Logger.Level.ERROR, "embedding with " + name + " failed", e);
                for (Job j : jobs) finish(j, e);
            }
        }
        for (Job j; (j = queue.poll()) != null; ) finish(j, new IllegalStateException("the embedding service is closed"));
    }

    /** Embeds every input of {@code jobs} in forward passes of similar lengths (little padding). */
    private void embed(List<Job> jobs) {
        List<Job> owner = new ArrayList<>();
        List<Integer> slot = new ArrayList<>();
        for (Job j : jobs) {
            for (int i = 0; i < j.inputs.size(); i++) {
                owner.add(j);
                slot.add(i);
            }
        }
        Integer[] order = new Integer[owner.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(length(owner, slot, a), length(owner, slot, b)));
        int perPass = Math.min(limits.maxBatchInputs(), model.maxBatch());
        List<Integer> pass = new ArrayList<>();
        for (int i : order) {
            // ascending lengths: the input joining is the pass's longest, so its padded size is count x its length
            if (!pass.isEmpty() && (pass.size() == perPass || (long) (pass.size() + 1) * length(owner, slot, i) > limits.maxBatchTokens())) {
                forward(pass, owner, slot);
                pass.clear();
            }
            pass.add(i);
        }
        forward(pass, owner, slot);
        for (Job j : jobs) {
            if (j.cancelled) finish(j, new CancellationException("cancelled"));
        }
    }

    private static int length(List<Job> owner, List<Integer> slot, int i) {
        return owner.get(i).inputs.get(slot.get(i)).encoding().length();
    }

    private void forward(List<Integer> pass, List<Job> owner, List<Integer> slot) {
        List<Integer> live = pass.stream().filter(i -> !owner.get(i).cancelled).toList();
        if (live.isEmpty()) return;
        List<Encoding> batch = new ArrayList<>(live.size());
        for (int i : live) batch.add(owner.get(i).inputs.get(slot.get(i)).encoding());
        float[][] v = model.forward(model.tokenizer().padToLongest(batch));
        passes.incrementAndGet();
        for (int k = 0; k < live.size(); k++) {
            Job j = owner.get(live.get(k));
            j.vectors[slot.get(live.get(k))] = v[k];
            if (++j.done == j.inputs.size()) finish(j, null);
        }
    }

    private void finish(Job j, Throwable error) {
        if (j.result.isDone()) return;
        admitted.addAndGet(-j.inputs.size());
        if (error != null) {
            j.result.completeExceptionally(error);
            return;
        }
        int t = 0;
        for (Input in : j.inputs) t += in.encoding().realLength();
        requests.incrementAndGet();
        inputs.addAndGet(j.inputs.size());
        tokens.addAndGet(t);
        j.result.complete(new Result(Collections.unmodifiableList(Arrays.asList(j.vectors)), t));
    }

    /** Stops the worker after the pass in flight; queued requests fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
        }
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j; (j = queue.poll()) != null; ) finish(j, new IllegalStateException("the embedding service is closed"));
    }
}
