package dev.ingot.model.hub;

import java.io.IOException;

/**
 * Progress of one download, for a progress bar. Called on the downloading thread; {@link #started} and
 * {@link #ended} pair up once per attempt, also when the attempt fails.
 */
public interface DownloadListener {
    /** Nothing reported. */
    DownloadListener NONE = new DownloadListener() {};

    /**
     * @param resumedFrom bytes already on disk from an earlier attempt
     * @param total       the file's size, or -1 when the server did not say
     */
    default void started(HfRef ref, long resumedFrom, long total) {}

    /** Bytes of the file on disk so far (including {@code resumedFrom}). */
    default void progress(long done) {}

    default void ended() {}

    /** The connection dropped mid-file; the next attempt resumes. */
    default void retrying(HfRef ref, int attempt, IOException cause) {}
}
