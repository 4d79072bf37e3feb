import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import type { ColumnMapping, FileImportState, ModelStatus, SearchHit, SearchInput } from '../../shared/schemas/knowledge.js';
import { searchInput } from '../../shared/schemas/knowledge.js';
import { readSetting, writeSetting, type SessionService, type TenantSession } from '../vault/index.js';
import { defaultChunkingOptions } from './chunking.js';
import { embedderFor, type Embedder, type ModelInfo } from './embedding/embedder.js';
import { defaultModelId, findModelRoot } from './embedding/modelLocator.js';
import { detectFileType } from './fileTypes.js';
import { fuseRankings, matchedTerms, quotedPhrases, skuCandidates, type FusedId } from './hybridSearch.js';
import { ImportJobs } from './importJobs.js';
import { KnowledgeIndex, type IndexFilter } from './knowledgeIndex.js';
import { KnowledgeStore } from './knowledgeStore.js';
import { QueryVectorCache } from './queryVectorCache.js';
import { defaultKnowledgeLimits, formatBytes, type KnowledgeLimits } from './limits.js';

const modelSetting = 'knowledge.modelId';
const reembedBatch = 64;

export interface KnowledgeServiceOptions {
  dataDirectory: string;
  limits?: KnowledgeLimits;
  /**
   * Rows above which an ANN index is built in the background: an exact LanceDB scan of 10,000
   * vectors already takes tens of milliseconds here, an IVF index over 5,000 builds in about a second.
   */
  annThreshold?: number;
}

type ReembedState = ModelStatus['reembedding'];

/**
 * The knowledge base of one unlocked tenant: the encrypted store, the in-memory index built from
 * it, imports and search. Created on first use in the session and disposed on lock, which drops
 * the index and every plaintext row it held.
 */
export class KnowledgeService implements SessionService {
  readonly store: KnowledgeStore;
  readonly jobs: ImportJobs;
  readonly limits: KnowledgeLimits;
  readonly #session: TenantSession;
  readonly #dataDirectory: string;
  readonly #annThreshold: number;
  #index: Promise<{ index: KnowledgeIndex; model: ModelInfo }> | null = null;
  #reembed: ReembedState = { state: 'idle', done: 0, total: 0 };
  #reembedRunning: Promise<void> | null = null;
  readonly #queryVectors = new QueryVectorCache();
  #disposed = false;

  constructor(session: TenantSession, options: KnowledgeServiceOptions) {
    this.#session = session;
    this.#dataDirectory = options.dataDirectory;
    this.limits = options.limits ?? defaultKnowledgeLimits();
    this.#annThreshold = options.annThreshold ?? Number(process.env.ARES_KNOWLEDGE_ANN_THRESHOLD ?? 5_000);
    this.store = new KnowledgeStore(session.database);
    this.jobs = new ImportJobs((file, report, signal) => this.importFile(file, report, signal));
  }

  modelId(): string {
    return readSetting(this.#session.database, modelSetting, z.string(), defaultModelId());
  }

  async setModel(modelId: string): Promise<void> {
    if (modelId === this.modelId()) return;
    writeSetting(this.#session.database, modelSetting, modelId);
    await this.#dropIndex();
    // Rebuilding with the new model finds every old vector stale and re-embeds it in the background.
    void this.index().catch(() => undefined);
  }

  embedder(): Embedder {
    const modelId = this.modelId();
    const root = findModelRoot(this.#dataDirectory, modelId);
    if (!root) throw new AresError('MODEL_NOT_INSTALLED', `The embedding model "${modelId}" is not installed. Download it on the Knowledge screen.`);
    return embedderFor(root, modelId);
  }

  /** The in-memory index, built from the store on first use (or by `warm` right after unlock). */
  index(): Promise<{ index: KnowledgeIndex; model: ModelInfo }> {
    this.#index ??= (async () => {
      const model = await this.embedder().info();
      const index = new KnowledgeIndex({ dimension: model.dimension, annThreshold: this.#annThreshold });
      await index.build(this.store.indexPages(model));
      if (this.#disposed) {
        await index.dispose();
        throw new AresError('TENANT_LOCKED');
      }
      // The index holds exactly the current model's chunks, so any others are stale; counting them
      // directly would decrypt the whole table again (the model columns sit behind the vector).
      if (this.store.countChunks() > index.rows) this.#startReembedding();
      return { index, model };
    })();
    this.#index.catch(() => {
      this.#index = null;
    });
    return this.#index;
  }

  /** Starts building the index in the background so the first search does not wait for it. */
  warm(): void {
    void this.index().catch(() => undefined);
  }

  /** `mapping`: catalog columns a person chose (the file is read again even if unchanged); the rest are guessed. */
  async importFile(file: { name: string; bytes: Uint8Array; declaredSizeBytes?: number; mapping?: ColumnMapping }, report: (state: Partial<FileImportState>) => void = () => undefined, signal?: AbortSignal): Promise<FileImportState> {
    // A file too large to upload arrives empty, with its real size declared.
    const sizeBytes = Math.max(file.bytes.byteLength, file.declaredSizeBytes ?? 0);
    const base: FileImportState = { name: file.name, sizeBytes, status: 'reading' };
    try {
      if (sizeBytes > this.limits.maximumFileBytes) {
        throw new AresError('FILE_TOO_LARGE', `"${file.name}" is ${formatBytes(sizeBytes)}; the limit is ${formatBytes(this.limits.maximumFileBytes)}.`);
      }
      const fileType = detectFileType(file.name, file.bytes);
      const contentHash = createHash('sha256').update(file.bytes).digest('hex');
      const { index, model } = await this.index();
      const existing = this.store.sourceByName(file.name);
      if (existing && existing.contentHash === contentHash && existing.fileType === fileType && !file.mapping) {
        return { ...base, status: 'unchanged', sourceId: existing.id, chunkCount: existing.chunkCount, productCount: existing.productCount };
      }
      report({ status: 'reading' });
      const read = await this.embedder().read({
        name: file.name,
        fileType,
        bytes: file.bytes,
        limits: this.limits,
        chunking: defaultChunkingOptions,
        ...(file.mapping ? { mapping: file.mapping } : {}),
        ...(existing?.columnMapping ? { previousMapping: existing.columnMapping } : {}),
      });
      if (signal?.aborted) throw new AresError('CANCELLED');
      report({ status: 'embedding' });
      const vectors = await this.embedder().embed(
        read.chunks.map((chunk) => chunk.text),
        signal ? { signal } : {},
      );
      if (signal?.aborted) throw new AresError('CANCELLED');
      const saved = this.store.saveSource({
        name: file.name,
        fileType,
        content: file.bytes,
        contentHash,
        chunks: read.chunks,
        vectors,
        products: read.products,
        mapping: read.mapping ?? null,
        mappingConfirmed: file.mapping !== undefined,
        model,
      });
      try {
        if (saved.replacedSourceId) await index.deleteSource(saved.replacedSourceId);
        await index.add(read.chunks.map((chunk, ordinal) => ({ id: saved.chunkIds[ordinal]!, sourceId: saved.source.id, fileType, text: chunk.text, vector: vectors[ordinal]! })));
      } catch (error) {
        // The store is the truth; an index that missed an update is rebuilt from it on next use.
        console.error('KnowledgeService.importFile: the index update failed; rebuilding it', error instanceof Error ? error.message : error);
        await this.#dropIndex();
      }
      return { ...base, status: 'done', sourceId: saved.source.id, chunkCount: read.chunks.length, productCount: read.products.length };
    } catch (error) {
      if (error instanceof AresError && error.code === 'CANCELLED') return { ...base, status: 'cancelled' };
      if (error instanceof AresError) return { ...base, status: 'failed', errorCode: error.code, errorMessage: error.message };
      console.error('KnowledgeService.importFile: unexpected failure', error);
      return { ...base, status: 'failed', errorCode: 'FILE_UNREADABLE', errorMessage: `"${file.name}" could not be imported (${error instanceof Error ? error.message : String(error)}).` };
    }
  }

  async deleteSource(sourceId: string): Promise<void> {
    if (!this.store.deleteSource(sourceId)) throw new AresError('NOT_FOUND', 'That source does not exist.');
    if (this.#index) {
      const { index } = await this.#index;
      await index.deleteSource(sourceId);
    }
  }

  async search(rawInput: SearchInput): Promise<SearchHit[]> {
    const input = searchInput.parse(rawInput);
    const { index } = await this.index();
    const filter = { sourceIds: input.sourceIds, fileTypes: input.fileTypes };
    const candidates = Math.max(50, input.limit * 5);
    // Only the vector search waits for the query's embedding; the full-text and phrase searches run meanwhile.
    const [vector, fullText, phraseMatches] = await Promise.all([
      this.#queryVectors.vector(input.query, (query) => this.#embedQuery(query)).then((queryVector) => index.vectorSearch(queryVector, candidates, filter)),
      index.fullTextSearch(input.query, candidates, filter),
      Promise.all(quotedPhrases(input.query).map((phrase) => index.phraseSearch(phrase, input.limit, filter))),
    ]);
    const pinned = new Map<number, 'sku' | 'phrase'>();
    for (const id of phraseMatches.flat()) pinned.set(id, 'phrase');
    for (const sku of skuCandidates(input.query)) for (const id of this.store.chunkIdsForSku(sku)) pinned.set(id, 'sku');
    const fused = fuseRankings({ vector, fullText, pinned }, candidates);
    const hits: SearchHit[] = [];
    // Chunks are read a page at a time: usually the first page fills the answer. A later page is
    // needed only when a pinned SKU match falls outside the filter or a source was just deleted.
    for (let start = 0; start < fused.length && hits.length < input.limit; start += input.limit) {
      const page = fused.slice(start, start + input.limit);
      hits.push(...this.#hitsFor(page, input.query, filter).slice(0, input.limit - hits.length));
    }
    return hits;
  }

  #hitsFor(fused: FusedId[], query: string, filter: IndexFilter): SearchHit[] {
    const chunks = this.store.chunks(fused.map((entry) => entry.id));
    const hits: SearchHit[] = [];
    for (const entry of fused) {
      const chunk = chunks.get(entry.id);
      if (!chunk) continue;
      if (filter.sourceIds?.length && !filter.sourceIds.includes(chunk.sourceId)) continue;
      if (filter.fileTypes?.length && !filter.fileTypes.includes(chunk.fileType)) continue;
      hits.push({
        chunkId: chunk.id,
        sourceId: chunk.sourceId,
        sourceName: chunk.sourceName,
        fileType: chunk.fileType,
        text: chunk.text,
        score: Number(entry.score.toFixed(6)),
        location: chunk.location,
        matchedBy: entry.matchedBy,
        matchedTerms: matchedTerms(query, chunk.text),
      });
    }
    return hits;
  }

  async modelStatus(): Promise<Omit<ModelStatus, 'download' | 'downloadable'>> {
    const modelId = this.modelId();
    const root = findModelRoot(this.#dataDirectory, modelId);
    let info: ModelInfo | null = null;
    if (root) info = await this.embedder().info().catch(() => null);
    const built = this.#index ? await this.#index.catch(() => null) : null;
    return {
      modelId,
      installed: root !== null,
      location: root,
      dimension: info?.dimension ?? null,
      version: info?.version ?? null,
      reembedding: { ...this.#reembed },
      index: { rows: built?.index.rows ?? 0, annIndex: built?.index.annState ?? 'none', ready: built !== null },
    };
  }

  async #embedQuery(query: string): Promise<Float32Array> {
    const [vector] = await this.embedder().embed([query], { urgent: true });
    return vector!;
  }

  /** Drops the in-memory index and builds it again from the store. */
  async rebuildIndex(): Promise<void> {
    await this.#dropIndex();
    await this.index();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.jobs.cancelAll();
    await this.#dropIndex();
    await this.#reembedRunning?.catch(() => undefined);
  }

  async #dropIndex(): Promise<void> {
    const current = this.#index;
    this.#index = null;
    // Vectors of another model (after a model change) must not answer later queries.
    this.#queryVectors.clear();
    const built = current ? await current.catch(() => null) : null;
    await built?.index.dispose();
  }

  /** Re-embeds chunks another model made, in batches, moving each into the index as it is done. */
  #startReembedding(): void {
    if (this.#reembedRunning) return;
    let modelChanged = false;
    this.#reembedRunning = (async () => {
      try {
        const { index, model } = await this.index();
        // Vectors must come from the model the index was built with; a switch mid-way starts over.
        const embedder = this.embedder();
        this.#reembed = { state: 'running', done: 0, total: this.store.countStaleChunks(model) };
        for (;;) {
          if (this.#disposed) return;
          modelChanged = this.modelId() !== model.modelId;
          if (modelChanged) return;
          const stale = this.store.staleChunks(model, reembedBatch);
          if (stale.length === 0) break;
          const vectors = await embedder.embed(stale.map((chunk) => chunk.text));
          if (this.#disposed || this.modelId() !== model.modelId) {
            modelChanged = !this.#disposed;
            return;
          }
          this.store.updateVectors(stale.map((chunk, position) => ({ id: chunk.id, vector: vectors[position]! })), model);
          const sources = new Map(this.store.sources().map((source) => [source.id, source.fileType]));
          await index.deleteIds(stale.map((chunk) => chunk.id));
          await index.add(stale.map((chunk, position) => ({ id: chunk.id, sourceId: chunk.sourceId, fileType: sources.get(chunk.sourceId)!, text: chunk.text, vector: vectors[position]! })));
          this.#reembed = { ...this.#reembed, done: this.#reembed.done + stale.length };
        }
        this.#reembed = { ...this.#reembed, state: 'done' };
      } catch (error) {
        this.#reembed = { ...this.#reembed, state: 'failed', error: error instanceof Error ? error.message : String(error) };
      } finally {
        this.#reembedRunning = null;
        if (modelChanged) void this.index().then(() => this.#startReembedding(), () => undefined);
      }
    })();
  }
}

/** The knowledge service of the session, created on first use. */
export function knowledgeOf(session: TenantSession, dataDirectory: string): KnowledgeService {
  return session.service('knowledge', () => new KnowledgeService(session, { dataDirectory }));
}
