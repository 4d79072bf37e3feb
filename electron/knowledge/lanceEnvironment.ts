import { availableParallelism } from 'node:os';

/**
 * LanceDB reads these once, from the process environment, the first time it needs them; this
 * module is imported before `@lancedb/lancedb` so the defaults are in place by then. A value set
 * by whoever started the process wins.
 *
 * Why: Lance sizes its compute pool as "CPUs minus 2 reserved for I/O", which is a single thread
 * on a 2-core machine. Its full-text index builder hands posting lists from a tokenizing worker to
 * a writer through a queue of one; once the worker blocks on the full queue, the writer never gets
 * the only compute thread, and the build waits forever at 0 % CPU (it happened from ~60,000 rows
 * of 60-word chunks here). A larger pool and queue keep both sides running; `memory://` does no
 * real I/O, so the reservation buys nothing.
 *
 * The full-text index builds with one tokenizing shard: with one per compute thread (the default)
 * the build takes every thread of the shared pool, and a vector search issued meanwhile (the first
 * search after unlock) waited seconds for it (3–6 s at 60,000 chunks under load, against ~1 s with
 * one shard). One shard makes the build about twice as long, but it runs while search already
 * answers. Measured in bench/README.md.
 */
const lanceDefaults: Record<string, string> = {
  LANCE_CPU_THREADS: String(Math.max(4, availableParallelism())),
  LANCE_FTS_WRITE_QUEUE_SIZE: '64',
  LANCE_FTS_NUM_SHARDS: '1',
};

for (const [name, value] of Object.entries(lanceDefaults)) process.env[name] ??= value;
