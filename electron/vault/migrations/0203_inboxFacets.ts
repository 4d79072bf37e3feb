import type { Migration } from './migration.js';

/**
 * Filter columns of 202 were virtual (computed from the state JSON on every read): measured at
 * 100,000 conversations a "mine" filter took ~300 ms and a deep scroll ~1 s. This keeps them in a
 * small side table written by triggers once per change, so list filters, counts and offsets are
 * answered from covering indexes (bench/inbox.ts).
 */
export const migration0203InboxFacets: Migration = {
  version: 203,
  name: 'inbox facets',
  up(database) {
    database.exec(`
      drop index inbox_conversations_by_status;
      drop index inbox_conversations_by_holder;
      drop index inbox_conversations_by_channel;

      create table inbox_conversation_facets (
        conversation_id text primary key,
        status text not null,
        holder text,
        channel text,
        customer_label text not null,
        last_activity_at integer not null
      ) strict, without rowid;
      insert into inbox_conversation_facets
        select conversation_id, coalesce(json_extract(state, '$.status'), 'ai'), json_extract(state, '$.holder'), json_extract(state, '$.channel'),
               coalesce(json_extract(state, '$.customerLabel'), ''), coalesce(last_activity_at, 0)
        from inbox_conversations;
      create index inbox_facets_activity on inbox_conversation_facets (last_activity_at desc);
      create index inbox_facets_status on inbox_conversation_facets (status, last_activity_at desc);
      create index inbox_facets_holder on inbox_conversation_facets (holder, status, last_activity_at desc);
      create index inbox_facets_channel on inbox_conversation_facets (channel, last_activity_at desc);

      -- Plain insert and update: inside a trigger "insert or replace" would take the outer upsert's conflict policy and fail.
      create trigger inbox_conversations_facets_insert after insert on inbox_conversations begin
        insert into inbox_conversation_facets values (
          new.conversation_id, coalesce(json_extract(new.state, '$.status'), 'ai'), json_extract(new.state, '$.holder'), json_extract(new.state, '$.channel'),
          coalesce(json_extract(new.state, '$.customerLabel'), ''), coalesce(new.last_activity_at, 0));
      end;
      create trigger inbox_conversations_facets_update after update on inbox_conversations begin
        update inbox_conversation_facets set
          status = coalesce(json_extract(new.state, '$.status'), 'ai'), holder = json_extract(new.state, '$.holder'), channel = json_extract(new.state, '$.channel'),
          customer_label = coalesce(json_extract(new.state, '$.customerLabel'), ''), last_activity_at = coalesce(new.last_activity_at, 0)
        where conversation_id = new.conversation_id;
      end;
      create trigger inbox_conversations_facets_delete after delete on inbox_conversations begin
        delete from inbox_conversation_facets where conversation_id = old.conversation_id;
      end;
    `);
  },
};
