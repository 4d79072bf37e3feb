import type { Migration } from './migration.js';

/** Projections of the conversation log for the inbox: one row per conversation and per message. */
export const migration0201Inbox: Migration = {
  version: 201,
  name: 'inbox',
  up(database) {
    database.exec(`
      create table inbox_conversations (
        conversation_id text primary key,
        state text not null,
        last_activity_at integer
      ) strict;
      create index inbox_conversations_activity on inbox_conversations (last_activity_at desc);
      -- kind: customer, staff, ai, auto, note, system. seq is null until the relay has numbered it.
      create table inbox_messages (
        message_id text primary key,
        conversation_id text not null,
        event_id text not null unique,
        seq integer,
        kind text not null,
        author_name text,
        text text not null,
        created_at integer not null,
        delivery text not null check (delivery in ('pending', 'sent', 'rejected'))
      ) strict;
      create index inbox_messages_conversation on inbox_messages (conversation_id, seq);
    `);
  },
};
