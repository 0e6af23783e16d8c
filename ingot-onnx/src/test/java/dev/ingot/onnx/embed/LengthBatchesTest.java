package dev.ingot.onnx.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.model.tokenizer.wordpiece.Encoding;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {
    private static Encoding ofLength(int n) {
        return new Encoding(new int[n], new int[n], new int[n], Collections.nCopies(n, "x"));
    }

    @Test
    void groupsShortestFirstAndKeepsEveryIndexOnce() {
        List<Encoding> enc = List.of(ofLength(9), ofLength(3), ofLength(7), ofLength(1), ofLength(5));
        List<int[]> groups = EmbeddingModel.lengthBatches(enc, 2);
        assertThat(groups).hasSize(3);
        assertThat(groups.get(0)).containsExactly(3, 1);
        assertThat(groups.get(1)).containsExactly(4, 2);
        assertThat(groups.get(2)).containsExactly(0);
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> EmbeddingModel.lengthBatches(List.of(ofLength(1)), 0)).hasMessageContaining(">= 1");
    }
}
