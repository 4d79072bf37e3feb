import { randomUUID } from 'node:crypto';
import { AresError, errorMessages } from '../../shared/errors.js';
import type { PortabilityJobState } from '../../shared/schemas/portability.js';

/** Finished jobs are kept this long so a UI that polls a little late still sees the outcome. */
const keepFinishedMilliseconds = 60 * 60_000;

interface Job {
  state: PortabilityJobState;
  controller: AbortController;
}

/**
 * Long exports and restores run in the background; the UI and the CLI poll their progress by id.
 * Restores run with no tenant unlocked (from the tenant picker), so jobs belong to the core, not
 * to a tenant session.
 */
export class PortabilityJobs {
  readonly #jobs = new Map<string, Job>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  start(
    kind: PortabilityJobState['kind'],
    work: (job: { signal: AbortSignal; update: (progress: { phase: string; done: number; total: number; bytesWritten?: number }) => void }) => Promise<NonNullable<PortabilityJobState['result']>>,
  ): string {
    this.#forgetOld();
    const jobId = randomUUID();
    const controller = new AbortController();
    const state: PortabilityJobState = {
      jobId,
      kind,
      status: 'running',
      phase: 'Starting',
      done: 0,
      total: 0,
      bytesWritten: 0,
      startedAt: this.#now(),
      finishedAt: null,
      result: null,
      error: null,
    };
    this.#jobs.set(jobId, { state, controller });
    const update = (progress: { phase: string; done: number; total: number; bytesWritten?: number }) => {
      Object.assign(state, { phase: progress.phase, done: progress.done, total: progress.total, bytesWritten: progress.bytesWritten ?? state.bytesWritten });
    };
    void work({ signal: controller.signal, update }).then(
      (result) => {
        Object.assign(state, { status: 'done', phase: 'Done', result, finishedAt: this.#now() });
      },
      (error: unknown) => {
        const failure = error instanceof AresError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: errorMessages.INTERNAL };
        if (!(error instanceof AresError)) console.error('PortabilityJobs: job failed', error);
        Object.assign(state, { status: failure.code === 'CANCELLED' ? 'cancelled' : 'failed', error: failure, finishedAt: this.#now() });
      },
    );
    return jobId;
  }

  get(jobId: string): PortabilityJobState {
    const job = this.#jobs.get(jobId);
    if (!job) throw new AresError('NOT_FOUND', 'No export or restore with that id is running.');
    return { ...job.state };
  }

  cancel(jobId: string): PortabilityJobState {
    const job = this.#jobs.get(jobId);
    if (!job) throw new AresError('NOT_FOUND', 'No export or restore with that id is running.');
    job.controller.abort();
    return { ...job.state };
  }

  #forgetOld(): void {
    const cutoff = this.#now() - keepFinishedMilliseconds;
    for (const [jobId, job] of this.#jobs) if (job.state.finishedAt !== null && job.state.finishedAt < cutoff) this.#jobs.delete(jobId);
  }
}

const jobsByCore = new WeakMap<object, PortabilityJobs>();

export function portabilityJobs(core: object): PortabilityJobs {
  let jobs = jobsByCore.get(core);
  if (!jobs) {
    jobs = new PortabilityJobs();
    jobsByCore.set(core, jobs);
  }
  return jobs;
}
