import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { fullTextQuery } from '../../inbox/conversationSearch.js';
import { tenantMigrations } from './index.js';
import { migration0209InboxMessagesByLogOrder } from './0209_inboxMessagesByLogOrder.js';

const customerMessage = (database: Database.Database, conversationId: string, messageId: string, seq: number, text: string) =>
  database
    .prepare("insert or ignore into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values (?, ?, ?, ?, 'customer', 'Zoe', ?, ?, 'sent')")
    .run(messageId, conversationId, `e-${messageId}`, seq, text, seq);
const found = (database: Database.Database, typed: string) =>
  (
    database
      .prepare('select m.message_id as id from inbox_message_search s join inbox_messages m on m.rowid = s.rowid where inbox_message_search match ? order by m.message_id')
      .all(fullTextQuery(typed)) as { id: string }[]
  ).map((row) => row.id);
const unread = (database: Database.Database, conversationId: string) =>
  (database.prepare('select unread_count as count from inbox_unread where conversation_id = ?').get(conversationId) as { count: number }).count;
const searchIndexIsConsistent = (database: Database.Database) =>
  database.prepare("insert into inbox_message_search (inbox_message_search, rank) values ('integrity-check', 1)").run();

describe('migration 209 (inbox messages by log order)', () => {
  it('drops the index by message id and keeps every message, its search entry, the unread count and the triggers', () => {
    const database = new Database(':memory:');
    // As on a database made before it: every earlier migration applied, the agent and privacy ones included.
    for (const migration of tenantMigrations.filter((migration) => migration.version < 209 || migration.version >= 300)) migration.up(database);
    for (const id of ['ann', 'bo']) database.prepare("insert into inbox_conversations values (?, '{}', 1)").run(id);
    customerMessage(database, 'ann', 'wa:zz', 1, 'Is the Café open on Sunday?');
    customerMessage(database, 'ann', 'wa:aa', 2, 'And on Monday?');
    customerMessage(database, 'bo', 'web:mm', 3, 'call me on zanzibarphone 5551234');
    database.prepare("insert into inbox_read_marks values ('bo', 'web:later', 5)").run();
    const rowsBefore = database.prepare('select rowid, * from inbox_messages order by rowid').all();

    migration0209InboxMessagesByLogOrder.up(database);

    expect(database.prepare('select rowid, * from inbox_messages order by rowid').all()).toEqual(rowsBefore);
    const indexes = database.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'inbox_messages' order by name").all();
    expect(indexes).toEqual([{ name: 'inbox_messages_conversation' }, { name: 'sqlite_autoindex_inbox_messages_1' }]);
    expect(database.prepare("select name from pragma_index_info('sqlite_autoindex_inbox_messages_1')").all()).toEqual([{ name: 'event_id' }]);
    searchIndexIsConsistent(database);
    expect(found(database, 'cafe')).toEqual(['wa:zz']);

    // New messages: indexed for search, counted unread (the read mark still resets the count), and an event applies once.
    customerMessage(database, 'ann', 'wa:bb', 4, 'Sunday brunch?');
    expect(found(database, 'sund')).toEqual(['wa:bb', 'wa:zz']);
    expect(unread(database, 'ann')).toBe(3);
    customerMessage(database, 'bo', 'web:later', 5, 'read already');
    expect(unread(database, 'bo')).toBe(0);
    expect(customerMessage(database, 'bo', 'web:later', 5, 'read already').changes).toBe(0);

    // Edits and erasure still reach the search index, leaving no word of an erased message behind.
    database.prepare("update inbox_messages set text = 'Opening hours on Tuesday?' where conversation_id = 'ann' and message_id = 'wa:aa'").run();
    expect(found(database, 'monday')).toEqual([]);
    expect(found(database, 'tuesday')).toEqual(['wa:aa']);
    database.prepare("delete from inbox_messages where conversation_id = 'bo'").run();
    const blocks = database.prepare('select block from inbox_message_search_data').all() as { block: Buffer }[];
    expect(blocks.some((row) => Buffer.from(row.block).toString('latin1').includes('zanzibar'))).toBe(false);
    searchIndexIsConsistent(database);

    database.close();
  });
});
