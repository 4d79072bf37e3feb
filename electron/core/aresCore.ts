import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import type { SessionState } from '../../shared/schemas/tenant.js';
import { readSetting, Vault, writeSetting, type Keychain, type TenantSession } from '../vault/index.js';

export interface AresCoreOptions {
  dataDirectory: string;
  keychain?: Keychain;
  /** Lower KDF cost for tests only; production uses the vault's defaults. */
  kdfParameters?: { N: number; r: number; p: number };
  now?: () => number;
  /** How often the idle lock is checked. */
  idleCheckIntervalMilliseconds?: number;
}

export type LockReason = 'user' | 'idle' | 'system' | 'deleted' | 'switched';

const defaultIdleLockMinutes = 15;
const idleLockSetting = 'vault.idleLockMinutes';

/**
 * The desktop core: one vault and at most one unlocked tenant. Electron, web mode, the CLI and
 * the tests all reach it only through the tRPC router built on it.
 */
export class AresCore {
  readonly vault: Vault;
  readonly #events = new EventEmitter();
  readonly #now: () => number;
  #session: TenantSession | null = null;
  #lastActivityAt = 0;
  #idleTimer: NodeJS.Timeout | null = null;

  constructor(options: AresCoreOptions) {
    const vaultOptions = {
      dataDirectory: options.dataDirectory,
      ...(options.keychain ? { keychain: options.keychain } : {}),
      ...(options.kdfParameters ? { kdfParameters: options.kdfParameters } : {}),
      ...(options.now ? { now: options.now } : {}),
    };
    this.vault = new Vault(vaultOptions);
    this.#now = options.now ?? Date.now;
    this.#events.setMaxListeners(100);
    const interval = options.idleCheckIntervalMilliseconds ?? 10_000;
    this.#idleTimer = setInterval(() => void this.#lockIfIdle(), interval);
    this.#idleTimer.unref();
  }

  get session(): TenantSession | null {
    return this.#session;
  }

  requireSession(): TenantSession {
    if (!this.#session || this.#session.closed) throw new AresError('TENANT_LOCKED');
    return this.#session;
  }

  /** Any API call counts as activity for the idle lock. */
  touch(): void {
    this.#lastActivityAt = this.#now();
  }

  async createTenant(name: string, passphrase: string): Promise<void> {
    const session = await this.vault.create(name, passphrase);
    await this.#replaceSession(session);
  }

  async unlock(name: string, passphrase: string): Promise<void> {
    const session = await this.vault.unlock(name, passphrase);
    await this.#replaceSession(session);
  }

  async unlockRemembered(name: string): Promise<void> {
    const session = await this.vault.unlockRemembered(name);
    await this.#replaceSession(session);
  }

  async lock(reason: LockReason = 'user'): Promise<void> {
    const session = this.#session;
    if (!session) return;
    this.#session = null;
    await session.close();
    this.#events.emit('state', { reason });
  }

  async deleteTenant(name: string, confirmName: string, passphrase: string): Promise<void> {
    // The open tenant is locked only after the passphrase checked out, so a typo does not lock it.
    await this.vault.delete(name, confirmName, passphrase, async (tenantId) => {
      if (this.#session?.tenantId === tenantId) await this.lock('deleted');
    });
  }

  idleLockMinutes(): number {
    return readSetting(this.requireSession().database, idleLockSetting, z.number().int().positive(), defaultIdleLockMinutes);
  }

  setIdleLockMinutes(minutes: number): void {
    writeSetting(this.requireSession().database, idleLockSetting, minutes);
  }

  async state(): Promise<SessionState> {
    const session = this.#session;
    if (!session || session.closed) return { unlocked: false };
    return {
      unlocked: true,
      tenantName: session.tenantName,
      idleLockMinutes: this.idleLockMinutes(),
      rememberedOnDevice: await this.vault.isRemembered(session.tenantId),
    };
  }

  /** Calls `listener` on every lock or unlock; returns the function that stops listening. */
  onStateChange(listener: (change: { reason: LockReason | 'unlocked' }) => void): () => void {
    this.#events.on('state', listener);
    return () => this.#events.off('state', listener);
  }

  async dispose(): Promise<void> {
    if (this.#idleTimer) clearInterval(this.#idleTimer);
    this.#idleTimer = null;
    await this.lock('system');
  }

  async #replaceSession(session: TenantSession): Promise<void> {
    if (this.#session) await this.lock('switched');
    this.#session = session;
    this.touch();
    this.#events.emit('state', { reason: 'unlocked' });
  }

  async #lockIfIdle(): Promise<void> {
    if (!this.#session) return;
    const idleMilliseconds = this.idleLockMinutes() * 60_000;
    if (this.#now() - this.#lastActivityAt >= idleMilliseconds) await this.lock('idle');
  }

  /** For tests with a fake clock: run the idle check now. */
  async checkIdleLock(): Promise<void> {
    await this.#lockIfIdle();
  }
}
