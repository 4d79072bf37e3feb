import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { AresError } from '../../shared/errors.js';
import type { SignedIn } from '../../shared/schemas/relayAccounts.js';
import type { RelayStatus } from '../../shared/schemas/relaySync.js';
import type { ConversationEvent, LeaseState } from '../../shared/schemas/sync.js';
import type { SessionService, TenantSession } from '../vault/index.js';
import { parseRelayUrl } from './relayAddress.js';
import { realScheduler, type RelayTransport, type Scheduler } from './relayTransport.js';
import { SyncEngine } from './syncEngine.js';
import type { SyncProjector } from './syncProjector.js';
import { SyncStore, type RelayConnection } from './syncStore.js';
import { registerAtRelay, signInAtRelay, signOutAtRelay, TrpcRelayTransport } from './trpcRelayTransport.js';

export interface SyncServiceOptions {
  projector: SyncProjector;
  scheduler?: Scheduler;
  createTransport?: (connection: RelayConnection) => RelayTransport;
}

let lastRevision = 0;

/**
 * The next status revision (see relayStatusSchema): increasing across every service of this process
 * (lock and unlock make a new one) and, being at least the clock, across restarts of web mode.
 */
function nextRevision(): number {
  lastRevision = Math.max(lastRevision + 1, Date.now());
  return lastRevision;
}

export function widgetSnippet(relayUrl: string, widgetKey: string): string {
  return `<script src="${relayUrl}/widget.js" data-ares-widget="${widgetKey}" async></script>`;
}

/**
 * Sync for one unlocked tenant: lives as a session service, so locking the tenant stops it and
 * drops the connection. Credentials (relay URL, device token) live only in the encrypted database.
 */
export class SyncService implements SessionService {
  readonly store: SyncStore;
  readonly #scheduler: Scheduler;
  readonly #createTransport: (connection: RelayConnection) => RelayTransport;
  readonly #events = new EventEmitter();
  #engine: SyncEngine | null = null;
  #revision = nextRevision();

  constructor(session: TenantSession, options: SyncServiceOptions) {
    this.#scheduler = options.scheduler ?? realScheduler;
    this.store = new SyncStore(session.database, options.projector, () => this.#scheduler.now());
    this.#createTransport = options.createTransport ?? ((connection) => new TrpcRelayTransport(connection.relayUrl, connection.deviceToken));
    this.#events.setMaxListeners(100);
  }

  /** Starts syncing if this tenant is connected to a relay. */
  start(): void {
    const connection = this.store.connection();
    if (!connection || this.#engine) return;
    this.#engine = new SyncEngine({ store: this.store, transport: this.#createTransport(connection), scheduler: this.#scheduler, onChange: () => this.#changed() });
    this.#engine.start();
  }

  get engine(): SyncEngine | null {
    return this.#engine;
  }

  async connect(input: { relayUrl: string; email: string; password: string; deviceName?: string | undefined }): Promise<RelayStatus> {
    const relayUrl = parseRelayUrl(input.relayUrl);
    const signedIn = await signInAtRelay(relayUrl, { email: input.email, password: input.password, deviceName: input.deviceName ?? hostname() });
    return this.#connected(relayUrl, signedIn);
  }

  async register(input: { relayUrl: string; businessName: string; ownerName: string; email: string; password: string; deviceName?: string | undefined }): Promise<RelayStatus> {
    const relayUrl = parseRelayUrl(input.relayUrl);
    const signedIn = await registerAtRelay(relayUrl, {
      businessName: input.businessName,
      ownerName: input.ownerName,
      email: input.email,
      password: input.password,
      deviceName: input.deviceName ?? hostname(),
    });
    return this.#connected(relayUrl, signedIn);
  }

  /** Connects with a sign-in made elsewhere (an accepted staff invitation, see electron/relayTeam). */
  adopt(relayUrl: string, signedIn: SignedIn): RelayStatus {
    return this.#connected(parseRelayUrl(relayUrl), signedIn);
  }

  #connected(relayUrl: string, signedIn: SignedIn): RelayStatus {
    this.#stopEngine();
    const previous = this.store.connection();
    this.store.saveConnection({
      relayUrl,
      deviceToken: signedIn.deviceToken,
      deviceId: signedIn.deviceId,
      tenantId: signedIn.tenantId,
      tenantName: signedIn.tenantName,
      operatorName: signedIn.operatorName,
      role: signedIn.role,
      widgetKey: signedIn.widgetKey,
      connectedAt: this.#scheduler.now(),
    });
    if (previous && previous.tenantId !== signedIn.tenantId) this.store.database.prepare('delete from sync_cursor').run();
    this.start();
    this.#changed();
    return this.status();
  }

  /** Signs this device out at the relay (best effort: it may be unreachable) and forgets the credentials. */
  async disconnect(): Promise<RelayStatus> {
    const connection = this.store.connection();
    this.#stopEngine();
    if (connection) await signOutAtRelay(connection.relayUrl, connection.deviceToken).catch(() => {});
    this.store.clearConnection();
    this.#changed();
    return this.status();
  }

  status(): RelayStatus {
    const connection = this.store.connection();
    if (!connection) return { connected: false, pendingOutbox: this.store.pendingCount(), revision: this.#revision };
    const sync = this.#engine?.status() ?? {
      state: 'offline' as const,
      pendingOutbox: this.store.pendingCount(),
      lastSyncedAt: this.store.lastSyncedAt(),
      cursor: this.store.cursor(),
      lastError: 'Sync is not running: the tenant is being locked or the app is closing.',
      catchUp: null,
    };
    return {
      connected: true,
      revision: this.#revision,
      relayUrl: connection.relayUrl,
      tenantName: connection.tenantName,
      operatorName: connection.operatorName,
      role: connection.role,
      widgetSnippet: widgetSnippet(connection.relayUrl, connection.widgetKey),
      sync,
    };
  }

  /** The name staff changes are signed with (the relay stamps the authenticated one anyway). */
  staffName(): string {
    return this.store.connection()?.operatorName ?? 'Staff';
  }

  /** Writes a local change with its outbox entry, then lets the engine push it. */
  record(event: ConversationEvent): void {
    this.store.recordLocal(event);
    this.#changed();
    this.#engine?.kick();
  }

  async syncNow(): Promise<RelayStatus> {
    if (!this.#engine) throw new AresError('RELAY_UNREACHABLE', 'This tenant is not connected to a relay.');
    await this.#engine.syncNow();
    return this.status();
  }

  async acquireAgentLease(ttlSeconds = 60): Promise<LeaseState> {
    const connection = this.store.connection();
    if (!connection) throw new AresError('RELAY_UNREACHABLE', 'This tenant is not connected to a relay.');
    const transport = this.#createTransport(connection);
    try {
      return await transport.acquireLease(ttlSeconds);
    } finally {
      transport.close();
    }
  }

  /**
   * Gives the agent lease back so another desktop runs the agent at once instead of after the
   * lease expires. Best effort and bounded: locking or quitting must not wait on an unreachable relay.
   * The connection is read before the first await, while the tenant database is still open.
   */
  async releaseAgentLease(timeoutMilliseconds = 2_000): Promise<boolean> {
    const connection = this.store.connection();
    if (!connection) return false;
    const transport = this.#createTransport(connection);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMilliseconds)));
    try {
      return await Promise.race([transport.releaseLease().then(() => true), timedOut]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      transport.close();
    }
  }

  onChange(listener: () => void): () => void {
    this.#events.on('change', listener);
    return () => this.#events.off('change', listener);
  }

  #changed(): void {
    this.#revision = nextRevision();
    this.#events.emit('change');
  }

  #stopEngine(): void {
    this.#engine?.stop();
    this.#engine = null;
  }

  dispose(): void {
    this.#stopEngine();
    this.#events.removeAllListeners();
  }
}
