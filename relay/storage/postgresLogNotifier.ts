import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { LogNotifier } from '../sync/logNotifier.js';

const channelName = 'ares_log';

/**
 * Wakes subscribers on every relay instance. A notice carries only `(tenant, seq)`; listeners read
 * the log themselves, so a lost or coalesced notification is harmless as long as one arrives later
 * (after a reconnect every subscriber is woken once to catch up).
 */
export class PostgresLogNotifier implements LogNotifier {
  readonly #emitter = new EventEmitter();
  readonly #pool: pg.Pool;
  readonly #connectionConfig: pg.ClientConfig;
  #listener: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;

  constructor(pool: pg.Pool, connectionConfig: pg.ClientConfig) {
    this.#pool = pool;
    this.#connectionConfig = connectionConfig;
    this.#emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const client = new pg.Client(this.#connectionConfig);
    client.on('notification', (message) => {
      if (message.channel !== channelName || !message.payload) return;
      const separator = message.payload.lastIndexOf(':');
      const seq = Number(message.payload.slice(separator + 1));
      if (separator > 0 && Number.isInteger(seq)) this.#emitter.emit(message.payload.slice(0, separator), seq);
    });
    client.on('error', () => this.#reconnect(client));
    client.on('end', () => this.#reconnect(client));
    await client.connect();
    await client.query(`listen ${channelName}`);
    this.#listener = client;
  }

  #reconnect(client: pg.Client): void {
    if (this.#closed || this.#listener !== client) return;
    this.#listener = null;
    client.removeAllListeners('end');
    void client.end().catch(() => {});
    this.#retry = setTimeout(() => {
      this.start()
        .then(() => {
          for (const tenantId of this.#emitter.eventNames()) this.#emitter.emit(tenantId, 0);
        })
        .catch(() => this.#reconnect(new pg.Client(this.#connectionConfig)));
    }, 500);
    this.#retry.unref();
  }

  notify(tenantId: string, seq: number): void {
    // Local subscribers at once; other instances through PostgreSQL (this instance hears its own notice too: a harmless extra read).
    this.#emitter.emit(tenantId, seq);
    this.#pool.query('select pg_notify($1, $2)', [channelName, `${tenantId}:${seq}`]).catch(() => {});
  }

  subscribe(tenantId: string, listener: (seq: number) => void): () => void {
    this.#emitter.on(tenantId, listener);
    return () => this.#emitter.off(tenantId, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    const listener = this.#listener;
    this.#listener = null;
    await listener?.end().catch(() => {});
  }
}
