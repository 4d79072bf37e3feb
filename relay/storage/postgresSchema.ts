import type pg from 'pg';
import { channelSchemaSql } from '../channels/sqliteChannelStore.js';
import { inPostgresTransaction } from './postgresTransaction.js';

/** The relay's tables on PostgreSQL; the same shape as SQLite so both pass the same tests. */
const relaySchemaSql = `
  create table if not exists tenants (
    tenant_id text primary key,
    name text not null,
    widget_key text not null unique,
    auto_reply_after_seconds integer,
    auto_reply_text text not null,
    created_at bigint not null
  );
  create table if not exists operators (
    operator_id text primary key,
    tenant_id text not null references tenants (tenant_id),
    email text not null unique,
    name text not null,
    role text not null,
    password_hash text,
    invite_code_hash text unique,
    invite_expires_at bigint,
    created_at bigint not null,
    removed_at bigint
  );
  create table if not exists devices (
    device_id text primary key,
    tenant_id text not null references tenants (tenant_id),
    operator_id text not null references operators (operator_id),
    name text not null,
    token_hash text not null unique,
    created_at bigint not null,
    last_seen_at bigint not null,
    revoked_at bigint,
    collected_seq bigint not null default 0
  );
  create index if not exists devices_tenant on devices (tenant_id);
  create table if not exists log_heads (
    tenant_id text primary key references tenants (tenant_id),
    epoch text not null,
    head_seq bigint not null,
    pruned_through_seq bigint not null
  );
  create table if not exists events (
    tenant_id text not null,
    seq bigint not null,
    event_id text not null,
    conversation_id text not null,
    occurred_at bigint not null,
    accepted_at bigint not null,
    body text not null,
    primary key (tenant_id, seq)
  );
  create unique index if not exists events_event_id on events (tenant_id, event_id);
  create index if not exists events_conversation on events (tenant_id, conversation_id, seq);
  create table if not exists clients (
    tenant_id text not null,
    client_id text not null,
    device_id text not null,
    last_mutation_id bigint not null,
    primary key (tenant_id, client_id)
  );
  create table if not exists conversations (
    tenant_id text not null,
    conversation_id text not null,
    state text not null,
    unanswered_since_seq bigint,
    auto_replied boolean not null default false,
    primary key (tenant_id, conversation_id)
  );
  create index if not exists conversations_unanswered on conversations (unanswered_since_seq) where unanswered_since_seq is not null and not auto_replied;
  create table if not exists channel_messages (
    tenant_id text not null,
    channel text not null,
    external_id text not null,
    primary key (tenant_id, channel, external_id)
  );
  create table if not exists visitors (
    visitor_id text primary key,
    tenant_id text not null references tenants (tenant_id),
    conversation_id text not null,
    token_hash text not null unique,
    created_at bigint not null
  );
  create table if not exists leases (
    tenant_id text primary key,
    device_id text not null,
    expires_at bigint not null
  );
`;

/** Idempotent; several instances starting at once serialise on an advisory lock. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  await inPostgresTransaction(pool, async (client) => {
    await client.query("select pg_advisory_xact_lock(hashtext('ares-relay-schema'))");
    await client.query(relaySchemaSql);
    await client.query(channelSchemaSql);
  });
}
