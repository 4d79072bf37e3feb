import type { ChannelStore } from './channelStore.js';

/**
 * "Are webhooks arriving?" counters, coalesced: every accepted webhook used to run its own UPDATE
 * of its connection's row (on PostgreSQL one more commit and fsync per webhook, all queued on one
 * row lock). Calls that arrive while a write runs are added up and written together by the next
 * one. Each caller still returns only once a write that includes its count has finished.
 */
export class WebhookCounter {
  readonly #store: ChannelStore;
  #pending = new Map<string, { count: number; at: number }>();
  #writing: Promise<void> | null = null;
  #next: Promise<void> | null = null;

  constructor(store: ChannelStore) {
    this.#store = store;
  }

  accepted(connectionId: string, at: number): Promise<void> {
    const pending = this.#pending.get(connectionId);
    this.#pending.set(connectionId, { count: (pending?.count ?? 0) + 1, at: Math.max(at, pending?.at ?? 0) });
    if (!this.#writing) {
      this.#writing = this.#write();
      return this.#writing;
    }
    // A write is running without our count: join the one that starts after it.
    this.#next ??= this.#writing.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      this.#next = null;
      this.#writing = this.#write();
      return this.#writing;
    });
    return this.#next;
  }

  async #write(): Promise<void> {
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      for (const [connectionId, { count, at }] of batch) await this.#store.recordWebhook(connectionId, at, true, count);
    } finally {
      if (this.#pending.size === 0 && !this.#next) this.#writing = null;
    }
  }
}
