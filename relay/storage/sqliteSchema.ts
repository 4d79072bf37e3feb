import type Database from 'better-sqlite3';

/** The relay's own schema steps, applied in order and recorded in `pragma user_version`. */
const steps: ((database: Database.Database) => void)[] = [
  (database) =>
    database.exec(`
      create table tenants (
        tenant_id text primary key,
        name text not null,
        widget_key text not null unique,
        auto_reply_after_seconds integer,
        auto_reply_text text not null,
        created_at integer not null
      ) strict;
      create table operators (
        operator_id text primary key,
        tenant_id text not null references tenants (tenant_id),
        email text not null unique,
        name text not null,
        role text not null,
        password_hash text,
        invite_code_hash text unique,
        invite_expires_at integer,
        created_at integer not null,
        removed_at integer
      ) strict;
      create table devices (
        device_id text primary key,
        tenant_id text not null references tenants (tenant_id),
        operator_id text not null references operators (operator_id),
        name text not null,
        token_hash text not null unique,
        created_at integer not null,
        last_seen_at integer not null,
        revoked_at integer,
        collected_seq integer not null default 0
      ) strict;
      create index devices_tenant on devices (tenant_id);
      create table log_heads (
        tenant_id text primary key references tenants (tenant_id),
        epoch text not null,
        head_seq integer not null,
        pruned_through_seq integer not null
      ) strict;
      create table events (
        tenant_id text not null,
        seq integer not null,
        event_id text not null,
        conversation_id text not null,
        occurred_at integer not null,
        accepted_at integer not null,
        body text not null,
        primary key (tenant_id, seq)
      ) strict, without rowid;
      create unique index events_event_id on events (tenant_id, event_id);
      create index events_conversation on events (tenant_id, conversation_id, seq);
      create table clients (
        tenant_id text not null,
        client_id text not null,
        device_id text not null,
        last_mutation_id integer not null,
        primary key (tenant_id, client_id)
      ) strict;
      create table conversations (
        tenant_id text not null,
        conversation_id text not null,
        state text not null,
        unanswered_since_seq integer,
        auto_replied integer not null default 0,
        primary key (tenant_id, conversation_id)
      ) strict;
      create index conversations_unanswered on conversations (unanswered_since_seq) where unanswered_since_seq is not null and auto_replied = 0;
      create table channel_messages (
        tenant_id text not null,
        channel text not null,
        external_id text not null,
        primary key (tenant_id, channel, external_id)
      ) strict, without rowid;
      create table visitors (
        visitor_id text primary key,
        tenant_id text not null references tenants (tenant_id),
        conversation_id text not null,
        token_hash text not null unique,
        created_at integer not null
      ) strict;
      create table leases (
        tenant_id text primary key,
        device_id text not null,
        expires_at integer not null
      ) strict;
    `),
];

export function migrateRelayDatabase(database: Database.Database): void {
  const current = database.pragma('user_version', { simple: true }) as number;
  for (let index = current; index < steps.length; index += 1) {
    database.transaction(() => {
      steps[index]!(database);
      database.pragma(`user_version = ${index + 1}`);
    })();
  }
}
