import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Which database the relay tests use. `ARES_TEST_DATABASE_URL` says where a throwaway PostgreSQL
 * is (scripts/start-test-postgres.sh prints it); `ARES_TEST_RELAY_STORAGE=postgres` runs the whole
 * relay suite on it instead of SQLite. Each relay a test starts gets a fresh schema.
 */
export const postgresTestUrl: string | undefined = process.env.ARES_TEST_DATABASE_URL || undefined;
export const relaySuiteStorage: 'sqlite' | 'postgres' = process.env.ARES_TEST_RELAY_STORAGE === 'postgres' ? 'postgres' : 'sqlite';

const missingMessage =
  'PostgreSQL tests need ARES_TEST_DATABASE_URL (start one with: eval "$(sudo bash scripts/start-test-postgres.sh)"). Skipping them here.';

/**
 * For `describe.skipIf(!postgresAvailable())`: in CI a missing database is a failure, never a
 * silent skip; locally the tests skip with a message that says how to run them.
 */
export function postgresAvailable(): boolean {
  if (postgresTestUrl) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`CI=true but ${missingMessage.replace(' Skipping them here.', '')}`);
  console.warn(missingMessage);
  return false;
}

/** A URL for a new, empty schema in the test database (the relay creates the schema on start). */
export function freshPostgresUrl(base: string = requiredUrl(), stableName?: string): string {
  const url = new URL(base);
  // A relay restarted on the same data folder must find its data again: same folder, same schema.
  const suffix = stableName ? createHash('sha256').update(stableName).digest('hex').slice(0, 12) : randomBytes(6).toString('hex');
  url.searchParams.set('schema', `ares_test_${suffix}`);
  return url.toString();
}

function requiredUrl(): string {
  if (!postgresTestUrl) throw new Error(missingMessage);
  return postgresTestUrl;
}

/** The database URL for a relay of the relay suite: undefined (SQLite) unless the suite runs on PostgreSQL. */
export function relaySuiteDatabaseUrl(dataDirectory?: string): string | undefined {
  if (relaySuiteStorage !== 'postgres') return undefined;
  return freshPostgresUrl(requiredUrl(), dataDirectory);
}

export async function dropPostgresSchema(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema');
  if (!schema) return;
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Storage for in-process tests that build the relay log themselves (the sync simulation): SQLite in
 * `directory`, or a fresh PostgreSQL schema when the suite runs on PostgreSQL. Close it as usual;
 * the schema is dropped on close.
 */
export async function createRelaySuiteStorage(directory: string): Promise<import('../storage/relayStorage.js').RelayStorage> {
  const databaseUrl = relaySuiteDatabaseUrl(directory);
  if (!databaseUrl) {
    const { SqliteRelayStorage } = await import('../storage/sqliteRelayStorage.js');
    return new SqliteRelayStorage(directory);
  }
  const { openPostgresBackend } = await import('../storage/postgresBackend.js');
  const backend = await openPostgresBackend(databaseUrl);
  const storage = backend.storage;
  const close = storage.close.bind(storage);
  storage.close = async () => {
    // backend.close() calls storage.close(): put the real one back first, or it would call this one forever.
    storage.close = close;
    await backend.close().catch(() => close());
    await dropPostgresSchema(databaseUrl);
  };
  return storage;
}
