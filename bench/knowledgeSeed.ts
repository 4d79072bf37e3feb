/**
 * Seeding a tenant's knowledge base for benchmarks (bench/knowledge.ts, bench/agent.ts): chunks
 * written straight into the encrypted store with generated unit vectors. Embedding 100,000 chunks
 * through the real pipeline would take most of an hour on two cores; what unlock, search and the
 * agent's decisions cost depends on the rows, not on how they got there.
 */
import { randomBytes } from 'node:crypto';
import type { ChunkDraft } from '../electron/knowledge/chunking.js';
import type { ModelInfo } from '../electron/knowledge/embedding/workerProtocol.js';
import type { KnowledgeStore } from '../electron/knowledge/knowledgeStore.js';

export type VectorShape = 'clustered' | 'random';

/** A deterministic text and vector generator (the same seed gives the same corpus on every run). */
export function benchCorpus(vectors: VectorShape = 'clustered') {
  const vocabulary = Array.from({ length: 5000 }, (_, index) => `w${index.toString(36)}${'aeiou'[index % 5]}`);
  let seed = 42;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
  // Squared: some words are much more common than others, as in real text.
  const sentence = (words: number) => Array.from({ length: words }, () => vocabulary[Math.floor(random() ** 2 * vocabulary.length)]).join(' ');
  const gaussian = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const normalised = (vector: Float32Array): Float32Array => {
    const norm = Math.hypot(...vector);
    for (let index = 0; index < vector.length; index += 1) vector[index]! /= norm;
    return vector;
  };
  /**
   * Real embeddings cluster by topic, and an IVF index's recall depends on it: `clustered` (the
   * default) draws each vector around one of 300 topic directions (noise about as large as the
   * topic, so neighbours within a topic are far from identical); `random` is uniform on the sphere,
   * the worst case, where no index can beat an exact scan by much at good recall.
   */
  const topics: Float32Array[] = [];
  const chunkVector = (dimension: number): Float32Array => {
    if (vectors === 'random') return normalised(Float32Array.from({ length: dimension }, gaussian));
    while (topics.length < 300) topics.push(normalised(Float32Array.from({ length: dimension }, gaussian)));
    const topic = topics[Math.floor(random() * topics.length)]!;
    return normalised(Float32Array.from(topic, (value) => value + gaussian() * 0.06));
  };
  return { random, sentence, chunkVector };
}

export type BenchCorpus = ReturnType<typeof benchCorpus>;

/**
 * Writes `count` chunks into `sources` sources through the real store. `chunkAt` says what chunk
 * `index` holds; by default 60 words of prose.
 */
export function seedChunks(
  store: KnowledgeStore,
  model: ModelInfo,
  corpus: BenchCorpus,
  count: number,
  options: { sources?: number; namePrefix?: string; chunkAt?: (index: number) => ChunkDraft } = {},
): void {
  const sources = options.sources ?? 10;
  const perSource = Math.ceil(count / sources);
  // Offsets count within each source, as a parsed file's do.
  const chunkAt = options.chunkAt ?? ((index: number) => ({ text: corpus.sentence(60), tokenCount: 80, location: { start: (index % perSource) * 400, end: (index % perSource) * 400 + 399 } }));
  for (let source = 0; source * perSource < count; source += 1) {
    const first = source * perSource;
    const chunks = Array.from({ length: Math.min(perSource, count - first) }, (_, index) => chunkAt(first + index));
    store.saveSource({
      name: `${options.namePrefix ?? 'seed'}-${source}.txt`,
      fileType: 'text',
      content: randomBytes(16),
      contentHash: randomBytes(16).toString('hex'),
      chunks,
      vectors: chunks.map(() => corpus.chunkVector(model.dimension)),
      products: [],
      mapping: null,
      model,
    });
  }
}
