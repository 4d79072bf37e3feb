import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationEvent, LoggedEvent } from '../../shared/schemas/sync.js';
import { inboxProjector } from '../inbox/index.js';
import { openTenantDatabase, type TenantDatabase } from '../vault/tenantDatabase.js';
import { temporaryDirectory } from '../vault/testSupport.js';
import { SyncStore } from './syncStore.js';
import type { SyncProjector } from './syncProjector.js';

const full = 2;
const normal = 1;
const synchronousOf = (database: TenantDatabase) => database.pragma('synchronous', { simple: true });

let folder: Awaited<ReturnType<typeof temporaryDirectory>>;
let database: TenantDatabase;
beforeEach(async () => {
  folder = await temporaryDirectory('ares-sync-durability-');
  database = openTenantDatabase(folder.path, randomBytes(32));
});
afterEach(async () => {
  database.close();
  await folder.remove();
});

const customerMessage = (seq: number, text: string): LoggedEvent => ({
  eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  conversationId: 'web:conversation-1',
  occurredAt: seq,
  acceptedAt: seq,
  seq,
  body: { type: 'customer.message', messageId: `message-${seq}`, channel: 'web', customerLabel: 'Zoe', text },
});
const page = (events: LoggedEvent[]) => ({ kind: 'events' as const, epoch: 'epoch-1', fromSeq: events[0]!.seq - 1, throughSeq: events.at(-1)!.seq, headSeq: events.at(-1)!.seq, events });

/** The inbox projector, noting how the connection would commit while each event is applied. */
function observingProjector(seen: number[], failOn?: string): SyncProjector {
  return {
    ...inboxProjector,
    applyConfirmed(db, event) {
      seen.push(synchronousOf(db) as number);
      if (event.body.type === 'customer.message' && event.body.text === failOn) throw new Error('projection failed');
      inboxProjector.applyConfirmed(db, event);
    },
    applyLocal(db, event) {
      seen.push(synchronousOf(db) as number);
      inboxProjector.applyLocal(db, event);
    },
  };
}

describe('how the tenant database commits', () => {
  it('waits for the disk on every change made on this desktop (macOS: F_FULLFSYNC too)', () => {
    expect(synchronousOf(database)).toBe(full);
    expect(database.pragma('fullfsync', { simple: true })).toBe(1);
  });

  it('applies pages of the relay log without waiting for the disk, then goes back to waiting', () => {
    const seen: number[] = [];
    const store = new SyncStore(database, observingProjector(seen));
    store.startAt({ epoch: 'epoch-1', seq: 0 });
    expect(store.applyPage(page([customerMessage(1, 'hello'), customerMessage(2, 'are you open?')]))).toBe('applied');
    expect(seen).toEqual([normal, normal]);
    expect(synchronousOf(database)).toBe(full);
    expect(store.applyPage(page([customerMessage(3, 'until when?')]))).toBe('applied');
    expect(seen).toEqual([normal, normal, normal]);
    expect(synchronousOf(database)).toBe(full);

    const reply: ConversationEvent = { eventId: '00000000-0000-4000-8000-0000000000aa', conversationId: 'web:conversation-1', occurredAt: 3, body: { type: 'staff.message', messageId: 'reply-1', authorName: 'Ann', text: 'Yes, until six.' } };
    store.recordLocal(reply);
    expect(seen.at(-1)).toBe(full);
  });

  it('goes back to waiting for the disk when a page fails, and keeps nothing of that page', () => {
    const seen: number[] = [];
    const store = new SyncStore(database, observingProjector(seen, 'breaks'));
    store.startAt({ epoch: 'epoch-1', seq: 0 });
    expect(() => store.applyPage(page([customerMessage(1, 'fine'), customerMessage(2, 'breaks')]))).toThrow('projection failed');
    expect(synchronousOf(database)).toBe(full);
    expect(store.cursor()).toEqual({ epoch: 'epoch-1', seq: 0 });
    expect(database.prepare('select count(*) as count from sync_events').get()).toEqual({ count: 0 });
  });
});
