import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { EventBody, LoggedEvent } from '../../shared/schemas/sync.js';
import { indexPendingMessages } from '../inbox/conversationSearch.js';
import { inboxProjector } from '../inbox/index.js';
import { SyncStore } from '../sync/index.js';
import { applyMigrations } from '../vault/tenantDatabase.js';
import { tenantMigrations } from '../vault/migrations/index.js';

describe("a customer's edit or deletion on WhatsApp/Messenger", () => {
  it('rewrites the message it targets in its own conversation, in the timeline and the search index', () => {
    const database = new Database(':memory:');
    applyMigrations(database, tenantMigrations);
    const store = new SyncStore(database, inboxProjector);
    store.startAt({ epoch: 'e', seq: 0 });
    let seq = 0;
    const apply = (conversationId: string, body: EventBody) => {
      seq += 1;
      const event: LoggedEvent = { eventId: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`, conversationId, occurredAt: seq, acceptedAt: seq, seq, body };
      expect(store.applyPage({ kind: 'events', epoch: 'e', fromSeq: seq - 1, throughSeq: seq, headSeq: seq, events: [event] })).toBe('applied');
    };
    const customer = (messageId: string, text: string) => ({ type: 'customer.message', messageId, channel: 'whatsapp', customerLabel: 'Zoe', text }) as const;
    apply('wa-zoe', customer('wa:first', 'Do you deliver on Sunday?'));
    apply('wa-zoe', customer('wa:second', 'My address is 12 Quay Street'));
    apply('wa-ben', customer('wa:other', 'Do you deliver on Sunday too?'));

    apply('wa-zoe', { type: 'customer.edit', targetMessageId: 'wa:first', text: 'Do you deliver on Saturday?' });
    apply('wa-zoe', { type: 'customer.delete', targetMessageId: 'wa:second' });

    const textOf = (messageId: string) => (database.prepare('select text from inbox_messages where message_id = ?').get(messageId) as { text: string }).text;
    expect([textOf('wa:first'), textOf('wa:second'), textOf('wa:other')]).toEqual(['Do you deliver on Saturday?', '(deleted by the customer)', 'Do you deliver on Sunday too?']);
    // Customer messages the search finds (the edit also shows as a timeline line of its own); a search first indexes what waits.
    indexPendingMessages(database);
    const searched = (word: string) =>
      (
        database
          .prepare("select m.message_id as id from inbox_message_search s join inbox_messages m on m.rowid = s.rowid where inbox_message_search match ? and m.kind = 'customer' order by id")
          .all(word) as { id: string }[]
      ).map((row) => row.id);
    expect(searched('sunday')).toEqual(['wa:other']);
    expect(searched('saturday')).toEqual(['wa:first']);
    expect(searched('quay')).toEqual([]);
    database.close();
  });
});
