import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';

function migrated() {
  const database = new Database(':memory:');
  for (const migration of [migration0200Sync, migration0201Inbox]) migration.up(database);
  database.prepare(`insert into inbox_conversations values ('old', '{"status":"resolved","holder":null,"channel":"web","customerLabel":"Early bird"}', 1)`).run();
  database.prepare("insert into inbox_messages values ('m0', 'old', 'e0', 1, 'customer', 'Early bird', 'croissant before the upgrade', 1, 'sent')").run();
  migration0202LiveInbox.up(database);
  return database;
}

describe('migration 202 (live inbox)', () => {
  it('derives filterable columns from the conversation state and indexes rows written before it', () => {
    const database = migrated();
    database.prepare(`insert into inbox_conversations values ('c', '{"status":"human","holder":"Ann","channel":"whatsapp","customerLabel":"Zoe"}', 2)`).run();
    expect(database.prepare('select conversation_id as id, status, holder, channel, customer_label as label from inbox_conversations order by id').all()).toEqual([
      { id: 'c', status: 'human', holder: 'Ann', channel: 'whatsapp', label: 'Zoe' },
      { id: 'old', status: 'resolved', holder: null, channel: 'web', label: 'Early bird' },
    ]);
    const search = (query: string) => database.prepare('select m.message_id as id from inbox_message_search s join inbox_messages m on m.rowid = s.rowid where inbox_message_search match ?').all(query);
    expect(search('croissant')).toEqual([{ id: 'm0' }]);
    database.prepare("insert into inbox_messages values ('m1', 'c', 'e1', 2, 'customer', 'Zoe', 'Où est ma commande?', 2, 'sent')").run();
    expect(search('commande')).toEqual([{ id: 'm1' }]);
    database.prepare("update inbox_messages set text = 'deleted' where message_id = 'm1'").run();
    expect(search('commande')).toEqual([]);
    database.close();
  });

  it('counts unread customer messages per conversation and forgets them with the conversation', () => {
    const database = migrated();
    database.prepare("insert into inbox_messages values ('m1', 'old', 'e1', 2, 'customer', 'x', 'again', 2, 'sent')").run();
    database.prepare("insert into inbox_messages values ('m2', 'old', 'e2', 3, 'staff', 'Ann', 'hi', 3, 'sent')").run();
    expect(database.prepare("select unread_count as count from inbox_unread where conversation_id = 'old'").get()).toEqual({ count: 2 });
    database.prepare("delete from inbox_conversations where conversation_id = 'old'").run();
    expect(database.prepare('select count(*) as count from inbox_unread').get()).toEqual({ count: 0 });
    database.close();
  });

  it('folds delivery statuses forward only, letting a retried failure succeed', () => {
    const database = migrated();
    let seq = 10;
    const status = (status: string, reason?: string) =>
      database
        .prepare("insert into sync_events values (?, 'c', ?, 'applied', 0, ?)")
        .run(`s${seq}`, seq, JSON.stringify({ eventId: `s${seq}`, seq: seq++, acceptedAt: seq, body: { type: 'message.status', targetMessageId: 'staff:1', status, ...(reason ? { reason } : {}) } }));
    const current = () => database.prepare("select status, reason from inbox_delivery where message_id = 'staff:1'").get();
    status('sent');
    status('read');
    status('delivered');
    expect(current()).toEqual({ status: 'read', reason: null });
    database.prepare('delete from inbox_delivery').run();
    status('failed', 'Re-engagement window closed');
    expect(current()).toEqual({ status: 'failed', reason: 'Re-engagement window closed' });
    status('sent');
    expect(current()).toEqual({ status: 'sent', reason: null });
    expect(() => database.prepare("insert into inbox_saved_replies (shortcut, text, updated_at) values ('Hours', 'a', 1), ('hours', 'b', 1)").run()).toThrow(/UNIQUE/);
    database.close();
  });
});
