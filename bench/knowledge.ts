/**
 * Knowledge base benchmarks (issue 3). Prints one JSON object per phase.
 *
 *   npx tsx bench/knowledge.ts [--chunks 10000] [--queries 50] [--ingest-chunks 300] [--skip-ingest]
 *     [--vectors clustered|random] [--ann-threshold 5000] [--timeout 600]
 *
 * Uses the all-MiniLM-L6-v2-shaped model with random weights (scripts/generate-models.py), so
 * inference costs what the real model costs. Unlock and search are measured on chunks written
 * straight into the encrypted store with generated unit vectors (embedding 100,000 chunks would
 * take most of an hour on two cores); ingest is measured end to end through the real pipeline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AresCore } from '../electron/core/aresCore.js';
import { embedderFor, disposeEmbedders } from '../electron/knowledge/embedding/embedder.js';
import { knowledgeOf } from '../electron/knowledge/knowledgeService.js';
import { benchmarkModelId, ensureTestModels } from '../electron/knowledge/testing/testModels.js';
import { benchCorpus, seedChunks } from './knowledgeSeed.js';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '50' },
    'ingest-chunks': { type: 'string', default: '300' },
    'skip-ingest': { type: 'boolean', default: false },
    'ann-threshold': { type: 'string', default: '5000' },
    vectors: { type: 'string', default: 'clustered' },
    timeout: { type: 'string', default: '600' },
  },
});
// A run never hangs: past the time limit it reports where it was and exits non-zero.
let currentStep = 'start';
setTimeout(() => {
  process.stderr.write(`bench/knowledge: timed out after ${values.timeout} s during "${currentStep}"\n`);
  process.exit(2);
}, Number(values.timeout) * 1000).unref();
const chunkCount = Number(values.chunks);
const queryCount = Number(values.queries);
const passphrase = 'correct horse battery staple';

process.env.ARES_MODELS_DIR = ensureTestModels(['minilm']);
process.env.ARES_EMBEDDING_MODEL = benchmarkModelId;
process.env.ARES_KNOWLEDGE_ANN_THRESHOLD = values['ann-threshold'];

const corpus = benchCorpus(values.vectors === 'random' ? 'random' : 'clustered');
const { sentence, chunkVector } = corpus;
const percentile = (values: number[], fraction: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * fraction))]!;
const rssMegabytes = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
const progress = (step: string) => {
  currentStep = step;
  process.stderr.write(`bench/knowledge: ${step} at ${new Date().toISOString()}\n`);
};
// The machine is shared: every phase says how busy it was (1-minute load average, 2 cores).
const print = (phase: string, data: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ phase, ...data, loadAverage: +loadavg()[0]!.toFixed(2) })}\n`);

const dataDirectory = await mkdtemp(join(tmpdir(), 'ares-bench-knowledge-'));
const core = new AresCore({ dataDirectory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
try {
  await core.createTenant('Bench', passphrase);
  const model = await embedderFor(process.env.ARES_MODELS_DIR, benchmarkModelId).info();

  // Seed: chunks with generated unit vectors written through the real store, 10 sources (bench/knowledgeSeed.ts).
  let started = performance.now();
  seedChunks(knowledgeOf(core.requireSession(), dataDirectory).store, model, corpus, chunkCount);
  print('seed', { chunks: chunkCount, seconds: +((performance.now() - started) / 1000).toFixed(2) });
  await core.lock();
  const rssBefore = rssMegabytes();

  // Unlock until search answers, then until the ANN index is ready.
  started = performance.now();
  await core.unlock('Bench', passphrase);
  const unlocked = performance.now();
  const service = knowledgeOf(core.requireSession(), dataDirectory);
  progress('unlocked');
  const { index } = await service.index();
  const built = performance.now();
  progress('rows loaded');
  await service.search({ query: sentence(8), limit: 10 });
  const searchable = performance.now();
  progress('search answered');
  await index.fullTextReady();
  const fullTextReady = performance.now();
  progress('full-text index ready');
  await index.maintenanceSettled();
  const annReady = performance.now();
  progress('ANN index ready');
  const seconds = (at: number) => +((at - started) / 1000).toFixed(2);
  const timings = index.lastBuildTimings;
  print('unlock', {
    chunks: chunkCount,
    vaultUnlockSeconds: seconds(unlocked),
    rowsLoadedSeconds: seconds(built),
    untilSearchAnswersSeconds: seconds(searchable),
    untilFullTextReadySeconds: seconds(fullTextReady),
    annIndex: index.annState,
    untilAnnReadySeconds: seconds(annReady),
    buildMilliseconds: timings && Object.fromEntries(Object.entries(timings).map(([name, value]) => [name, Math.round(value)])),
    residentMegabytes: rssMegabytes(),
    residentGrowthMegabytes: rssMegabytes() - rssBefore,
  });

  // Search with the index ready: hybrid end to end, the vector part against an exact scan, and a plain JS scan.
  const queries = Array.from({ length: queryCount }, () => sentence(6));
  // The random-weight model's query vectors bear no relation to the seeded ones; recall is measured
  // with queries drawn like the chunks (a question lands near its answer's topic).
  const queryVectors = queries.map(() => chunkVector(model.dimension));
  progress('search');
  const hybrid: number[] = [];
  for (const query of queries) {
    const begin = performance.now();
    await service.search({ query, limit: 10 });
    hybrid.push(performance.now() - begin);
  }
  // The parts of a hybrid search apart: embedding the query (a fresh text each time), the vector and full-text searches.
  const embedding: number[] = [];
  const fullText: number[] = [];
  for (const query of queries) {
    let begin = performance.now();
    await embedderFor(process.env.ARES_MODELS_DIR, benchmarkModelId).embed([`${query} ${embedding.length}`], { urgent: true });
    embedding.push(performance.now() - begin);
    begin = performance.now();
    await index.fullTextSearch(query, 50);
    fullText.push(performance.now() - begin);
  }
  const vectorOnly: number[] = [];
  const exact: number[] = [];
  let recallSum = 0;
  for (const vector of queryVectors) {
    let begin = performance.now();
    const approximate = await index.vectorSearch(vector, 10);
    vectorOnly.push(performance.now() - begin);
    begin = performance.now();
    const truth = await index.vectorSearch(vector, 10, {}, true);
    exact.push(performance.now() - begin);
    const truthIds = new Set(truth.map((entry) => entry.id));
    recallSum += approximate.filter((entry) => truthIds.has(entry.id)).length / Math.max(1, truth.length);
  }
  // The same vectors as one Float32Array, scanned in JS: the floor any exact search has to beat.
  const pages = [...service.store.indexPages(model)];
  const rowCount = pages.reduce((total, page) => total + page.ids.length, 0);
  const flat = new Float32Array(rowCount * model.dimension);
  let offset = 0;
  for (const page of pages) {
    flat.set(page.vectors, offset);
    offset += page.vectors.length;
  }
  const bruteForce: number[] = [];
  for (const vector of queryVectors) {
    const begin = performance.now();
    const scores = new Float32Array(rowCount);
    for (let row = 0; row < rowCount; row += 1) {
      let dot = 0;
      const offset = row * model.dimension;
      for (let index = 0; index < model.dimension; index += 1) dot += flat[offset + index]! * vector[index]!;
      scores[row] = dot;
    }
    scores.sort();
    bruteForce.push(performance.now() - begin);
  }
  const round = (value: number) => +value.toFixed(2);
  print('search', {
    chunks: chunkCount,
    vectors: values.vectors,
    annIndex: index.annState,
    hybridP50Milliseconds: round(percentile(hybrid, 0.5)),
    hybridP95Milliseconds: round(percentile(hybrid, 0.95)),
    queryEmbeddingP50Milliseconds: round(percentile(embedding, 0.5)),
    queryEmbeddingP95Milliseconds: round(percentile(embedding, 0.95)),
    fullTextP50Milliseconds: round(percentile(fullText, 0.5)),
    fullTextP95Milliseconds: round(percentile(fullText, 0.95)),
    vectorP50Milliseconds: round(percentile(vectorOnly, 0.5)),
    vectorP95Milliseconds: round(percentile(vectorOnly, 0.95)),
    exactLanceP50Milliseconds: round(percentile(exact, 0.5)),
    bruteForceJsP50Milliseconds: round(percentile(bruteForce, 0.5)),
    vectorRecallAt10: round(recallSum / queryVectors.length),
    vectorSpeedupOverBruteForce: round(percentile(bruteForce, 0.5) / percentile(vectorOnly, 0.5)),
    hybridP95OverBruteForceP50: round(percentile(hybrid, 0.95) / percentile(bruteForce, 0.5)),
  });

  if (!values['skip-ingest']) {
    // Ingest end to end (parse, chunk, embed in the worker, store, index) against model time alone.
    const ingestChunks = Number(values['ingest-chunks']);
    const paragraphs = Array.from({ length: ingestChunks }, (_, index) => `## Section ${index}\n\n${sentence(110)}.`);
    const document = Buffer.from(`# Bench\n\n${paragraphs.join('\n\n')}\n`);
    const begin = performance.now();
    const result = await service.importFile({ name: 'ingest.md', bytes: document });
    const endToEnd = (performance.now() - begin) / 1000;
    const { chunks } = { chunks: service.store.sourceChunks(result.sourceId!) };
    const modelBegin = performance.now();
    await embedderFor(process.env.ARES_MODELS_DIR, benchmarkModelId).embed(chunks.map((chunk) => chunk.text));
    const modelOnly = (performance.now() - modelBegin) / 1000;
    print('ingest', {
      chunks: chunks.length,
      endToEndSeconds: round(endToEnd),
      chunksPerSecond: round(chunks.length / endToEnd),
      modelOnlySeconds: round(modelOnly),
      pipelineOverheadPercent: round(((endToEnd - modelOnly) / modelOnly) * 100),
    });
  }
} finally {
  await core.dispose();
  await disposeEmbedders();
  await rm(dataDirectory, { recursive: true, force: true });
}
