import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';
import { migration0205InboxReadMarks } from './0205_inboxReadMarks.js';

const customerMessage = (database: Database.Database, conversationId: string, messageId: string, seq: number) =>
  database.prepare("insert into inbox_messages values (?, ?, ?, ?, 'customer', 'Zoe', 'hello', ?, 'sent')").run(messageId, conversationId, `e-${messageId}`, seq, seq);
const unread = (database: Database.Database, conversationId: string) =>
  (database.prepare('select unread_count as count from inbox_unread where conversation_id = ?').get(conversationId) as { count: number } | undefined)?.count;

describe('migration 205 (inbox read marks)', () => {
  it('keeps what was read before it, counts only messages after the mark, and forgets the mark with the conversation', () => {
    const database = new Database(':memory:');
    for (const migration of [migration0200Sync, migration0201Inbox, migration0202LiveInbox]) migration.up(database);
    for (const id of ['read', 'partly', 'unread']) database.prepare("insert into inbox_conversations values (?, '{}', 1)").run(id);
    for (const [index, id] of ['read', 'partly', 'unread'].entries()) {
      customerMessage(database, id, `${id}-1`, index * 10 + 1);
      customerMessage(database, id, `${id}-2`, index * 10 + 2);
      customerMessage(database, id, `${id}-3`, index * 10 + 3);
    }
    database.prepare("update inbox_unread set unread_count = 0 where conversation_id = 'read'").run();
    database.prepare("update inbox_unread set unread_count = 1 where conversation_id = 'partly'").run();
    migration0205InboxReadMarks.up(database);
    expect(database.prepare('select conversation_id as id, message_id as messageId from inbox_read_marks order by id').all()).toEqual([
      { id: 'partly', messageId: 'partly-2' },
      { id: 'read', messageId: 'read-3' },
    ]);

    // The projection rebuilt from the log (a resync): the same messages arrive again, in order.
    database.prepare('delete from inbox_messages').run();
    database.prepare('delete from inbox_unread').run();
    for (const [index, id] of ['read', 'partly', 'unread'].entries()) {
      for (const number of [1, 2, 3]) customerMessage(database, id, `${id}-${number}`, 100 + index * 10 + number);
    }
    expect([unread(database, 'read'), unread(database, 'partly'), unread(database, 'unread')]).toEqual([0, 1, 3]);
    customerMessage(database, 'read', 'read-4', 200);
    expect(unread(database, 'read')).toBe(1);

    database.prepare("delete from inbox_conversations where conversation_id = 'partly'").run();
    expect(database.prepare('select conversation_id as id from inbox_read_marks').all()).toEqual([{ id: 'read' }]);
    database.close();
  });
});
