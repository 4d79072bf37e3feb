import { EventEmitter } from 'node:events';

/**
 * Wakes subscribers when a tenant's log grows. A notice carries only `(tenant, seq)`: listeners
 * read the log themselves, which is what lets several relay instances share one database later
 * (PostgreSQL NOTIFY carries the same two values).
 */
export interface LogNotifier {
  notify(tenantId: string, seq: number): void;
  subscribe(tenantId: string, listener: (seq: number) => void): () => void;
}

export class InMemoryLogNotifier implements LogNotifier {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  notify(tenantId: string, seq: number): void {
    this.#emitter.emit(tenantId, seq);
  }

  subscribe(tenantId: string, listener: (seq: number) => void): () => void {
    this.#emitter.on(tenantId, listener);
    return () => this.#emitter.off(tenantId, listener);
  }
}
