/** Tables of the relay's privacy jobs (SQLite flavour; PostgreSQL's is in postgresPrivacyStore.ts). */
export const privacySchemaSql = `
  create table if not exists relay_retention (
    tenant_id text primary key,
    conversation_days integer,
    collected_event_days integer,
    attachment_days integer,
    updated_at integer not null,
    last_run text
  );
  create table if not exists relay_erasures (
    tenant_id text not null,
    erasure_id text not null,
    seq integer not null,
    applied_at integer not null,
    primary key (tenant_id, erasure_id)
  );
  create index if not exists relay_erasures_seq on relay_erasures (tenant_id, seq);
  create table if not exists relay_closures (
    tenant_id text primary key,
    requested_at integer not null,
    delete_at integer not null,
    requested_by text not null
  );
  create table if not exists relay_closed_devices (
    token_hash text primary key,
    tenant_id text not null,
    closed_at integer not null
  );
  create table if not exists relay_privacy_audit (
    id integer primary key,
    tenant_id text not null,
    action text not null,
    occurred_at integer not null,
    detail text not null
  );
  create index if not exists relay_privacy_audit_tenant on relay_privacy_audit (tenant_id, id);
`;

/** The body a tombstoned event keeps: its type says the content was deleted, and why. */
export function tombstoneBody(reason: 'erasure' | 'retention'): string {
  return JSON.stringify({ type: 'event.erased', reason });
}

/**
 * The `(channel, externalId)` claims an event made when it came in through a channel: a claim
 * holds the platform's message id, which is deleted with the message.
 */
export function claimKeysOf(bodyJson: string): { channel: string; externalId: string }[] {
  const body = JSON.parse(bodyJson) as { type?: string; messageId?: string };
  if (body.type !== 'customer.message' || typeof body.messageId !== 'string') return [];
  const match = /^(web|whatsapp|messenger):(.+)$/.exec(body.messageId);
  return match ? [{ channel: match[1]!, externalId: match[2]! }] : [];
}
