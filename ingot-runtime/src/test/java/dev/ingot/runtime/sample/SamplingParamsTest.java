package dev.ingot.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    @Test
    void defaultsAreGreedyWithoutPenalties() {
        SamplingParams p = SamplingParams.greedy();
        assertThat(p.isGreedy()).isTrue();
        assertThat(p.hasPenalties()).isFalse();
        assertThat(p.topP()).isEqualTo(1);
        assertThat(p.seed()).isEmpty();
    }

    @Test
    void invalidValuesAreRejectedWithTheParameterNameAndValue() {
        assertRejected(SamplingParams.builder().temperature(-0.5), "temperature", "-0.5");
        assertRejected(SamplingParams.builder().temperature(Double.NaN), "temperature", "NaN");
        assertRejected(SamplingParams.builder().topP(0), "top_p must be in (0, 1]", "0.0");
        assertRejected(SamplingParams.builder().topP(1.5), "top_p", "1.5");
        assertRejected(SamplingParams.builder().topK(-2), "top_k", "-2");
        assertRejected(SamplingParams.builder().minP(1.1), "min_p", "1.1");
        assertRejected(SamplingParams.builder().repetitionPenalty(0), "repetition_penalty", "0.0");
        assertRejected(SamplingParams.builder().presencePenalty(2.5), "presence_penalty", "2.5");
        assertRejected(SamplingParams.builder().frequencyPenalty(-3), "frequency_penalty", "-3.0");
        assertRejected(SamplingParams.builder().penaltyWindow(-2), "penalty window", "-2");
        assertRejected(SamplingParams.builder().topLogprobs(21), "top_logprobs", "21");
        assertRejected(SamplingParams.builder().maxTokens(0), "max_tokens", "0");
        assertRejected(SamplingParams.builder().stop("ok", ""), "stop strings must not be empty", "");
        assertRejected(SamplingParams.builder().stopTokenIds(Set.of(-1)), "stop_token_ids", "-1");
    }

    @Test
    void topLogprobsWithoutLogprobsIsRejected() {
        assertThatThrownBy(() -> new SamplingParams(1, 0, 1, 0, 1, -1, 0, 0, java.util.OptionalLong.empty(),
                false, 3, List.of(), Set.of(), 10, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("top_logprobs needs logprobs");
    }

    @Test
    void vllmStyleDisabledTopKIsNormalisedAndTinyTemperatureIsGreedy() {
        SamplingParams p = SamplingParams.builder().topK(-1).temperature(1e-7).build();
        assertThat(p.topK()).isZero();
        assertThat(p.isGreedy()).isTrue();
        assertThat(p.toBuilder().temperature(0.8).build().isGreedy()).isFalse();
    }

    @Test
    void stopListsAreCopiedDefensively() {
        List<String> stops = new java.util.ArrayList<>(List.of("a"));
        SamplingParams p = SamplingParams.builder().stop(stops).build();
        stops.add("b");
        assertThat(p.stop()).containsExactly("a");
    }

    private static void assertRejected(SamplingParams.Builder b, String name, String value) {
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name).hasMessageContaining(value);
    }
}
