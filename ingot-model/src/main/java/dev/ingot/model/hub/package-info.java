/**
 * Model references and the local model cache: {@code ingot pull} and every command's {@code -m}.
 *
 * <p>A reference is either a local path or {@code hf://OWNER/REPO[@REV]/PATH/IN/REPO[@REV]}
 * ({@link dev.ingot.model.hub.HfRef}; revision defaults to {@code main}). {@link dev.ingot.model.hub.ModelResolver}
 * turns a reference into a local file, downloading it with {@link dev.ingot.model.hub.HubClient} when it is not
 * cached yet.
 *
 * <p>Cache layout ({@link dev.ingot.model.hub.ModelCache}): {@code $INGOT_CACHE/models} or
 * {@code ~/.cache/ingot/models}, then {@code hf/OWNER/REPO/REVISION/PATH}. A file under its final name is
 * complete and verified; downloads go to {@code NAME.part} and are renamed atomically only after the size and
 * the sha256 matched what the server announced. A download lock ({@code NAME.lock}) serialises two processes
 * pulling the same file.
 *
 * <p>Protocol, as huggingface_hub does it: {@code GET $HF_ENDPOINT/OWNER/REPO/resolve/REV/PATH} with
 * {@code Authorization: Bearer $HF_TOKEN}; the hub answers large (LFS) files with a redirect to a CDN whose
 * first hop carries {@code X-Linked-Etag} (the sha256 of the content) and {@code X-Linked-Size}. Redirects are
 * followed here rather than by {@link java.net.http.HttpClient} so those headers are read from the hop that sends
 * them and the token is not sent to another origin. A partial file resumes with {@code Range: bytes=N-}
 * (206 appends; 200 means the server ignored the range and the file restarts; 416 means the part is already
 * the whole file, or is stale and restarts). A connection dropped mid-body is retried from where it stopped.
 */
package dev.ingot.model.hub;
