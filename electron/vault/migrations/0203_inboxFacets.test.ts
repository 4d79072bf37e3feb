import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';
import { migration0203InboxFacets } from './0203_inboxFacets.js';

describe('migration 203 (inbox facets)', () => {
  it('copies existing conversations and follows every insert, update (upsert) and delete', () => {
    const database = new Database(':memory:');
    for (const migration of [migration0200Sync, migration0201Inbox, migration0202LiveInbox]) migration.up(database);
    database.prepare(`insert into inbox_conversations values ('old', '{"status":"resolved","holder":null,"channel":"web","customerLabel":"Early"}', 1)`).run();
    migration0203InboxFacets.up(database);
    const facets = () => database.prepare('select conversation_id as id, status, holder, channel, customer_label as label, last_activity_at as at from inbox_conversation_facets order by id').all();
    database.prepare(`insert into inbox_conversations values ('c', '{"status":"ai","holder":null,"channel":"whatsapp","customerLabel":"Zoe"}', 5)`).run();
    database
      .prepare('insert into inbox_conversations values (?, ?, ?) on conflict (conversation_id) do update set state = excluded.state, last_activity_at = max(last_activity_at, excluded.last_activity_at)')
      .run('c', '{"status":"human","holder":"Ann","channel":"whatsapp","customerLabel":"Zoe"}', 7);
    expect(facets()).toEqual([
      { id: 'c', status: 'human', holder: 'Ann', channel: 'whatsapp', label: 'Zoe', at: 7 },
      { id: 'old', status: 'resolved', holder: null, channel: 'web', label: 'Early', at: 1 },
    ]);
    database.prepare("delete from inbox_conversations where conversation_id = 'old'").run();
    expect(facets()).toHaveLength(1);
    database.close();
  });
});
