import { AresError } from '../../shared/errors.js';
import type { Cursor, EventPage, PullResult } from '../../shared/schemas/sync.js';
import type { SyncStatus } from '../../shared/schemas/relaySync.js';
import type { RelayTransport, Scheduler } from './relayTransport.js';
import type { SyncStore } from './syncStore.js';

const pushBatchSize = 200;
/** Catch-up page size: fewer round trips; the relay caps pages at 5,000. */
const pullPageSize = 5000;
const maximumBackoffMilliseconds = 10_000;
const acknowledgementIntervalMilliseconds = 1000;

/**
 * The desktop half of SYNC.md. One queue runs all work (push, pull, applying live pages) one step
 * at a time, so the cursor and outbox are never touched by two steps at once.
 */
export class SyncEngine {
  readonly #store: SyncStore;
  readonly #transport: RelayTransport;
  readonly #scheduler: Scheduler;
  readonly #onChange: () => void;
  #queue: Promise<void> = Promise.resolve();
  #state: SyncStatus['state'] = 'offline';
  #lastError: string | null = null;
  #stopLive: (() => void) | null = null;
  #cancelRetry: (() => void) | null = null;
  #failures = 0;
  #cycleQueued = false;
  #stopped = false;
  /**
   * Set when no attempt can succeed again, so none is made: the relay closed this business account
   * (issue 7), or it no longer accepts this device's token (revoked, or its person removed).
   */
  #stoppedForGood: { state: 'accountClosed' | 'signedOut'; error: AresError } | null = null;
  #cancelAcknowledgement: (() => void) | null = null;
  #livePages: PullResult[] = [];
  /** The backlog being pulled, when it is larger than one page: where it started and the relay's head. */
  #backlog: { fromSeq: number; headSeq: number } | null = null;

  constructor(options: { store: SyncStore; transport: RelayTransport; scheduler: Scheduler; onChange?: () => void }) {
    this.#store = options.store;
    this.#transport = options.transport;
    this.#scheduler = options.scheduler;
    this.#onChange = options.onChange ?? (() => {});
  }

  get store(): SyncStore {
    return this.#store;
  }

  status(): SyncStatus {
    const cursor = this.#store.cursor();
    return {
      state: this.#state,
      pendingOutbox: this.#store.pendingCount(),
      lastSyncedAt: this.#store.lastSyncedAt(),
      cursor,
      lastError: this.#lastError,
      catchUp: this.#backlogProgress(cursor),
    };
  }

  #backlogProgress(cursor: Cursor | null): SyncStatus['catchUp'] {
    if (!this.#backlog) return null;
    const { fromSeq, headSeq } = this.#backlog;
    return { total: headSeq - fromSeq, remaining: Math.max(0, headSeq - (cursor?.seq ?? fromSeq)) };
  }

  /** A started engine says "syncing" until its first cycle ends: "offline" with no reason would be a lie. */
  start(): void {
    this.#setState('syncing');
    this.kick();
  }

  /** Something changed locally or the relay said there is more: run one push-then-pull cycle soon. */
  kick(): void {
    if (this.#stopped || this.#stoppedForGood || this.#cycleQueued) return;
    this.#cycleQueued = true;
    void this.#enqueue(async () => {
      this.#cycleQueued = false;
      await this.#cycle();
    });
  }

  /** Runs a full cycle now and reports its error, for "sync now" and the CLI. */
  async syncNow(): Promise<void> {
    if (this.#stoppedForGood) throw this.#stoppedForGood.error;
    let failure: unknown = null;
    await this.#enqueue(async () => {
      try {
        await this.#cycleOrThrow();
      } catch (error) {
        failure = error;
        this.#fail(error);
      }
    });
    if (failure) throw failure instanceof AresError ? failure : new AresError('RELAY_UNREACHABLE', `The relay could not be reached: ${describeError(failure)}`);
  }

  stop(): void {
    this.#stopped = true;
    this.#stopLive?.();
    this.#stopLive = null;
    this.#cancelRetry?.();
    this.#cancelAcknowledgement?.();
    this.#transport.close();
  }

  /** Waits until everything queued so far has run (tests). */
  idle(): Promise<void> {
    return this.#enqueue(async () => {});
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #setState(state: SyncStatus['state']): void {
    if (this.#state !== state) {
      this.#state = state;
      this.#onChange();
    }
  }

  async #cycle(): Promise<void> {
    try {
      await this.#cycleOrThrow();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #cycleOrThrow(): Promise<void> {
    if (this.#stopped || this.#stoppedForGood) return;
    this.#setState('syncing');
    await this.#drainOutbox();
    await this.#catchUp();
    // Pushes made while pulling would otherwise wait for the next kick.
    if (this.#store.pendingCount() > 0) await this.#drainOutbox();
    this.#ensureLive();
    this.#failures = 0;
    this.#lastError = null;
    this.#setState('online');
  }

  #fail(error: unknown): void {
    if (this.#stoppedForGood) return;
    this.#stopLive?.();
    this.#stopLive = null;
    this.#lastError = describeError(error);
    if (error instanceof AresError && error.code === 'RELAY_ACCOUNT_CLOSED') return this.#stopForGood('accountClosed', error);
    if (error instanceof AresError && error.code === 'UNAUTHORIZED') return this.#stopForGood('signedOut', error);
    this.#failures += 1;
    this.#state = 'offline';
    // Always tell: the reason may have changed while the state stayed offline.
    this.#onChange();
    if (this.#stopped) return;
    const delay = Math.min(maximumBackoffMilliseconds, 250 * 2 ** Math.min(this.#failures - 1, 6));
    this.#cancelRetry?.();
    this.#cancelRetry = this.#scheduler.setTimeout(() => this.kick(), delay);
  }

  /** Stops every attempt (retries, the live stream, the WebSocket's own reconnects) and says why. */
  #stopForGood(state: 'accountClosed' | 'signedOut', error: AresError): void {
    this.#stoppedForGood = { state, error };
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    this.#cancelAcknowledgement?.();
    this.#cancelAcknowledgement = null;
    this.#transport.close();
    this.#state = state;
    this.#onChange();
  }

  async #drainOutbox(): Promise<void> {
    const clientId = this.#store.clientId();
    for (;;) {
      const mutations = this.#store.outbox(pushBatchSize);
      if (mutations.length === 0) return;
      const result = await this.#transport.push({ clientId, mutations });
      this.#store.settle(result.results);
      this.#onChange();
      if (result.gapAfterMutationId !== undefined) {
        // Only a lost outbox row could cause this; nothing can fix it by retrying, so say so.
        throw new AresError('CONFLICT', `The relay expected a different change after #${result.gapAfterMutationId}.`);
      }
      if (result.results.length < mutations.length) return;
    }
  }

  /**
   * Pages the log from the cursor. The next page is requested before the current one is applied, so
   * the relay reads and sends page n+1 while this process writes page n. A prefetched page is used
   * only if the page before it was applied (else it is dropped and the pull restarts at the cursor).
   */
  async #catchUp(): Promise<void> {
    try {
      await this.#pullUntilHead();
    } finally {
      this.#backlog = null;
    }
  }

  async #pullUntilHead(): Promise<void> {
    let prefetched: Promise<PullResult> | null = null;
    for (let page = 0; page < 100_000; page += 1) {
      let cursor = this.#store.cursor();
      if (!cursor) {
        // Never synced with this relay: ask for the log's current epoch.
        const probe = await this.#transport.pull({ epoch: 'none', seq: 0 }, 1);
        if (probe.kind !== 'resync') throw new AresError('INTERNAL', 'The relay accepted an unknown epoch.');
        this.#store.startAt(probe.restartFrom);
        cursor = probe.restartFrom;
      }
      const request = prefetched ?? this.#transport.pull(cursor, pullPageSize);
      prefetched = null;
      const result = await request;
      if (result.kind === 'resync') {
        this.#resync(result);
        continue;
      }
      const more = result.throughSeq < result.headSeq;
      // Progress is shown for a backlog of more than one page, counted from where it began.
      if (more || this.#backlog) {
        const starting = !this.#backlog;
        this.#backlog = { fromSeq: this.#backlog?.fromSeq ?? result.fromSeq, headSeq: result.headSeq };
        if (starting) this.#onChange();
      }
      if (more) {
        prefetched = this.#transport.pull({ epoch: result.epoch, seq: result.throughSeq }, pullPageSize);
        // Never an unhandled rejection if this page fails to apply and the prefetch is dropped.
        prefetched.catch(() => {});
      }
      if (!this.#apply(result)) prefetched = null;
      if (!more) return;
    }
  }

  #resync(result: Extract<PullResult, { kind: 'resync' }>): void {
    this.#backlog = null;
    this.#stopLive?.();
    this.#stopLive = null;
    this.#store.resync(result.restartFrom, result.reason);
    this.#onChange();
  }

  #apply(page: EventPage): boolean {
    const outcome = this.#store.applyPage(page);
    if (outcome === 'applied' && page.events.length > 0) this.#onChange();
    return outcome === 'applied';
  }

  #ensureLive(): void {
    if (this.#stopLive || this.#stopped) return;
    const cursor = this.#store.cursor();
    if (!cursor) return;
    const stopLive = this.#transport.live(cursor, {
      onPage: (page) => this.#receiveLivePage(page),
      onError: (error) =>
        void this.#enqueue(async () => {
          // A stream already stopped or replaced (failure, resync) must not take down its successor.
          if (this.#stopLive === stopLive) this.#fail(error);
        }),
    });
    this.#stopLive = stopLive;
  }

  /**
   * Live pages that arrive while earlier work runs wait here and are applied together: contiguous
   * pages become one page, i.e. one transaction (one fsync) instead of one per page, so a desktop
   * that falls behind under a burst catches up instead of falling further behind.
   */
  #receiveLivePage(page: PullResult): void {
    this.#livePages.push(page);
    if (this.#livePages.length > 1) return;
    void this.#enqueue(async () => {
      const pages = mergeContiguous(this.#livePages.splice(0));
      for (const merged of pages) await this.#onLivePage(merged);
    });
  }

  async #onLivePage(page: PullResult): Promise<void> {
    if (page.kind === 'resync') {
      this.#resync(page);
      this.kick();
      return;
    }
    const outcome = this.#store.applyPage(page);
    if (outcome === 'applied') {
      if (page.events.length > 0) this.#onChange();
      this.#scheduleAcknowledgement();
    } else {
      // A live page that does not start at our cursor: something was missed. Pull fills it in.
      this.kick();
    }
  }

  /**
   * Tells the relay how far this desktop has applied ("collected", for the automatic reply), at most
   * once a second: acknowledging every live page would double the relay's load under traffic.
   */
  #scheduleAcknowledgement(): void {
    if (this.#cancelAcknowledgement || this.#stopped || this.#stoppedForGood) return;
    this.#cancelAcknowledgement = this.#scheduler.setTimeout(() => {
      this.#cancelAcknowledgement = null;
      if (this.#stopped || this.#stoppedForGood) return;
      const cursor = this.#store.cursor();
      if (cursor) void this.#transport.acknowledge(cursor).catch(() => {});
    }, acknowledgementIntervalMilliseconds);
  }

  cursor(): Cursor | null {
    return this.#store.cursor();
  }
}

/** Joins runs of event pages of one epoch where each starts at or before the previous one's end. */
export function mergeContiguous(pages: PullResult[]): PullResult[] {
  const merged: PullResult[] = [];
  for (const page of pages) {
    const last = merged.at(-1);
    if (last?.kind === 'events' && page.kind === 'events' && page.epoch === last.epoch && page.fromSeq <= last.throughSeq) {
      if (page.throughSeq <= last.throughSeq) continue;
      merged[merged.length - 1] = {
        ...last,
        throughSeq: page.throughSeq,
        headSeq: Math.max(last.headSeq, page.headSeq),
        events: [...last.events, ...page.events.filter((event) => event.seq > last.throughSeq)],
      };
    } else merged.push(page);
  }
  return merged;
}

/** Never an empty reason: the status screen shows this as the only explanation of "Offline". */
export function describeError(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error ?? '')).trim();
  if (message) return message;
  return `The relay connection failed without giving a reason (${error instanceof Error ? error.name : typeof error}).`;
}
