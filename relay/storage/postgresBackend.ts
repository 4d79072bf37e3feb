import pg from 'pg';
import { PostgresChannelStore } from '../channels/postgresChannelStore.js';
import type { RelayBackend } from './relayBackend.js';
import { PostgresLogNotifier } from './postgresLogNotifier.js';
import { PostgresRelayStorage } from './postgresRelayStorage.js';
import { migratePostgres } from './postgresSchema.js';

/**
 * Splits `?schema=NAME` off the URL (our own parameter): every connection then uses that schema,
 * which lets tests give each relay a fresh one in a shared database.
 */
export function postgresConnection(databaseUrl: string): { config: pg.ClientConfig; schema: string | null } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('The schema in DATABASE_URL must be a lowercase identifier.');
  return { config: { connectionString: url.toString(), ...(schema ? { options: `-c search_path=${schema}` } : {}) }, schema };
}

export async function openPostgresBackend(databaseUrl: string): Promise<RelayBackend> {
  const { config, schema } = postgresConnection(databaseUrl);
  if (schema) {
    const setup = new pg.Client({ connectionString: config.connectionString! });
    await setup.connect();
    try {
      await setup.query(`create schema if not exists ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({ ...config, max: 10 });
  // An idle client that loses its server emits here; without a listener it would crash the process.
  pool.on('error', () => {});
  await migratePostgres(pool);
  const storage = new PostgresRelayStorage(pool);
  const notifier = new PostgresLogNotifier(pool, config);
  await notifier.start();
  return {
    storage,
    notifier,
    channelStore: new PostgresChannelStore(pool),
    async close() {
      await notifier.close();
      await storage.close();
    },
  };
}
