import type { TenantDatabase } from './tenantDatabase.js';

/** Something a domain keeps open while a tenant is unlocked (an index, a sync connection). */
export interface SessionService {
  dispose(): void | Promise<void>;
}

/**
 * An unlocked tenant: its open database and the services domains attach to it. Locking closes
 * the database, disposes every service and wipes the data key from memory.
 */
export class TenantSession {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly folder: string;
  readonly database: TenantDatabase;
  readonly #dataKey: Buffer;
  readonly #services = new Map<string, SessionService>();
  #closed = false;

  constructor(options: { tenantId: string; tenantName: string; folder: string; database: TenantDatabase; dataKey: Buffer }) {
    this.tenantId = options.tenantId;
    this.tenantName = options.tenantName;
    this.folder = options.folder;
    this.database = options.database;
    this.#dataKey = options.dataKey;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The tenant's data key, for domains that encrypt files of their own (original documents).
   * Returned as a copy so a caller that wipes it does not break the session.
   */
  copyDataKey(): Buffer {
    if (this.#closed) throw new Error('session is closed');
    return Buffer.from(this.#dataKey);
  }

  /** Gets the service registered under `key`, creating it on first use. */
  service<T extends SessionService>(key: string, create: () => T): T {
    if (this.#closed) throw new Error('session is closed');
    let existing = this.#services.get(key);
    if (!existing) {
      existing = create();
      this.#services.set(key, existing);
    }
    return existing as T;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const service of [...this.#services.values()].reverse()) {
      try {
        await service.dispose();
      } catch (error) {
        console.error('TenantSession.close: a service failed to dispose', error instanceof Error ? error.message : error);
      }
    }
    this.#services.clear();
    this.database.close();
    this.#dataKey.fill(0);
  }
}
