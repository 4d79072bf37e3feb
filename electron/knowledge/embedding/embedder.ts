import { fileURLToPath } from 'node:url';
import { AresError } from '../../../shared/errors.js';
import type { FileType, ColumnMapping } from '../../../shared/schemas/knowledge.js';
import type { ChunkDraft, ChunkingOptions } from '../chunking.js';
import type { KnowledgeLimits } from '../limits.js';
import type { ParsedFile } from '../parsers/parsedFile.js';
import type { CatalogReading, EmbeddingRequest, ModelInfo, ReadResult, ReaderRequest } from './workerProtocol.js';
import { WorkerQueue } from './workerQueue.js';

export type { CatalogReading, ModelInfo, ReadResult } from './workerProtocol.js';

const embedBatchSize = 32;

type FileRequest = { name: string; fileType: FileType; bytes: Uint8Array; limits: KnowledgeLimits; mapping?: ColumnMapping; previousMapping?: ColumnMapping };

/**
 * onnxruntime-node's binding follows the worker thread that loaded it: inference in two worker
 * threads, or in an older one after a newer one started, aborts the process, and once a worker
 * that loaded it is terminated no new worker can load it again ("Module did not self-register").
 * So the process has one embedding worker, never terminated, holding one model at a time; and
 * parsing, which a time limit may have to stop, runs in a separate reader worker without it.
 */
const embedding = new WorkerQueue<EmbeddingRequest>(() => process.env.ARES_EMBEDDING_WORKER ?? fileURLToPath(new URL('./embeddingWorker.mjs', import.meta.url)), {
  irreplaceable: (cause) => new AresError('EMBEDDING_STOPPED', `The embedding engine stopped (${cause.message}). Restart Ares to import and search again; nothing stored was lost.`),
});
const reader = new WorkerQueue<ReaderRequest>(() => process.env.ARES_READER_WORKER ?? fileURLToPath(new URL('./readerWorker.mjs', import.meta.url)));

/**
 * One model's view of the workers: parsing, chunking and inference all happen off the main
 * thread, so neither the UI nor the API's event loop ever waits on them. A search query's
 * embedding jumps ahead of queued import work so search stays responsive during a long import.
 */
export class Embedder {
  readonly modelsRoot: string;
  readonly modelId: string;
  #info: Promise<ModelInfo> | null = null;

  constructor(modelsRoot: string, modelId: string) {
    this.modelsRoot = modelsRoot;
    this.modelId = modelId;
  }

  info(): Promise<ModelInfo> {
    this.#info ??= embedding.submit<ModelInfo>({ type: 'load', modelsRoot: this.modelsRoot, modelId: this.modelId }).catch((error: unknown) => {
      this.#info = null;
      throw error;
    });
    return this.#info;
  }

  async read(request: FileRequest & { chunking: ChunkingOptions }): Promise<ReadResult> {
    const { chunking, ...file } = request;
    const parsed = await parse(file, false);
    const chunks = await embedding.submit<ChunkDraft[]>({ type: 'chunk', modelsRoot: this.modelsRoot, modelId: this.modelId, sections: parsed.sections, chunking });
    const result: ReadResult = { chunks, products: parsed.products };
    if (parsed.columns) result.columns = parsed.columns;
    if (parsed.mapping) result.mapping = parsed.mapping;
    return result;
  }

  /** Reads a catalog's columns, resolved mapping and first rows; a person is waiting, so it goes first. */
  async previewCatalog(request: FileRequest): Promise<CatalogReading> {
    const parsed = await parse(request, true);
    if (!parsed.columns || !parsed.mapping) throw new AresError('NOT_A_CATALOG', `"${request.name}" is not a catalog; only CSV, XLSX and JSON catalogs have columns to map.`);
    return { columns: parsed.columns, mapping: parsed.mapping, sampleRows: parsed.sampleRows ?? [], rowCount: parsed.rowCount ?? 0 };
  }

  /** One vector per text, in order. `urgent` is for queries a person is waiting on. */
  async embed(texts: string[], options: { urgent?: boolean; signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const { dimension } = await this.info();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += embedBatchSize) {
      if (options.signal?.aborted) throw new AresError('CANCELLED');
      const batch = texts.slice(start, start + embedBatchSize);
      const flat = await embedding.submit<Float32Array>({ type: 'embed', modelsRoot: this.modelsRoot, modelId: this.modelId, texts: batch }, { urgent: options.urgent ?? false });
      for (let index = 0; index < batch.length; index += 1) vectors.push(flat.subarray(index * dimension, (index + 1) * dimension));
    }
    return vectors;
  }
}

/** Parses in the reader worker; past the read time limit that worker is stopped and the file fails alone. */
function parse(request: FileRequest, urgent: boolean): Promise<ParsedFile> {
  const milliseconds = request.limits.maximumReadMilliseconds;
  const error = () => new AresError('FILE_UNREADABLE', `"${request.name}" took longer than ${Math.round(milliseconds / 1000)} s to read and was stopped.`);
  return reader.submit<ParsedFile>({ type: 'parse', ...request }, { urgent, timeout: { milliseconds, error } });
}

const embedders = new Map<string, Embedder>();

/** One embedder per model, shared by every session (the model itself is loaded once, in the worker). */
export function embedderFor(modelsRoot: string, modelId: string): Embedder {
  const key = `${modelsRoot}\u0000${modelId}`;
  let embedder = embedders.get(key);
  if (!embedder) {
    embedder = new Embedder(modelsRoot, modelId);
    embedders.set(key, embedder);
  }
  return embedder;
}

/**
 * For the end of a process (a CLI run, a script, a test file): stops both workers, so nothing is
 * left running when the process exits. Embedding cannot start again in this process afterwards
 * (see `embedding`).
 */
export async function disposeEmbedders(): Promise<void> {
  embedders.clear();
  await Promise.all([embedding.stop(), reader.stop()]);
}
