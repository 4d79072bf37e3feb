import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../shared/schemas/sync.js';
import { inboxProjector } from '../inbox/index.js';
import { openTenantDatabase, type TenantDatabase } from '../vault/tenantDatabase.js';
import { temporaryDirectory } from '../vault/testSupport.js';
import { SyncStore } from './syncStore.js';

let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
let database: TenantDatabase;
let clock: number;
let store: SyncStore;
beforeEach(async () => {
  folder = await temporaryDirectory('ares-sync-store-');
  database = openTenantDatabase(folder.path, randomBytes(32));
  clock = 1_000;
  store = new SyncStore(database, inboxProjector, () => clock);
  store.startAt({ epoch: 'epoch-1', seq: 0 });
});
afterEach(async () => {
  database.close();
  await folder.remove();
});

const hello: LoggedEvent = {
  eventId: '00000000-0000-4000-8000-000000000001',
  conversationId: 'web:conversation-1',
  occurredAt: 1,
  acceptedAt: 1,
  seq: 1,
  body: { type: 'customer.message', messageId: 'message-1', channel: 'web', customerLabel: 'Zoe', text: 'hello' },
};

describe('when this desktop last synced', () => {
  it('is when it last learned it had everything the relay has, new events or not', () => {
    expect(store.lastSyncedAt()).toBeNull();
    // A relay with an empty log: nothing to apply, and the desktop is in step.
    expect(store.applyPage({ kind: 'events', epoch: 'epoch-1', fromSeq: 0, throughSeq: 0, headSeq: 0, events: [] })).toBe('applied');
    expect(store.lastSyncedAt()).toBe(1_000);

    clock = 2_000;
    store.applyPage({ kind: 'events', epoch: 'epoch-1', fromSeq: 0, throughSeq: 1, headSeq: 1, events: [hello] });
    expect(store.lastSyncedAt()).toBe(2_000);

    // A page seen before while the relay has more: not in step yet, so the time stays.
    clock = 3_000;
    store.applyPage({ kind: 'events', epoch: 'epoch-1', fromSeq: 0, throughSeq: 1, headSeq: 5, events: [hello] });
    expect(store.lastSyncedAt()).toBe(2_000);
    expect(store.cursor()).toEqual({ epoch: 'epoch-1', seq: 1 });
  });
});
