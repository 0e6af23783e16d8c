package dev.ingot.cli;

import dev.ingot.model.hub.HfRef;
import dev.ingot.model.hub.HubClient;
import dev.ingot.model.hub.HubConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ingot pull hf://OWNER/REPO/FILE}: downloads into the model cache and prints the local path. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download model files from Hugging Face into the local cache and print their paths.",
                "Resumes interrupted downloads and verifies size and sha256 when the hub announces them.",
                "Environment: INGOT_CACHE (cache root, default ~/.cache/ingot), HF_ENDPOINT, HF_TOKEN."})
final class PullCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "REF",
            description = "hf://OWNER/REPO/PATH/FILE.gguf, optionally with @REVISION after the repo or the file (default main)")
    List<String> refs;

    @Option(names = "--force", description = "download again even when the file is already cached")
    boolean force;

    @Option(names = "--cache", paramLabel = "DIR", description = "cache root instead of $INGOT_CACHE; files go to DIR/models")
    Path cache;

    @Option(names = "--endpoint", paramLabel = "URL", description = "hub base URL instead of $HF_ENDPOINT (default https://huggingface.co)")
    URI endpoint;

    @Override
    public Integer call() throws Exception {
        HubConfig config = HubConfig.fromEnvironment();
        if (cache != null) config = config.withModelsDir(cache.resolve("models"));
        if (endpoint != null) config = config.withEndpoint(endpoint);
        HubClient client = new HubClient(config);
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        // parse all first: a typo in the third reference should not surface after two downloads
        List<HfRef> parsed = refs.stream().map(PullCommand::parse).toList();
        for (HfRef ref : parsed) {
            if (!force && client.isCached(ref)) {
                err.println(ref + " is already in the cache (--force to download again)");
                err.flush();
            }
            Path path = client.pull(ref, force, new DownloadProgress(err));
            out.println(path);
            out.flush();
        }
        return 0;
    }

    private static HfRef parse(String ref) {
        if (!HfRef.isHfRef(ref)) {
            throw new IllegalArgumentException("pull takes hf://OWNER/REPO/FILE references, got '" + ref + "'");
        }
        return HfRef.parse(ref);
    }
}
