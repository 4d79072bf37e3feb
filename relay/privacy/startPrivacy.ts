import type { RelayConfig } from '../relayConfig.js';
import type { RelayServices } from '../relayServices.js';
import type { RelayStorage } from '../storage/relayStorage.js';
import { hashSecret } from '../accounts/secretTokens.js';
import type { RelayPrivacyStore } from './privacyStore.js';
import { attachRelayPrivacy, RelayPrivacy } from './relayPrivacy.js';
import { SqlitePrivacyStore } from './sqlitePrivacyStore.js';

/** The privacy store beside the relay's storage: PostgreSQL shares its pool, SQLite opens the same files. */
export async function openPrivacyStore(storage: RelayStorage, dataDirectory: string): Promise<RelayPrivacyStore> {
  if (storage.kind === 'postgres') {
    const { PostgresPrivacyStore } = await import('./postgresPrivacyStore.js');
    return PostgresPrivacyStore.open((storage as unknown as { pool: import('pg').Pool }).pool);
  }
  return new SqlitePrivacyStore(dataDirectory);
}

/** Starts the privacy jobs of a relay process; the returned function stops them and closes the store. */
export async function startRelayPrivacy(services: RelayServices, config: Pick<RelayConfig, 'dataDir' | 'privacyCheckSeconds'>): Promise<{ privacy: RelayPrivacy; stop: () => Promise<void> }> {
  const store = await openPrivacyStore(services.storage, config.dataDir);
  const privacy = new RelayPrivacy({ services, store });
  attachRelayPrivacy(services, privacy);
  // A closed account's devices are told so, instead of "signed out".
  services.accounts.closedAccountLookup = async (token) => (await store.closedDevice(hashSecret(token))) !== null;
  const stopSchedule = privacy.start(config.privacyCheckSeconds * 1000);
  return {
    privacy,
    async stop() {
      stopSchedule();
      await privacy.idle().catch(() => {});
      await store.close();
    },
  };
}
