import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AresError } from '../../shared/errors.js';
import type { FileImportState, ImportJobState } from '../../shared/schemas/knowledge.js';

/** Imports one file; reports its status changes through `report`, stops at `signal`. */
export type FileImporter = (file: { name: string; bytes: Uint8Array; declaredSizeBytes: number }, report: (state: Partial<FileImportState>) => void, signal: AbortSignal) => Promise<FileImportState>;

const finishedJobsKept = 20;

/**
 * A batch of files the UI uploads one by one: every file is listed (queued) up front, each upload
 * is processed as it arrives, and its progress is published to subscribers. Files run one at a
 * time; cancelling stops the file in progress between embedding batches and skips the rest.
 */
export class ImportJobs {
  readonly #jobs = new Map<string, ImportJobState & { controller: AbortController }>();
  readonly #events = new EventEmitter();
  readonly #importFile: FileImporter;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(importFile: FileImporter) {
    this.#importFile = importFile;
    this.#events.setMaxListeners(100);
  }

  create(files: { name: string; sizeBytes: number }[]): ImportJobState {
    const jobId = randomUUID();
    const job = {
      jobId,
      files: files.map((file): FileImportState => ({ name: file.name, sizeBytes: file.sizeBytes, status: 'queued' })),
      finished: false,
      cancelled: false,
      controller: new AbortController(),
    };
    this.#jobs.set(jobId, job);
    this.#forgetOldJobs();
    return this.snapshot(jobId);
  }

  snapshot(jobId: string): ImportJobState {
    const job = this.#require(jobId);
    return { jobId: job.jobId, files: job.files.map((file) => ({ ...file })), finished: job.finished, cancelled: job.cancelled };
  }

  /** Processes one uploaded file of the job; resolves with its final state. */
  upload(jobId: string, fileIndex: number, bytes: Uint8Array): Promise<FileImportState> {
    const job = this.#require(jobId);
    const file = job.files[fileIndex];
    if (!file) throw new AresError('NOT_FOUND', 'That file is not part of this import.');
    if (file.status !== 'queued') throw new AresError('CONFLICT', `"${file.name}" was already uploaded.`);
    file.status = 'reading';
    this.#publish(jobId);
    const run = async () => {
      if (job.controller.signal.aborted) {
        Object.assign(file, { status: 'cancelled' });
      } else {
        const result = await this.#importFile(
          { name: file.name, bytes, declaredSizeBytes: file.sizeBytes },
          (state) => {
            Object.assign(file, state);
            this.#publish(jobId);
          },
          job.controller.signal,
        );
        Object.assign(file, result);
      }
      this.#finishIfDone(job);
      this.#publish(jobId);
      return { ...file };
    };
    const result = this.#chain.then(run, run);
    this.#chain = result.catch(() => undefined);
    return result;
  }

  cancel(jobId: string): ImportJobState {
    const job = this.#require(jobId);
    job.cancelled = true;
    job.controller.abort();
    for (const file of job.files) if (file.status === 'queued') file.status = 'cancelled';
    this.#finishIfDone(job);
    this.#publish(jobId);
    return this.snapshot(jobId);
  }

  /** Calls `listener` with a snapshot on every change of the job; returns the function that stops it. */
  subscribe(jobId: string, listener: (state: ImportJobState) => void): () => void {
    this.#require(jobId);
    const handler = () => listener(this.snapshot(jobId));
    this.#events.on(jobId, handler);
    return () => this.#events.off(jobId, handler);
  }

  cancelAll(): void {
    for (const job of this.#jobs.values()) if (!job.finished) this.cancel(job.jobId);
  }

  #finishIfDone(job: ImportJobState): void {
    job.finished = job.files.every((file) => ['done', 'unchanged', 'failed', 'cancelled'].includes(file.status));
  }

  #publish(jobId: string): void {
    this.#events.emit(jobId);
  }

  #require(jobId: string) {
    const job = this.#jobs.get(jobId);
    if (!job) throw new AresError('NOT_FOUND', 'That import does not exist (it may have finished long ago).');
    return job;
  }

  #forgetOldJobs(): void {
    const finished = [...this.#jobs.values()].filter((job) => job.finished);
    for (const job of finished.slice(0, Math.max(0, finished.length - finishedJobsKept))) this.#jobs.delete(job.jobId);
  }
}
