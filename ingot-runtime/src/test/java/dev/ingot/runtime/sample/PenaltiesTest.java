package dev.ingot.runtime.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PenaltiesTest {
    private static final float[] LOGITS = {2.0f, -1.0f, 0.5f, 3.0f, -2.0f, 0.0f, 1.0f, -0.5f};

    @Test
    void presenceAndFrequencyFollowOpenAiFormula() {
        SamplingParams p = SamplingParams.builder().presencePenalty(0.5).frequencyPenalty(0.3).build();
        float[] w = LOGITS.clone();
        Penalties.apply(w, new int[] {3, 3, 5, 7, 3}, 5, p);
        // logit - presence * [count > 0] - frequency * count
        assertThat(w[3]).isCloseTo(3.0f - 0.5f - 3 * 0.3f, within(1e-6f));
        assertThat(w[5]).isCloseTo(0.0f - 0.5f - 0.3f, within(1e-6f));
        assertThat(w[7]).isCloseTo(-0.5f - 0.5f - 0.3f, within(1e-6f));
        for (int id : new int[] {0, 1, 2, 4, 6}) assertThat(w[id]).as("untouched id %d", id).isEqualTo(LOGITS[id]);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeOncePerToken() {
        SamplingParams p = SamplingParams.builder().repetitionPenalty(1.25).build();
        float[] w = LOGITS.clone();
        Penalties.apply(w, new int[] {0, 0, 0, 1, 5}, 5, p);
        assertThat(w[0]).isCloseTo(2.0f / 1.25f, within(1e-6f));   // positive: divided, not per occurrence
        assertThat(w[1]).isCloseTo(-1.0f * 1.25f, within(1e-6f));  // negative: multiplied
        assertThat(w[5]).isZero();
        assertThat(w[3]).isEqualTo(3.0f);
    }

    @Test
    void repetitionGoesBeforeFrequency() {
        SamplingParams p = SamplingParams.builder().repetitionPenalty(2).frequencyPenalty(1).build();
        float[] w = LOGITS.clone();
        Penalties.apply(w, new int[] {3, 3}, 2, p);
        assertThat(w[3]).isCloseTo(3.0f / 2 - 2, within(1e-6f));
    }

    @Test
    void windowCountsOnlyTheMostRecentTokens() {
        SamplingParams p = SamplingParams.builder().frequencyPenalty(1).penaltyWindow(2).build();
        float[] w = LOGITS.clone();
        Penalties.apply(w, new int[] {0, 0, 0, 6, 2, 99}, 5, p); // history[5] is beyond length: ignored
        assertThat(w[0]).isEqualTo(2.0f);
        assertThat(w[6]).isCloseTo(0.0f, within(1e-6f));
        assertThat(w[2]).isCloseTo(-0.5f, within(1e-6f));
    }

    @Test
    void tokenOutsideVocabularyIsAClearError() {
        SamplingParams p = SamplingParams.builder().presencePenalty(1).build();
        assertThatThrownBy(() -> Penalties.apply(LOGITS.clone(), new int[] {8}, 1, p))
                .hasMessageContaining("history token 8 is outside the vocabulary [0, 8)");
    }

    @Test
    void penaltyCanChangeTheGreedyChoice() {
        SamplingParams p = SamplingParams.builder().presencePenalty(2).build();
        int[] history = {3};
        assertThat(new Sampler(SamplingParams.greedy()).sample(LOGITS, history, 1).token()).isEqualTo(3);
        assertThat(new Sampler(p).sample(LOGITS, history, 1).token()).isEqualTo(0);
    }
}
