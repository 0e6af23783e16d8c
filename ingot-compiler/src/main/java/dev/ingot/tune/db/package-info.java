/**
 * The tuning database on disk ({@link dev.ingot.tune.db.TuningDb}): {@code db.json} holds one
 * {@link dev.ingot.tune.db.TunedEntry} per (CPU, threads, kernel code version, source, kernel signature),
 * {@code trials.jsonl} the measured candidates ({@link dev.ingot.tune.db.Trial}) the cost model and reports use.
 * The CPU key ({@link dev.ingot.tune.db.CpuId}) is model name, a hash of the feature flags and the core count.
 * Atomic writes under a lock file; an unreadable file is moved aside and rebuilt; malformed rows are dropped;
 * nothing read from it is trusted without re-checking.
 */
package dev.ingot.tune.db;
