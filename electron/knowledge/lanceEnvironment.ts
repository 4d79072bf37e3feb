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
 */
const lanceDefaults: Record<string, string> = {
  LANCE_CPU_THREADS: String(Math.max(4, availableParallelism())),
  LANCE_FTS_WRITE_QUEUE_SIZE: '64',
};

for (const [name, value] of Object.entries(lanceDefaults)) process.env[name] ??= value;
