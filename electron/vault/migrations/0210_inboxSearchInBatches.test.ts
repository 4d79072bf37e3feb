import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { fullTextQuery, indexPendingMessages } from '../../inbox/conversationSearch.js';
import { tenantMigrations } from './index.js';
import { migration0210InboxSearchInBatches, searchBatchSize } from './0210_inboxSearchInBatches.js';

let nextSeq = 1;
const addMessage = (database: Database.Database, conversationId: string, messageId: string, text: string) => {
  const seq = nextSeq++;
  database
    .prepare("insert into inbox_messages (message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery) values (?, ?, ?, ?, 'customer', 'Zoe', ?, ?, 'sent')")
    .run(messageId, conversationId, `e-${messageId}-${seq}`, seq, text, seq);
};
/** What the index holds now, without indexing what waits (as a search would first). */
const indexed = (database: Database.Database, typed: string) =>
  (
    database
      .prepare('select m.message_id as id from inbox_message_search s join inbox_messages m on m.rowid = s.rowid where inbox_message_search match ? order by m.message_id')
      .all(fullTextQuery(typed)) as { id: string }[]
  ).map((row) => row.id);
const waiting = (database: Database.Database) => (database.prepare('select count(*) as count from inbox_search_pending').get() as { count: number }).count;
/** Throws when the index and the messages disagree (FTS5 compares them itself). */
const checkIndex = (database: Database.Database) => database.prepare("insert into inbox_message_search (inbox_message_search, rank) values ('integrity-check', 1)").run();
const indexBytesInclude = (database: Database.Database, word: string) =>
  (database.prepare('select block from inbox_message_search_data').all() as { block: Buffer }[]).some((row) => Buffer.from(row.block).toString('latin1').includes(word));

function databaseBefore210(): Database.Database {
  const database = new Database(':memory:');
  for (const migration of tenantMigrations.filter((migration) => migration.version < 210 || migration.version >= 300)) migration.up(database);
  database.prepare("insert into inbox_conversations values ('ann', '{}', 1)").run();
  return database;
}

describe('migration 210 (inbox search in batches)', () => {
  it('keeps what was indexed before it, and indexes new messages a batch at a time or when a search asks', () => {
    const database = databaseBefore210();
    addMessage(database, 'ann', 'old', 'Is the Café open on Sunday?');
    migration0210InboxSearchInBatches.up(database);
    expect(indexed(database, 'cafe')).toEqual(['old']);

    addMessage(database, 'ann', 'new', 'Sunday brunch?');
    expect(waiting(database)).toBe(1);
    expect(indexed(database, 'brunch')).toEqual([]);
    indexPendingMessages(database);
    expect(waiting(database)).toBe(0);
    expect(indexed(database, 'sund')).toEqual(['new', 'old']);

    for (let index = 0; index < searchBatchSize - 1; index += 1) addMessage(database, 'ann', `m${index}`, `batch message ${index}`);
    expect(waiting(database)).toBe(searchBatchSize - 1);
    addMessage(database, 'ann', 'last', 'batch message last');
    expect(waiting(database)).toBe(0);
    expect(indexed(database, 'batch')).toHaveLength(searchBatchSize);
    checkIndex(database);
    database.close();
  });

  it('edits and deletes waiting and indexed messages without corrupting the index or keeping an erased word', () => {
    const database = databaseBefore210();
    migration0210InboxSearchInBatches.up(database);
    addMessage(database, 'ann', 'indexed', 'call me on zanzibarphone');
    indexPendingMessages(database);
    addMessage(database, 'ann', 'waiting', 'my order number is quokka77');
    addMessage(database, 'ann', 'edited', 'Monday please');

    database.prepare("update inbox_messages set text = 'Tuesday please' where message_id = 'edited'").run();
    database.prepare("update inbox_messages set text = 'call me on the landline' where message_id = 'indexed'").run();
    database.prepare("delete from inbox_messages where message_id = 'waiting'").run();
    // (FTS5's own check compares the index with every message, so it runs once nothing waits.)
    indexPendingMessages(database);
    checkIndex(database);
    expect(indexed(database, 'monday')).toEqual([]);
    expect(indexed(database, 'tuesday')).toEqual(['edited']);
    expect(indexed(database, 'quokka77')).toEqual([]);
    expect(indexed(database, 'landline')).toEqual(['indexed']);
    expect(indexBytesInclude(database, 'zanzibar')).toBe(false);

    database.prepare("delete from inbox_messages where message_id = 'edited'").run();
    expect(indexBytesInclude(database, 'tuesday')).toBe(false);
    checkIndex(database);
    database.close();
  });

  it('indexes a message that takes the rowid of a deleted one', () => {
    const database = databaseBefore210();
    migration0210InboxSearchInBatches.up(database);
    addMessage(database, 'ann', 'first', 'alpha');
    addMessage(database, 'ann', 'newest', 'bravo');
    indexPendingMessages(database);
    const rowid = (database.prepare("select rowid from inbox_messages where message_id = 'newest'").get() as { rowid: number }).rowid;
    database.prepare("delete from inbox_messages where message_id = 'newest'").run();
    addMessage(database, 'ann', 'reused', 'charlie');
    expect((database.prepare("select rowid from inbox_messages where message_id = 'reused'").get() as { rowid: number }).rowid).toBe(rowid);
    indexPendingMessages(database);
    expect(indexed(database, 'charlie')).toEqual(['reused']);
    expect(indexed(database, 'bravo')).toEqual([]);
    checkIndex(database);
    database.close();
  });
});
