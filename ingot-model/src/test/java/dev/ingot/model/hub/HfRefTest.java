package dev.ingot.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HfRefTest {
    private static final URI HF = URI.create("https://huggingface.co");

    @Test
    void parsesFileNestedPathAndBothRevisionPositions() {
        assertThat(HfRef.parse("hf://Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf"))
                .isEqualTo(new HfRef("Qwen", "Qwen2.5-0.5B-Instruct-GGUF", "main", "qwen2.5-0.5b-instruct-q8_0.gguf"));
        assertThat(HfRef.parse("hf://o/r/a/b/c.gguf")).isEqualTo(new HfRef("o", "r", "main", "a/b/c.gguf"));
        assertThat(HfRef.parse("hf://o/r@v1.0/a/c.gguf")).isEqualTo(new HfRef("o", "r", "v1.0", "a/c.gguf"));
        assertThat(HfRef.parse("hf://o/r/a/c.gguf@refs/pr/1")).isEqualTo(new HfRef("o", "r", "refs/pr/1", "a/c.gguf"));
    }

    @Test
    void urlEncodesRevisionAndPathSegmentsLikeHuggingfaceHub() {
        assertThat(HfRef.parse("hf://o/r/dir/my file.gguf@refs/pr/1").url(URI.create("https://mirror.example/")))
                .hasToString("https://mirror.example/o/r/resolve/refs%2Fpr%2F1/dir/my%20file.gguf");
        assertThat(HfRef.parse("hf://o/r/m.gguf").url(HF)).hasToString("https://huggingface.co/o/r/resolve/main/m.gguf");
    }

    @Test
    void canonicalFormRoundTrips() {
        for (String s : new String[] {"hf://o/r/m.gguf", "hf://o/r/a/m.gguf@dev", "hf://o/r/m.gguf@refs/pr/12"}) {
            assertThat(HfRef.parse(s)).hasToString(s);
            assertThat(HfRef.parse(HfRef.parse(s).toString())).isEqualTo(HfRef.parse(s));
        }
    }

    @Test
    void rejectsIncompleteAndPathEscapingReferences() {
        assertBad("hf://o/r", "expected hf://OWNER/REPO/FILE");
        assertBad("hf://o/r/", "expected hf://OWNER/REPO/FILE");
        assertBad("hf://o/r/../../etc/passwd", "invalid file path");
        assertBad("hf://o/r/a//b.gguf", "invalid file path");
        assertBad("hf://o/r/m.gguf@..", "invalid revision");
        assertBad("hf://o/r/m.gguf@", "empty revision");
        assertBad("hf://o/r@v1/m.gguf@v2", "two revisions");
        assertBad("hf://../r/m.gguf", "invalid owner");
        assertBad("https://o/r/m.gguf", "starts with hf://");
    }

    private static void assertBad(String ref, String why) {
        assertThatThrownBy(() -> HfRef.parse(ref)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ref.length() > 12 ? "bad model reference" : "").hasMessageContaining(why);
    }

    @Test
    void cachePathsAndListingRoundTrip(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ModelCache cache = new ModelCache(dir);
        HfRef a = HfRef.parse("hf://o/r/a/m.gguf@refs/pr/3"), b = HfRef.parse("hf://o/r/m.gguf");
        for (HfRef ref : new HfRef[] {a, b}) {
            java.nio.file.Files.createDirectories(cache.pathOf(ref).getParent());
            java.nio.file.Files.writeString(cache.pathOf(ref), "x");
        }
        java.nio.file.Files.writeString(ModelCache.partOf(cache.pathOf(HfRef.parse("hf://o/r/partial.gguf"))), "x");
        assertThat(cache.pathOf(a)).isEqualTo(dir.resolve("hf/o/r/refs/pr/3/a/m.gguf"));
        assertThat(cache.list()).containsExactly(a, b); // sorted by reference; the .part is not listed
        assertThat(cache.describe(1)).isEqualTo("hf://o/r/a/m.gguf@refs/pr/3, and 1 more");
    }

    @Test
    void configFromEnvironmentHonoursIngotCacheHfEndpointAndToken() {
        Path home = Path.of("/home/u");
        HubConfig d = HubConfig.fromEnvironment(Map.of(), home);
        assertThat(d.modelsDir()).isEqualTo(Path.of("/home/u/.cache/ingot/models"));
        assertThat(d.endpoint()).isEqualTo(HubConfig.DEFAULT_ENDPOINT);
        assertThat(d.token()).isEmpty();
        HubConfig e = HubConfig.fromEnvironment(
                Map.of("INGOT_CACHE", "/c", "HF_ENDPOINT", "https://hf-mirror.com", "HF_TOKEN", " hf_x \n"), home);
        assertThat(e.modelsDir()).isEqualTo(Path.of("/c/models"));
        assertThat(e.endpoint()).hasToString("https://hf-mirror.com");
        assertThat(e.token()).contains("hf_x");
        assertThatThrownBy(() -> HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://x"), home))
                .hasMessageContaining("hub endpoint must be an http(s) URL");
    }
}
