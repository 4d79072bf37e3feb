import type { Migration } from './migration.js';

/**
 * Privacy rights: an audit trail that records what was done (exports, corrections, erasures,
 * retention runs) with counts and ids only, never personal data; and the erasures this desktop
 * still has to send through sync so the relay and the other desktops erase the same customer.
 */
export const migration0400Privacy: Migration = {
  version: 400,
  name: 'privacy',
  up(database) {
    database.exec(`
      create table privacy_audit (
        id integer primary key,
        action text not null,
        occurred_at integer not null,
        detail text not null
      ) strict;
      create index privacy_audit_by_time on privacy_audit (occurred_at);

      create table privacy_erasures (
        erasure_id text primary key,
        conversation_ids text not null,
        requested_at integer not null,
        sent_at integer
      ) strict;
    `);
  },
};
