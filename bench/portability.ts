// Export and restore throughput and peak memory (issue 7). Prints one JSON object per phase, then
// writes all of them to bench/results/portability-<time>.json.
// Usage: node --expose-gc --import tsx bench/portability.ts [--conversations 10000] [--messages 4] [--documents 100] [--document-kb 512] [--products 2000] [--plain-only]
// The target size is --conversations 100000 --documents 1000 --document-kb 512 (500 MB).
// --plain-only skips the encrypted backup phases (they differ from the plain ones by scrypt's fixed
// 128 MB and the sealing), which halves the run at the target size on a shared machine.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { AresCore } from '../electron/core/aresCore.js';
import { exportTenant } from '../electron/portability/exportTenant.js';
import { restoreTenant } from '../electron/portability/restoreTenant.js';
import { seedTenant } from '../electron/portability/testing/seedTenant.js';

const plainOnly = process.argv.includes('--plain-only');

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const size = {
  conversations: option('conversations', 10_000),
  messagesPerConversation: option('messages', 4),
  documents: option('documents', 100),
  documentBytes: option('document-kb', 512) * 1024,
  products: option('products', 2000),
};
const passphrase = 'correct horse battery staple';
const backupPassphrase = 'sealed amber lighthouse meadow';
const megabyte = 1_048_576;

interface Measured<T> {
  value: T;
  seconds: number;
  peakRssMegabytes: number;
  rssGrowthMegabytes: number;
  /** JavaScript heap in use, and Buffers outside it (document originals, zlib): what the code holds, unlike RSS, which the allocator keeps. */
  heapGrowthMegabytes: number;
  externalGrowthMegabytes: number;
}

/** Samples memory every 20 ms while `work` runs; returns the peaks above the starting level. */
async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  global.gc?.();
  const baseline = process.memoryUsage();
  // `external` already includes `arrayBuffers` (every Buffer).
  const external = (usage: NodeJS.MemoryUsage) => usage.external;
  const peak = { rss: baseline.rss, heap: baseline.heapUsed, external: external(baseline) };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.heap = Math.max(peak.heap, usage.heapUsed);
    peak.external = Math.max(peak.external, external(usage));
  };
  const timer = setInterval(sample, 20);
  const started = performance.now();
  try {
    const value = await work();
    sample();
    return {
      value,
      seconds: (performance.now() - started) / 1000,
      peakRssMegabytes: Math.round(peak.rss / megabyte),
      rssGrowthMegabytes: Math.round((peak.rss - baseline.rss) / megabyte),
      heapGrowthMegabytes: Math.round((peak.heap - baseline.heapUsed) / megabyte),
      externalGrowthMegabytes: Math.round((peak.external - external(baseline)) / megabyte),
    };
  } finally {
    clearInterval(timer);
  }
}

const memoryOf = (run: Measured<unknown>) => ({
  peakRssMegabytes: run.peakRssMegabytes,
  rssGrowthMegabytes: run.rssGrowthMegabytes,
  heapGrowthMegabytes: run.heapGrowthMegabytes,
  externalGrowthMegabytes: run.externalGrowthMegabytes,
});

const results: Record<string, unknown> = { machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((value) => +value.toFixed(1)) }, startedAt: new Date().toISOString(), size };
const report = (phase: string, value: Record<string, unknown>) => {
  results[phase] = value;
  process.stdout.write(`${JSON.stringify({ phase, ...value })}\n`);
};

const folder = await mkdtemp(join(tmpdir(), 'ares-bench-portability-'));
const core = new AresCore({ dataDirectory: join(folder, 'data'), kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
try {
  await core.createTenant('Bench', passphrase);
  const seeded = await measured(async () => seedTenant(core.requireSession().database, { ...size, now: Date.now(), chunksPerDocument: 8, documentContent: 'random' }));
  const documentMegabytes = (size.documents * size.documentBytes) / megabyte;
  report('seed', { seconds: +seeded.seconds.toFixed(2), documentMegabytes: +documentMegabytes.toFixed(1), messages: size.conversations * (size.messagesPerConversation + 1) });

  for (const encrypted of plainOnly ? [false] : [false, true]) {
    const archive = join(folder, encrypted ? 'bench.aresbackup' : 'bench.zip');
    const exported = await measured(() =>
      exportTenant(core.requireSession(), { destination: archive, ...(encrypted ? { backupPassphrase } : {}) }),
    );
    const archiveMegabytes = (await stat(archive)).size / megabyte;
    const contentMegabytes = exported.value.manifest.files.reduce((sum, file) => sum + file.bytes, 0) / megabyte;
    report(encrypted ? 'exportEncrypted' : 'export', {
      seconds: +exported.seconds.toFixed(2),
      archiveMegabytes: +archiveMegabytes.toFixed(1),
      contentMegabytes: +contentMegabytes.toFixed(1),
      contentMegabytesPerSecond: +(contentMegabytes / exported.seconds).toFixed(1),
      conversationsPerSecond: Math.round(size.conversations / exported.seconds),
      ...memoryOf(exported),
    });
    const restored = await measured(() =>
      restoreTenant(core.vault, { source: archive, tenantName: encrypted ? 'Bench From Backup' : 'Bench From Zip', passphrase, ...(encrypted ? { backupPassphrase } : {}) }),
    );
    report(encrypted ? 'restoreEncrypted' : 'restore', {
      seconds: +restored.seconds.toFixed(2),
      contentMegabytesPerSecond: +(contentMegabytes / restored.seconds).toFixed(1),
      conversationsPerSecond: Math.round(size.conversations / restored.seconds),
      ...memoryOf(restored),
    });
    await rm(archive);
  }
  await mkdir('bench/results', { recursive: true });
  const file = `bench/results/portability-${Date.now()}.json`;
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
} finally {
  await core.dispose();
  await rm(folder, { recursive: true, force: true });
}
