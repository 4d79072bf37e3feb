import type { ChannelStore } from '../channels/channelStore.js';
import { SqliteChannelStore } from '../channels/sqliteChannelStore.js';
import type { LogNotifier } from '../sync/logNotifier.js';
import type { RelayStorage } from './relayStorage.js';
import { SqliteRelayStorage } from './sqliteRelayStorage.js';
import type { SqliteSynchronous } from './sqliteSynchronous.js';

export interface RelayBackend {
  storage: RelayStorage;
  /** Set for PostgreSQL: LISTEN/NOTIFY wakes every instance. SQLite wakes subscribers in memory. */
  notifier?: LogNotifier;
  channelStore: ChannelStore;
  close(): Promise<void>;
}

/** SQLite in the data folder by default; `DATABASE_URL=postgres://…` switches everything to PostgreSQL. */
export async function openRelayBackend(options: { dataDir: string; databaseUrl?: string | undefined; sqliteSynchronous?: SqliteSynchronous }): Promise<RelayBackend> {
  if (options.databaseUrl) {
    const { openPostgresBackend } = await import('./postgresBackend.js');
    return openPostgresBackend(options.databaseUrl);
  }
  const synchronous = options.sqliteSynchronous ?? 'full';
  const storage = new SqliteRelayStorage(options.dataDir, { synchronous });
  const channelStore = new SqliteChannelStore(options.dataDir, { synchronous });
  return {
    storage,
    channelStore,
    async close() {
      await storage.close();
    },
  };
}
