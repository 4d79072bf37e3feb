import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';
import { migration0203InboxFacets } from './0203_inboxFacets.js';
import { migration0206InboxSearchWalk } from './0206_inboxSearchWalk.js';

describe('migration 206 (inbox search walk)', () => {
  it('answers a name search walked newest first, also within a status, from an index alone', () => {
    const database = new Database(':memory:');
    for (const migration of [migration0200Sync, migration0201Inbox, migration0202LiveInbox, migration0203InboxFacets, migration0206InboxSearchWalk]) migration.up(database);
    database.prepare(`insert into inbox_conversations values ('c1', '{"status":"ai","customerLabel":"Zoe Zeta"}', 1)`).run();
    const plan = (where: string) =>
      (database.prepare(`explain query plan select f.conversation_id from inbox_conversation_facets f where ${where} order by f.last_activity_at desc limit 10`).all() as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
    expect(plan("f.customer_label like '%zoe%'")).toContain('COVERING INDEX inbox_facets_activity');
    expect(plan("f.status = 'ai' and f.customer_label like '%zoe%'")).toContain('COVERING INDEX inbox_facets_status');
    expect(database.prepare("select conversation_id as id from inbox_conversation_facets f where f.status = 'ai' and f.customer_label like '%zoe%'").all()).toEqual([{ id: 'c1' }]);
    database.close();
  });
});
