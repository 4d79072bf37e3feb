import type { Migration } from './migration.js';

/**
 * The agent's tables. `agent_secrets` keeps the model server's API key inside the encrypted tenant
 * database, apart from the settings the UI reads, so no settings query can return it by accident.
 * `agent_decisions` records every decision with what it used, so staff can see why it answered.
 */
export const migration0300Agent: Migration = {
  version: 300,
  name: 'agent',
  up(database) {
    database.exec(`
      create table agent_secrets (
        name text primary key,
        value text not null
      ) strict;

      create table agent_decisions (
        id text primary key,
        conversation_id text,
        decided_at integer not null,
        outcome text not null check (outcome in ('answer', 'hand_off')),
        hand_off_reason text,
        confidence real not null,
        model text,
        question text not null,
        record text not null
      ) strict;

      create index agent_decisions_by_conversation on agent_decisions (conversation_id, decided_at);
      create index agent_decisions_by_reason on agent_decisions (hand_off_reason, decided_at);
    `);
  },
};
