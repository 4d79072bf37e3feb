import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { listConversations } from '../../inbox/inboxReadModel.js';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';
import { migration0203InboxFacets } from './0203_inboxFacets.js';
import { migration0206InboxSearchWalk } from './0206_inboxSearchWalk.js';
import { migration0207ConversationActivityIndex } from './0207_conversationActivityIndex.js';

describe('migration 207 (conversation activity index)', () => {
  it('drops the index on inbox_conversations; the list still comes newest first, through the facets index', () => {
    const database = new Database(':memory:');
    for (const migration of [migration0200Sync, migration0201Inbox, migration0202LiveInbox, migration0203InboxFacets, migration0206InboxSearchWalk, migration0207ConversationActivityIndex]) migration.up(database);
    const insert = database.prepare('insert into inbox_conversations (conversation_id, state, last_activity_at) values (?, ?, ?)');
    insert.run('older', JSON.stringify({ conversationId: 'older', status: 'ai', customerLabel: 'Ann' }), 10);
    insert.run('never', JSON.stringify({ conversationId: 'never', status: 'ai', customerLabel: 'Bo' }), null);
    insert.run('newer', JSON.stringify({ conversationId: 'newer', status: 'ai', customerLabel: 'Cy' }), 20);
    expect(database.prepare("select name from sqlite_master where name = 'inbox_conversations_activity'").get()).toBeUndefined();
    expect(listConversations(database, []).map((conversation) => conversation.conversationId)).toEqual(['newer', 'older', 'never']);
    database.close();
  });
});
