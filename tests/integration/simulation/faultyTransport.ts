import { AresError } from '../../../shared/errors.js';
import type { Cursor, LeaseState, PullResult, PushInput, PushResult } from '../../../shared/schemas/sync.js';
import type { LiveHandlers, RelayTransport } from '../../../electron/sync/index.js';
import type { RelayLog } from '../../../relay/sync/relayLog.js';
import type { FakeScheduler } from './fakeScheduler.js';

export interface NetworkFaults {
  /** Probability that a request never reaches the relay. */
  dropRequest: number;
  /** Probability that the relay does the work but the answer is lost. */
  dropResponse: number;
  /** Probability that a request is delivered twice. */
  duplicate: number;
  /** Probability that a live page is lost or repeated. */
  dropPage: number;
  duplicatePage: number;
  /** Probability per page that the live stream breaks. */
  breakStream: number;
  minimumDelay: number;
  maximumDelay: number;
}

export const calmNetwork: NetworkFaults = { dropRequest: 0, dropResponse: 0, duplicate: 0, dropPage: 0, duplicatePage: 0, breakStream: 0, minimumDelay: 1, maximumDelay: 5 };

/**
 * Drives the relay's real log in-process, through a network that drops, duplicates, reorders and
 * delays (all on the fake clock, from a seeded generator).
 */
export class FaultyTransport implements RelayTransport {
  online = true;
  faults: NetworkFaults;
  readonly #log: RelayLog;
  readonly #tenantId: string;
  readonly #author: { deviceId: string; operatorName: string };
  readonly #scheduler: FakeScheduler;
  readonly #random: () => number;
  readonly #streams = new Set<{ abort: AbortController; handlers: LiveHandlers }>();

  constructor(options: { log: RelayLog; tenantId: string; author: { deviceId: string; operatorName: string }; scheduler: FakeScheduler; random: () => number; faults: NetworkFaults }) {
    this.#log = options.log;
    this.#tenantId = options.tenantId;
    this.#author = options.author;
    this.#scheduler = options.scheduler;
    this.#random = options.random;
    this.faults = options.faults;
  }

  #delay(): Promise<void> {
    const { minimumDelay, maximumDelay } = this.faults;
    const milliseconds = minimumDelay + this.#random() * (maximumDelay - minimumDelay);
    return new Promise((resolve) => this.#scheduler.setTimeout(resolve, milliseconds));
  }

  #chance(probability: number): boolean {
    return this.#random() < probability;
  }

  async #exchange<T>(work: () => Promise<T>): Promise<T> {
    await this.#delay();
    if (!this.online || this.#chance(this.faults.dropRequest)) throw new AresError('RELAY_UNREACHABLE', 'request lost');
    if (this.#chance(this.faults.duplicate)) {
      // The same request arrives again a little later (a retrying proxy): its result is ignored.
      void this.#delay().then(() => work().catch(() => {}));
    }
    const result = await work();
    await this.#delay();
    if (!this.online || this.#chance(this.faults.dropResponse)) throw new AresError('RELAY_UNREACHABLE', 'response lost');
    return result;
  }

  push(input: PushInput): Promise<PushResult> {
    const copy = structuredClone(input);
    return this.#exchange(() => this.#log.push(this.#tenantId, this.#author, copy));
  }

  pull(cursor: Cursor, limit: number): Promise<PullResult> {
    return this.#exchange(() => this.#log.pull(this.#tenantId, cursor, limit));
  }

  live(cursor: Cursor, handlers: LiveHandlers): () => void {
    const stream = { abort: new AbortController(), handlers };
    this.#streams.add(stream);
    const stop = () => {
      stream.abort.abort();
      this.#streams.delete(stream);
    };
    void (async () => {
      if (!this.online) {
        await this.#delay();
        if (!stream.abort.signal.aborted) handlers.onError(new AresError('RELAY_UNREACHABLE', 'offline'));
        return;
      }
      for await (const page of this.#log.live(this.#tenantId, cursor, stream.abort.signal)) {
        if (stream.abort.signal.aborted) return;
        if (!this.online || this.#chance(this.faults.breakStream)) {
          stop();
          void this.#delay().then(() => handlers.onError(new AresError('RELAY_UNREACHABLE', 'stream broke')));
          return;
        }
        const copies = this.#chance(this.faults.dropPage) ? 0 : this.#chance(this.faults.duplicatePage) ? 2 : 1;
        for (let copy = 0; copy < copies; copy += 1) {
          // Independent delays per page: later pages can overtake earlier ones.
          void this.#delay().then(() => {
            if (!stream.abort.signal.aborted) handlers.onPage(structuredClone(page));
          });
        }
      }
    })();
    return stop;
  }

  /** Cuts the network: every open stream breaks. */
  disconnect(): void {
    this.online = false;
    for (const stream of [...this.#streams]) {
      stream.abort.abort();
      this.#streams.delete(stream);
      void this.#delay().then(() => stream.handlers.onError(new AresError('RELAY_UNREACHABLE', 'network down')));
    }
  }

  async acknowledge(): Promise<void> {}

  async acquireLease(): Promise<LeaseState> {
    return { held: false, holderDeviceId: null, expiresAt: null };
  }

  async releaseLease(): Promise<void> {}

  close(): void {
    for (const stream of [...this.#streams]) stream.abort.abort();
    this.#streams.clear();
  }
}
