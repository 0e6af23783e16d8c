package dev.ingot.cli;

import static dev.ingot.cli.RunCommandTest.ingot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ingot.testkit.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ingot serve} flag handling and {@code ingot bench serve} end to end on stories260K. */
class ServeCommandTest {
    private static final String MODEL = SharedData.model("stories260K.gguf").toString();

    @Test
    void benchServeComparesBatchingWithOneAtATime() throws Exception {
        RunCommandTest.Result r = ingot("bench", "serve", "-m", MODEL, "--concurrency", "1,3", "--prompt-len", "8", "--gen-len", "5",
                "--requests", "3", "-t", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(r.out());
        List<String> servers = new ArrayList<>();
        for (JsonNode row : rows) {
            servers.add(row.get("server").asText() + "@" + row.get("concurrency").asInt());
            assertThat(row.get("failed").asInt()).isZero();
            assertThat(row.get("output_tokens").asInt()).isEqualTo(3 * 5); // ignore_eos: exactly gen-len each
            assertThat(row.get("ttft_p50_ms").asDouble()).isPositive();
        }
        assertThat(servers).containsExactly("continuous batching@1", "continuous batching@3",
                "one at a time (--max-seqs 1)@1", "one at a time (--max-seqs 1)@3");
    }

    @Test
    void benchServeWithASharedPrefixComparesPrefixCaching() {
        RunCommandTest.Result r = ingot("bench", "serve", "-m", MODEL, "--concurrency", "2", "--prompt-len", "4", "--gen-len", "3",
                "--requests", "4", "--shared-prefix", "64", "-t", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("prefix cache on", "prefix cache off", "after a shared prefix of 64");
    }

    @Test
    void conflictingKvFlagsAreAClearError() {
        RunCommandTest.Result r = ingot("serve", "-m", MODEL, "--kv-blocks", "8", "--kv-memory", "1G", "--port", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--kv-blocks or --kv-memory");
    }

    @Test
    void serveNeedsAGenerationOrAnEmbeddingModel() {
        RunCommandTest.Result r = ingot("serve", "--port", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("nothing to serve", "-m MODEL", "--embedding-model");
    }

    @Test
    void anUnknownEmbeddingModelIsAClearErrorBeforeAnythingListens() {
        RunCommandTest.Result r = ingot("serve", "--embedding-model", "no-such-model.onnx", "--port", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("not a known model");
    }

    @Test
    void embeddingModelIdsAreShortNamesOrFileNames() {
        assertThat(ServeCommand.embeddingName("bge-small-en-v1.5")).isEqualTo("bge-small-en-v1.5");
        assertThat(ServeCommand.embeddingName("models/e5/model.onnx")).isEqualTo("model");
        assertThat(ServeCommand.embeddingName("models/e5-small/")).isEqualTo("e5-small");
    }

    @Test
    void benchWithoutAModelSaysSo() {
        RunCommandTest.Result r = ingot("bench");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("-m MODEL");
    }

    @Test
    void kvMemorySizesParse() {
        assertThat(EngineOptions.parseSize("512M")).isEqualTo(512L << 20);
        assertThat(EngineOptions.parseSize("2G")).isEqualTo(2L << 30);
        assertThat(EngineOptions.parseSize("1.5GiB")).isEqualTo(3L << 29);
        assertThat(EngineOptions.parseSize("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> EngineOptions.parseSize("lots")).hasMessageContaining("512M");
    }
}
