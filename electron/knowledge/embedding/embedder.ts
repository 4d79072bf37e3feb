import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AresError, isAresErrorCode } from '../../../shared/errors.js';
import type { FileType, ColumnMapping } from '../../../shared/schemas/knowledge.js';
import type { ChunkingOptions } from '../chunking.js';
import type { KnowledgeLimits } from '../limits.js';
import type { CatalogReading, ModelInfo, ReadResult, WorkerRequest, WorkerResponse } from './workerProtocol.js';

export type { CatalogReading, ModelInfo, ReadResult } from './workerProtocol.js';

type Job = { request: WorkerRequest; resolve: (value: unknown) => void; reject: (error: unknown) => void; timeoutMilliseconds?: number };

const embedBatchSize = 32;

/**
 * onnxruntime-node's binding follows the worker thread that loaded it last: inference in two
 * worker threads at once, or in an older worker after a newer one started, aborts the whole
 * process ("Entering the V8 API without proper locking"), and a terminated worker's binding cannot
 * be loaded again ("Module did not self-register"). A model switch uses two models, so the
 * embedders of a process take turns (one job at a time in all), and only the newest worker runs
 * jobs: an embedder whose worker is older starts a fresh one and leaves the old one idle.
 */
const turns: { busy: boolean; waiting: (() => void)[]; newestWorker: Worker | null } = { busy: false, waiting: [], newestWorker: null };

function endTurn(): void {
  turns.busy = false;
  while (!turns.busy && turns.waiting.length > 0) turns.waiting.shift()!();
}

function workerEntry(): string {
  return process.env.ARES_EMBEDDING_WORKER ?? fileURLToPath(new URL('./embeddingWorker.mjs', import.meta.url));
}

/**
 * The main-thread side of one embedding worker: parsing, chunking and inference all happen in the
 * worker, so neither the UI nor the API's event loop ever waits on them. Requests run one at a
 * time; a search query's embedding jumps ahead of queued import work so search stays responsive
 * during a long import. A read that runs past its time limit stops the whole worker (the only way
 * to stop a parser stuck on a hostile file); the next request starts a fresh one.
 */
export class Embedder {
  readonly modelsRoot: string;
  readonly modelId: string;
  #worker: Worker | null = null;
  #queue: Job[] = [];
  #running: Job | null = null;
  #nextId = 1;
  #info: Promise<ModelInfo> | null = null;

  constructor(modelsRoot: string, modelId: string) {
    this.modelsRoot = modelsRoot;
    this.modelId = modelId;
  }

  info(): Promise<ModelInfo> {
    this.#info ??= this.#submit<ModelInfo>({ id: 0, type: 'load' }, false).catch((error: unknown) => {
      this.#info = null;
      throw error;
    });
    return this.#info;
  }

  read(
    request: { name: string; fileType: FileType; bytes: Uint8Array; limits: KnowledgeLimits; chunking: ChunkingOptions; mapping?: ColumnMapping; previousMapping?: ColumnMapping },
  ): Promise<ReadResult> {
    return this.#submit<ReadResult>({ id: 0, type: 'read', ...request }, false, request.limits.maximumReadMilliseconds);
  }

  /** Reads a catalog's columns, resolved mapping and first rows; a person is waiting, so it goes first. */
  previewCatalog(request: { name: string; fileType: FileType; bytes: Uint8Array; limits: KnowledgeLimits; mapping?: ColumnMapping; previousMapping?: ColumnMapping }): Promise<CatalogReading> {
    return this.#submit<CatalogReading>({ id: 0, type: 'preview', ...request }, true, request.limits.maximumReadMilliseconds);
  }

  /** One vector per text, in order. `urgent` is for queries a person is waiting on. */
  async embed(texts: string[], options: { urgent?: boolean; signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const { dimension } = await this.info();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += embedBatchSize) {
      if (options.signal?.aborted) throw new AresError('CANCELLED');
      const batch = texts.slice(start, start + embedBatchSize);
      const flat = await this.#submit<Float32Array>({ id: 0, type: 'embed', texts: batch }, options.urgent ?? false);
      for (let index = 0; index < batch.length; index += 1) vectors.push(flat.subarray(index * dimension, (index + 1) * dimension));
    }
    return vectors;
  }

  async dispose(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    this.#info = null;
    for (const job of this.#queue.splice(0)) job.reject(new AresError('CANCELLED'));
    const running = this.#running;
    this.#running = null;
    if (running) {
      running.reject(new AresError('CANCELLED'));
      endTurn();
    }
    if (worker) await worker.terminate();
  }

  #submit<T>(request: WorkerRequest, urgent: boolean, timeoutMilliseconds?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = { request: { ...request, id: this.#nextId++ }, resolve: resolve as (value: unknown) => void, reject };
      if (timeoutMilliseconds !== undefined) job.timeoutMilliseconds = timeoutMilliseconds;
      if (urgent) this.#queue.unshift(job);
      else this.#queue.push(job);
      this.#pump();
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker && this.#worker === turns.newestWorker) return this.#worker;
    // An older worker stays alive but idle (terminating it would break the next one, see `turns`).
    this.#worker = null;
    const worker = new Worker(workerEntry(), { workerData: { modelsRoot: this.modelsRoot, modelId: this.modelId } });
    // The worker holds the model for the life of the process; it must not keep a CLI run alive.
    worker.unref();
    worker.on('message', (response: WorkerResponse) => this.#finish(response));
    worker.on('error', (error) => this.#crash(error));
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#crash(new Error(`the embedding worker stopped (exit code ${code})`));
    });
    this.#worker = worker;
    turns.newestWorker = worker;
    return worker;
  }

  #pump(): void {
    if (this.#running || this.#queue.length === 0) return;
    if (turns.busy) {
      turns.waiting.push(() => this.#pump());
      return;
    }
    turns.busy = true;
    const job = this.#queue.shift()!;
    this.#running = job;
    const worker = this.#ensureWorker();
    let timer: NodeJS.Timeout | undefined;
    if (job.timeoutMilliseconds !== undefined) {
      timer = setTimeout(() => {
        if (this.#running !== job || (job.request.type !== 'read' && job.request.type !== 'preview')) return;
        const seconds = Math.round(job.timeoutMilliseconds! / 1000);
        this.#restart(new AresError('FILE_UNREADABLE', `"${job.request.name}" took longer than ${seconds} s to read and was stopped.`));
      }, job.timeoutMilliseconds);
      timer.unref();
    }
    const settle = job.resolve;
    const fail = job.reject;
    job.resolve = (value) => {
      clearTimeout(timer);
      settle(value);
    };
    job.reject = (error) => {
      clearTimeout(timer);
      fail(error);
    };
    worker.postMessage(job.request);
  }

  #finish(response: WorkerResponse): void {
    const job = this.#running;
    if (!job || job.request.id !== response.id) return;
    this.#running = null;
    if (response.ok) job.resolve(response.result);
    else job.reject(isAresErrorCode(response.code) ? new AresError(response.code, response.message) : new Error(response.message));
    endTurn();
    this.#pump();
  }

  #crash(error: Error): void {
    this.#restart(error);
  }

  /** Stops the worker, fails the running job with `error`, and lets queued jobs start a fresh worker. */
  #restart(error: Error): void {
    const worker = this.#worker;
    this.#worker = null;
    this.#info = null;
    const job = this.#running;
    this.#running = null;
    if (worker) void worker.terminate();
    if (job) {
      job.reject(error);
      endTurn();
    }
    this.#pump();
  }
}

const embedders = new Map<string, Embedder>();

/** One embedder (and so one loaded model) per process for each model, shared by every session. */
export function embedderFor(modelsRoot: string, modelId: string): Embedder {
  const key = `${modelsRoot}\u0000${modelId}`;
  let embedder = embedders.get(key);
  if (!embedder) {
    embedder = new Embedder(modelsRoot, modelId);
    embedders.set(key, embedder);
  }
  return embedder;
}

/** For tests and a model change on disk: forget loaded models. */
export async function disposeEmbedders(): Promise<void> {
  const all = [...embedders.values()];
  embedders.clear();
  await Promise.all(all.map((embedder) => embedder.dispose()));
}
