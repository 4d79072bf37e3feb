import { Worker } from 'node:worker_threads';
import { AresError, isAresErrorCode } from '../../../shared/errors.js';
import type { WorkerResponse } from './workerProtocol.js';

/** `Omit` for each member of a union of requests. */
type WithoutId<Request> = Request extends unknown ? Omit<Request, 'id'> : never;

type Job = { request: { id: number }; resolve: (value: unknown) => void; reject: (error: unknown) => void; timeout?: { milliseconds: number; error: () => Error } };

/**
 * The main-thread side of one worker thread, started on first use: requests run one at a time, an
 * urgent one (a person is waiting) jumps ahead of queued ones. A request with a timeout that runs
 * past it stops the whole worker (the only way to stop a parser stuck on a hostile file) and the
 * next request starts a fresh one.
 *
 * `irreplaceable` is for a worker no second one can stand in for in this process (the embedding
 * worker: onnxruntime-node cannot be loaded again once the thread that loaded it has ended). When
 * it stops, every request from then on fails at once with that error, instead of starting a
 * worker that fails with a native loader message nobody can act on.
 */
export class WorkerQueue<Request extends { id: number }> {
  readonly #entry: () => string;
  readonly #irreplaceable: ((cause: Error) => Error) | null;
  #worker: Worker | null = null;
  #queue: Job[] = [];
  #running: Job | null = null;
  #nextId = 1;
  #ended: Error | null = null;

  constructor(entry: () => string, options: { irreplaceable?: (cause: Error) => Error } = {}) {
    this.#entry = entry;
    this.#irreplaceable = options.irreplaceable ?? null;
  }

  submit<T>(request: WithoutId<Request>, options: { urgent?: boolean; timeout?: Job['timeout'] } = {}): Promise<T> {
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise<T>((resolve, reject) => {
      const job: Job = { request: { ...request, id: this.#nextId++ }, resolve: resolve as (value: unknown) => void, reject };
      if (options.timeout) job.timeout = options.timeout;
      if (options.urgent) this.#queue.unshift(job);
      else this.#queue.push(job);
      this.#pump();
    });
  }

  /** Fails every request, running or waiting, and stops the worker. */
  async stop(): Promise<void> {
    if (this.#irreplaceable && this.#worker) this.#ended = this.#irreplaceable(new Error('the worker was stopped'));
    const worker = this.#worker;
    this.#worker = null;
    const running = this.#running;
    this.#running = null;
    for (const job of [...(running ? [running] : []), ...this.#queue.splice(0)]) job.reject(new AresError('CANCELLED'));
    await worker?.terminate();
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#entry());
    // A worker may live for the whole process; it must not keep a CLI run alive.
    worker.unref();
    worker.on('message', (response: WorkerResponse) => this.#finish(response));
    worker.on('error', (error) => this.#restart(error));
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#restart(new Error(`the worker stopped (exit code ${code})`));
    });
    this.#worker = worker;
    return worker;
  }

  #pump(): void {
    if (this.#running || this.#queue.length === 0) return;
    const job = this.#queue.shift()!;
    this.#running = job;
    const worker = this.#ensureWorker();
    if (job.timeout) {
      const { milliseconds, error } = job.timeout;
      const timer = setTimeout(() => {
        if (this.#running === job) this.#restart(error());
      }, milliseconds);
      timer.unref();
      const settle = job.resolve;
      const fail = job.reject;
      job.resolve = (value) => {
        clearTimeout(timer);
        settle(value);
      };
      job.reject = (reason) => {
        clearTimeout(timer);
        fail(reason);
      };
    }
    worker.postMessage(job.request);
  }

  #finish(response: WorkerResponse): void {
    const job = this.#running;
    if (!job || job.request.id !== response.id) return;
    this.#running = null;
    if (response.ok) job.resolve(response.result);
    else job.reject(isAresErrorCode(response.code) ? new AresError(response.code, response.message) : new Error(response.message));
    this.#pump();
  }

  /**
   * Stops the worker and fails the running job with `error`; queued jobs start a fresh worker, or,
   * for an irreplaceable one, fail with the error that says so (as does every later request).
   */
  #restart(error: Error): void {
    const worker = this.#worker;
    this.#worker = null;
    const job = this.#running;
    this.#running = null;
    if (worker) void worker.terminate();
    if (this.#irreplaceable) {
      this.#ended = this.#irreplaceable(error);
      job?.reject(this.#ended);
      for (const queued of this.#queue.splice(0)) queued.reject(this.#ended);
      return;
    }
    job?.reject(error);
    this.#pump();
  }
}
