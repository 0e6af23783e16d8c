package dev.ingot.cli;

import dev.ingot.runtime.sample.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Sampler flags shared by commands that generate (llama.cpp's names and defaults). */
final class SamplingOptions {
    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", description = "tokens to generate (default: ${DEFAULT-VALUE})")
    int maxTokens = 256;

    @Option(names = "--temp", paramLabel = "T", description = "temperature; 0 = greedy (default: ${DEFAULT-VALUE})")
    double temperature = 0.8;

    @Option(names = "--top-k", paramLabel = "K", description = "top-k; 0 = off (default: ${DEFAULT-VALUE})")
    int topK = 40;

    @Option(names = "--top-p", paramLabel = "P", description = "top-p; 1 = off (default: ${DEFAULT-VALUE})")
    double topP = 0.95;

    @Option(names = "--min-p", paramLabel = "P", description = "min-p; 0 = off (default: ${DEFAULT-VALUE})")
    double minP = 0.05;

    @Option(names = "--repeat-penalty", paramLabel = "X", description = "repetition penalty; 1 = off (default: ${DEFAULT-VALUE})")
    double repeatPenalty = 1.0;

    @Option(names = "--repeat-last-n", paramLabel = "N", description = "tokens the repetition penalty looks back (default: ${DEFAULT-VALUE})")
    int repeatLastN = 64;

    @Option(names = "--presence-penalty", paramLabel = "X", description = "OpenAI presence penalty (default: ${DEFAULT-VALUE})")
    double presencePenalty = 0;

    @Option(names = "--frequency-penalty", paramLabel = "X", description = "OpenAI frequency penalty (default: ${DEFAULT-VALUE})")
    double frequencyPenalty = 0;

    @Option(names = {"-s", "--seed"}, paramLabel = "S", description = "random seed (default: random)")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "stop when this text is generated (repeatable)")
    List<String> stop = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "keep generating past end-of-generation tokens")
    boolean ignoreEos;

    /** The validated sampling parameters; invalid values fail with the sampler's message. */
    SamplingParams toParams() {
        SamplingParams.Builder b = SamplingParams.builder().temperature(temperature).topK(topK).topP(topP).minP(minP)
                .repetitionPenalty(repeatPenalty).penaltyWindow(repeatLastN).presencePenalty(presencePenalty)
                .frequencyPenalty(frequencyPenalty).stop(stop).maxTokens(maxTokens).ignoreEos(ignoreEos);
        if (seed != null) b.seed(seed);
        return b.build();
    }
}
