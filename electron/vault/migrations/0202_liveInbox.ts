import type { Migration } from './migration.js';

/**
 * What the live inbox needs on top of the projections of 201:
 * - indexed columns derived from the conversation state, so list filters stay fast at 100,000
 *   conversations (virtual generated columns: the state JSON stays the one source of truth);
 * - full-text search over message text (FTS5 inside the encrypted database: no plaintext index on disk);
 * - unread counts kept by a trigger, drafts, saved replies, and delivery ticks folded from
 *   `message.status` events as they are stored.
 */
export const migration0202LiveInbox: Migration = {
  version: 202,
  name: 'live inbox',
  up(database) {
    database.exec(`
      alter table inbox_conversations add column status text generated always as (json_extract(state, '$.status')) virtual;
      alter table inbox_conversations add column holder text generated always as (json_extract(state, '$.holder')) virtual;
      alter table inbox_conversations add column channel text generated always as (json_extract(state, '$.channel')) virtual;
      alter table inbox_conversations add column customer_label text generated always as (json_extract(state, '$.customerLabel')) virtual;
      create index inbox_conversations_by_status on inbox_conversations (status, last_activity_at desc);
      create index inbox_conversations_by_holder on inbox_conversations (holder, last_activity_at desc);
      create index inbox_conversations_by_channel on inbox_conversations (channel, last_activity_at desc);

      create virtual table inbox_message_search using fts5(text, content = 'inbox_messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2');
      insert into inbox_message_search (inbox_message_search) values ('rebuild');
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

      create table inbox_unread (
        conversation_id text primary key,
        unread_count integer not null
      ) strict;
      insert into inbox_unread (conversation_id, unread_count)
        select conversation_id, count(*) from inbox_messages where kind = 'customer' group by conversation_id;
      create trigger inbox_messages_unread after insert on inbox_messages when new.kind = 'customer' begin
        insert into inbox_unread (conversation_id, unread_count) values (new.conversation_id, 1)
          on conflict (conversation_id) do update set unread_count = unread_count + 1;
      end;
      create trigger inbox_conversations_unread_reset after delete on inbox_conversations begin
        delete from inbox_unread where conversation_id = old.conversation_id;
      end;

      create table inbox_drafts (
        conversation_id text primary key,
        text text not null,
        updated_at integer not null
      ) strict;

      create table inbox_saved_replies (
        id integer primary key,
        shortcut text not null unique collate nocase,
        text text not null,
        updated_at integer not null
      ) strict;

      -- rank: delivery only moves forward (read stays read); a failed send can still be retried and succeed.
      create table inbox_delivery (
        message_id text primary key,
        status text not null,
        rank integer not null,
        reason text,
        updated_at integer not null
      ) strict;
      create trigger sync_events_delivery after insert on sync_events when json_extract(new.event, '$.body.type') = 'message.status' begin
        insert into inbox_delivery (message_id, status, rank, reason, updated_at)
        values (
          json_extract(new.event, '$.body.targetMessageId'),
          json_extract(new.event, '$.body.status'),
          case json_extract(new.event, '$.body.status') when 'queued' then 0 when 'sent' then 1 when 'failed' then 2 when 'delivered' then 3 when 'read' then 4 else 0 end,
          json_extract(new.event, '$.body.reason'),
          coalesce(json_extract(new.event, '$.acceptedAt'), 0)
        )
        on conflict (message_id) do update set status = excluded.status, rank = excluded.rank, reason = excluded.reason, updated_at = excluded.updated_at
          where excluded.rank > inbox_delivery.rank or (inbox_delivery.status = 'failed' and excluded.status in ('sent', 'delivered', 'read'));
      end;
    `);
  },
};
