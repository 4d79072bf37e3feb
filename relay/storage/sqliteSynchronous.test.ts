import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteChannelStore } from '../channels/sqliteChannelStore.js';
import { loadRelayConfig } from '../relayConfig.js';
import { openRelayBackend } from './relayBackend.js';
import type { SqliteRelayStorage } from './sqliteRelayStorage.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ares-relay-synchronous-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function openedWith(environment: NodeJS.ProcessEnv) {
  const backend = await openRelayBackend(loadRelayConfig({}, { RELAY_DATA_DIR: directory, ...environment }));
  const storage = backend.storage as SqliteRelayStorage;
  const channelStore = backend.channelStore as SqliteChannelStore;
  const modes = { log: storage.synchronous(), channels: channelStore.synchronous() };
  await channelStore.close();
  await backend.close();
  return modes;
}

describe('how the SQLite relay commits', () => {
  it('syncs every commit to disk unless told otherwise, for the log and for the channel store', async () => {
    expect(await openedWith({})).toEqual({ log: 'full', channels: 'full' });
  });

  it('commits without syncing when RELAY_SQLITE_SYNCHRONOUS=normal', async () => {
    expect(await openedWith({ RELAY_SQLITE_SYNCHRONOUS: 'normal' })).toEqual({ log: 'normal', channels: 'normal' });
  });

  it('refuses any other value with a message naming the setting', () => {
    expect(() => loadRelayConfig({}, { RELAY_SQLITE_SYNCHRONOUS: 'off' })).toThrow('RELAY_SQLITE_SYNCHRONOUS (sqliteSynchronous): must be full or normal');
  });
});
