package dev.ingot.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {
    @TempDir Path dir;

    @Test
    void localPathStaysAPathAndMissingOneIsAClearError() throws IOException {
        ModelResolver resolver = new ModelResolver(new HubClient(HubConfig.fromEnvironment(java.util.Map.of(), dir)),
                DownloadListener.NONE);
        Path model = Files.writeString(dir.resolve("m.gguf"), "GGUF");
        assertThat(resolver.resolve(model.toString())).isEqualTo(model);
        assertThatThrownBy(() -> resolver.resolve(dir.resolve("nope.gguf").toString()))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("model file not found: " + dir.resolve("nope.gguf"))
                .hasMessageContaining("hf://OWNER/REPO/FILE.gguf");
        assertThatThrownBy(() -> resolver.resolve("s3://bucket/m.gguf"))
                .hasMessageContaining("unsupported model reference 's3://bucket/m.gguf'");
    }

    @Test
    void hfReferenceIsPulledOnceThenServedFromTheCache() throws IOException {
        try (FakeHub hub = new FakeHub("tiny model bytes".getBytes())) {
            HubClient client = new HubClient(new HubConfig(hub.endpoint(), Optional.empty(), dir.resolve("models"),
                    Duration.ofSeconds(5), 0, Duration.ZERO));
            ModelResolver resolver = new ModelResolver(client, DownloadListener.NONE);
            Path first = resolver.resolve("hf://o/r/model.gguf");
            Path second = resolver.resolve("hf://o/r/model.gguf");
            assertThat(first).isEqualTo(second).hasContent("tiny model bytes");
            assertThat(hub.requests).hasSize(1);
        }
    }
}
