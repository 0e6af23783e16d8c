package dev.ingot.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingot.testkit.Seeds;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubClientTest {
    private static final HfRef SMALL = HfRef.parse("hf://o/r/model.gguf");
    private static final HfRef BIG = HfRef.parse("hf://o/r/sub/dir/big.gguf");

    @TempDir Path dir;
    FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        Random r = Seeds.random("hub.content");
        byte[] content = new byte[300_000 + r.nextInt(1000)];
        r.nextBytes(content);
        hub = new FakeHub(content);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubClient client(int retries) {
        return new HubClient(new HubConfig(hub.endpoint(), Optional.empty(), dir.resolve("models"),
                Duration.ofSeconds(5), retries, Duration.ZERO));
    }

    @Test
    void downloadsVerifiesAndNamesTheFileByReference() throws IOException {
        Path p = client(0).pull(SMALL, false, DownloadListener.NONE);
        assertThat(p).isEqualTo(dir.resolve("models/hf/o/r/main/model.gguf"));
        assertThat(Files.readAllBytes(p)).isEqualTo(hub.content);
        assertThat(ModelCache.partOf(p)).doesNotExist();
    }

    @Test
    void followsRedirectWithLinkedEtagAndDoesNotSendTheTokenToTheCdn() throws IOException {
        HubClient c = new HubClient(client(0).config().withToken("hf_secret"));
        Path p = c.pull(BIG, false, DownloadListener.NONE);
        assertThat(Files.readAllBytes(p)).isEqualTo(hub.content);
        assertThat(hub.requests).extracting(FakeHub.Seen::server).containsExactly("hub", "cdn");
        assertThat(hub.requests.get(0).authorization()).isEqualTo("Bearer hf_secret");
        assertThat(hub.requests.get(1).authorization()).isNull();
        assertThat(c.cache().list()).containsExactly(BIG);
    }

    @Test
    void cachedFileIsNotDownloadedAgainUnlessForced() throws IOException {
        HubClient c = client(0);
        c.pull(SMALL, false, DownloadListener.NONE);
        c.pull(SMALL, false, DownloadListener.NONE);
        assertThat(hub.requests).hasSize(1);
        c.pull(SMALL, true, DownloadListener.NONE);
        assertThat(hub.requests).hasSize(2);
        assertThat(hub.requests.get(1).range()).isNull();
    }

    @Test
    void droppedConnectionResumesWithRangeAndChecksumMatches() throws IOException {
        hub.cutResponses = 1;
        hub.cutAfter = hub.content.length / 2;
        List<Long> progress = new ArrayList<>();
        List<Integer> retries = new ArrayList<>();
        Path p = client(2).pull(BIG, false, new DownloadListener() {
            @Override public void started(HfRef ref, long from, long total) { progress.add(from); }
            @Override public void retrying(HfRef ref, int attempt, IOException cause) { retries.add(attempt); }
        });
        assertThat(Files.readAllBytes(p)).isEqualTo(hub.content);
        assertThat(retries).containsExactly(1);
        // second attempt asked the CDN for the rest only
        FakeHub.Seen last = hub.requests.getLast();
        assertThat(last.server()).isEqualTo("cdn");
        assertThat(last.range()).isEqualTo("bytes=" + progress.get(1) + "-");
        assertThat(progress.get(1)).isPositive();
    }

    @Test
    void interruptedPullKeepsThePartAndTheNextPullResumes() throws IOException {
        hub.cutResponses = 1;
        hub.cutAfter = 100_000;
        Path target = dir.resolve("models/hf/o/r/main/model.gguf");
        assertThatThrownBy(() -> client(0).pull(SMALL, false, DownloadListener.NONE))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("was interrupted")
                .hasMessageContaining("next pull resumes");
        assertThat(target).doesNotExist();
        long kept = Files.size(ModelCache.partOf(target));
        assertThat(kept).isPositive().isLessThan(hub.content.length);

        Path p = client(0).pull(SMALL, false, DownloadListener.NONE);
        assertThat(Files.readAllBytes(p)).isEqualTo(hub.content);
        assertThat(hub.requests.getLast().range()).isEqualTo("bytes=" + kept + "-");
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws IOException {
        Path target = dir.resolve("models/hf/o/r/main/model.gguf");
        Files.createDirectories(target.getParent());
        Files.write(ModelCache.partOf(target), new byte[] {1, 2, 3, 4, 5}); // not the file's first bytes
        hub.ignoreRange = true;
        Path p = client(0).pull(SMALL, false, DownloadListener.NONE);
        assertThat(hub.requests.getFirst().range()).isEqualTo("bytes=5-");
        assertThat(Files.readAllBytes(p)).isEqualTo(hub.content);
    }

    @Test
    void completePartIsFinishedOn416WithoutDownloading() throws IOException {
        Path target = dir.resolve("models/hf/o/r/main/model.gguf");
        Files.createDirectories(target.getParent());
        Files.write(ModelCache.partOf(target), hub.content);
        List<Long> started = new ArrayList<>();
        client(0).pull(SMALL, false, new DownloadListener() {
            @Override public void started(HfRef ref, long from, long total) { started.add(from); }
        });
        assertThat(started).isEmpty();
        assertThat(Files.readAllBytes(target)).isEqualTo(hub.content);
    }

    @Test
    void partLargerThanTheFileIsDiscardedAndRestarted() throws IOException {
        Path target = dir.resolve("models/hf/o/r/main/model.gguf");
        Files.createDirectories(target.getParent());
        Files.write(ModelCache.partOf(target), new byte[hub.content.length + 10]);
        client(0).pull(SMALL, false, DownloadListener.NONE);
        assertThat(hub.requests).extracting(FakeHub.Seen::range).containsExactly("bytes=" + (hub.content.length + 10) + "-", null);
        assertThat(Files.readAllBytes(target)).isEqualTo(hub.content);
    }

    @Test
    void wrongChecksumDeletesThePartAndLeavesNoFile() {
        hub.announcedSha = "ab".repeat(32);
        Path target = dir.resolve("models/hf/o/r/main/sub/dir/big.gguf");
        assertThatThrownBy(() -> client(0).pull(BIG, false, DownloadListener.NONE))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("checksum mismatch for hf://o/r/sub/dir/big.gguf")
                .hasMessageContaining("ab".repeat(32))
                .hasMessageContaining(hub.sha256);
        assertThat(target).doesNotExist();
        assertThat(ModelCache.partOf(target)).doesNotExist();
    }

    @Test
    void wrongAnnouncedSizeIsAnError() {
        hub.announcedSize = hub.content.length + 1;
        assertThatThrownBy(() -> client(0).pull(BIG, false, DownloadListener.NONE))
                .isInstanceOf(HubException.class).hasMessageContaining("size mismatch");
        assertThat(dir.resolve("models/hf/o/r/main/sub/dir/big.gguf")).doesNotExist();
    }

    @Test
    void notFoundAndUnauthorizedHaveClearMessages() {
        assertThatThrownBy(() -> client(0).pull(HfRef.parse("hf://o/r/missing.gguf@v2"), false, DownloadListener.NONE))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("file 'missing.gguf' not found in o/r at revision 'v2'")
                .hasMessageContaining("Entry not found");
        assertThatThrownBy(() -> client(0).pull(HfRef.parse("hf://o/gated/x.gguf"), false, DownloadListener.NONE))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("o/gated is gated")
                .hasMessageContaining(hub.endpoint() + "/o/gated")
                .hasMessageContaining("set HF_TOKEN");
    }

    @Test
    void unreachableHubSaysOfflineAndListsTheCache() throws IOException {
        client(0).pull(SMALL, false, DownloadListener.NONE); // something in the cache to list
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HubClient offline = new HubClient(client(0).config().withEndpoint(URI.create("http://127.0.0.1:" + closedPort)));
        assertThatThrownBy(() -> offline.pull(BIG, false, DownloadListener.NONE))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("cannot reach 127.0.0.1")
                .hasMessageContaining("are you offline?")
                .hasMessageContaining("files already in the cache: hf://o/r/model.gguf");
        // a cached file still resolves without the network
        assertThat(offline.pull(SMALL, false, DownloadListener.NONE)).exists();
    }

    @Test
    void sha256IsOnlyTakenFromA64HexEtag() {
        String sha = "0123456789abcdef".repeat(4);
        assertThat(HubHttp.sha256("\"" + sha + "\"")).isEqualTo(sha);
        assertThat(HubHttp.sha256("W/\"" + sha.toUpperCase() + "\"")).isEqualTo(sha);
        assertThat(HubHttp.sha256("\"0123456789abcdef0123456789abcdef01234567\"")).isNull(); // git sha1
        assertThat(HubHttp.sha256(null)).isNull();
    }
}
