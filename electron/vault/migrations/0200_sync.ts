import type { Migration } from './migration.js';

/** The desktop's side of conversation sync: relay connection, cursor, outbox and the events seen. */
export const migration0200Sync: Migration = {
  version: 200,
  name: 'sync',
  up(database) {
    database.exec(`
      create table sync_connection (
        id integer primary key check (id = 1),
        relay_url text not null,
        device_token text not null,
        device_id text not null,
        tenant_id text not null,
        tenant_name text not null,
        operator_name text not null,
        role text not null,
        widget_key text not null,
        connected_at integer not null
      ) strict;
      create table sync_client (
        id integer primary key check (id = 1),
        client_id text not null,
        last_mutation_id integer not null
      ) strict;
      create table sync_cursor (
        id integer primary key check (id = 1),
        epoch text not null,
        seq integer not null,
        last_synced_at integer
      ) strict;
      create table sync_outbox (
        mutation_id integer primary key,
        event_id text not null unique,
        event text not null,
        created_at integer not null
      ) strict;
      -- state: pending (in the outbox), acked (relay accepted, not pulled back yet), applied, rejected
      create table sync_events (
        event_id text primary key,
        conversation_id text not null,
        seq integer,
        state text not null check (state in ('pending', 'acked', 'applied', 'rejected')),
        local integer not null,
        event text not null
      ) strict;
      create index sync_events_unconfirmed on sync_events (conversation_id) where state in ('pending', 'acked');
    `);
  },
};
