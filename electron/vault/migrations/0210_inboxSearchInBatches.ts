import type { Migration } from './migration.js';

/** New messages wait in `inbox_search_pending` until this many have gathered, then are indexed together. */
export const searchBatchSize = 100;

/**
 * FTS5 writes a new segment of its index at every commit that indexed something, and merges those
 * segments later, so indexing each synced message in its own sync commit was 15–20 % of a
 * desktop's CPU at 1,000 messages a second (bench/README.md, session 7). New messages now only note
 * their rowid; every `searchBatchSize` of them are indexed in one go, and a search indexes the
 * ones still waiting before it runs (`indexPendingMessages`), so it never misses a message.
 *
 * A waiting message was never indexed, so deleting or editing it must not touch the index (an
 * external-content FTS5 table would be corrupted by deleting words it never held); deleting it just
 * drops it from the waiting list. A reused rowid waits again like any new message.
 */
export const migration0210InboxSearchInBatches: Migration = {
  version: 210,
  name: 'inbox search in batches',
  up(database) {
    database.exec(`
      create table inbox_search_pending (message_rowid integer primary key) strict;

      drop trigger inbox_messages_search_insert;
      drop trigger inbox_messages_search_delete;
      drop trigger inbox_messages_search_update;

      create trigger inbox_messages_search_insert after insert on inbox_messages begin
        insert into inbox_search_pending (message_rowid) values (new.rowid);
      end;
      create trigger inbox_search_pending_batch after insert on inbox_search_pending
        when (select count(*) from inbox_search_pending) >= ${searchBatchSize} begin
        insert into inbox_message_search (rowid, text)
          select m.rowid, m.text from inbox_search_pending p cross join inbox_messages m on m.rowid = p.message_rowid;
        delete from inbox_search_pending;
      end;
      create trigger inbox_messages_search_delete after delete on inbox_messages begin
        insert into inbox_message_search (inbox_message_search, rowid, text)
          select 'delete', old.rowid, old.text where not exists (select 1 from inbox_search_pending where message_rowid = old.rowid);
        delete from inbox_search_pending where message_rowid = old.rowid;
      end;
      create trigger inbox_messages_search_update after update of text on inbox_messages
        when not exists (select 1 from inbox_search_pending where message_rowid = old.rowid) begin
        insert into inbox_message_search (inbox_message_search, rowid, text) values ('delete', old.rowid, old.text);
        insert into inbox_message_search (rowid, text) values (new.rowid, new.text);
      end;
    `);
  },
};
