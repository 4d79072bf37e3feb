import type { Migration } from './migration.js';

/**
 * `inbox_messages` was keyed by its message id, which channels make random (a widget's client id,
 * a WhatsApp wamid). Every synced message therefore landed on a random page of that key's index,
 * and on the encrypted database each page a commit touches is re-encrypted, authenticated, written
 * to the WAL and later checkpointed: that one index was 30 % of the pages a 10-message sync commit
 * writes and 60 % of a 100-message one (bench/README.md, session 5).
 *
 * The table keeps only keys that grow at their end: its rowid (arrival order, which the search
 * index points at), the event id (unique, time-ordered) and the conversation index. An event is
 * applied once (its id is unique) and the relay gives each channel message id exactly one event,
 * so the message id needs no index of its own; the few lookups by message id (a customer's edit
 * or delete, attachment retention) name the conversation and walk its index.
 *
 * The rebuild keeps every rowid, so the full-text index stays valid as it is. Dropping the old
 * table drops its triggers; they are created again as migrations 205 and 208 left them.
 */
export const migration0209InboxMessagesByLogOrder: Migration = {
  version: 209,
  name: 'inbox messages by log order',
  up(database) {
    database.exec(`
      create table inbox_messages_by_log_order (
        message_id text not null,
        conversation_id text not null,
        event_id text not null unique,
        seq integer,
        kind text not null,
        author_name text,
        text text not null,
        created_at integer not null,
        delivery text not null check (delivery in ('pending', 'sent', 'rejected'))
      ) strict;
      insert into inbox_messages_by_log_order (rowid, message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery)
        select rowid, message_id, conversation_id, event_id, seq, kind, author_name, text, created_at, delivery from inbox_messages order by rowid;
      drop table inbox_messages;
      alter table inbox_messages_by_log_order rename to inbox_messages;
      create index inbox_messages_conversation on inbox_messages (conversation_id, seq);

      create trigger inbox_messages_search_insert after insert on inbox_messages begin
        insert into inbox_message_search (rowid, text) values (new.rowid, new.text);
      end;
      create trigger inbox_messages_search_delete after delete on inbox_messages begin
        insert into inbox_message_search (inbox_message_search, rowid, text) values ('delete', old.rowid, old.text);
      end;
      create trigger inbox_messages_search_update after update of text on inbox_messages begin
        insert into inbox_message_search (inbox_message_search, rowid, text) values ('delete', old.rowid, old.text);
        insert into inbox_message_search (rowid, text) values (new.rowid, new.text);
      end;
      create trigger inbox_messages_unread after insert on inbox_messages when new.kind = 'customer' begin
        insert into inbox_unread (conversation_id, unread_count)
          values (new.conversation_id, iif(exists (select 1 from inbox_read_marks r where r.conversation_id = new.conversation_id and r.message_id = new.message_id), 0, 1))
          on conflict (conversation_id) do update set unread_count = iif(excluded.unread_count = 0, 0, unread_count + 1);
      end;
    `);
  },
};
