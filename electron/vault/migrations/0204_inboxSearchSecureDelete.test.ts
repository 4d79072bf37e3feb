import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';
import { migration0203InboxFacets } from './0203_inboxFacets.js';
import { migration0204InboxSearchSecureDelete } from './0204_inboxSearchSecureDelete.js';

const indexHolds = (database: Database.Database, word: string) =>
  (database.prepare('select block from inbox_message_search_data').all() as { block: Buffer }[]).some((row) => Buffer.from(row.block).toString('latin1').includes(word));

describe('migration 204 (inbox search secure delete)', () => {
  it('leaves no word of an erased message in the search index, including messages deleted before it ran', () => {
    const database = new Database(':memory:');
    for (const migration of [migration0200Sync, migration0201Inbox, migration0202LiveInbox, migration0203InboxFacets]) migration.up(database);
    const insert = database.prepare("insert into inbox_messages values (?, 'c', ?, ?, 'customer', 'Zoe', ?, 1, 'sent')");
    for (let index = 0; index < 30; index += 1) insert.run(`m${index}`, `e${index}`, index + 10, `ordinary words ${index}`);
    insert.run('early', 'e-early', 1, 'call me on zanzibarphone 5551234');
    database.prepare("delete from inbox_messages where message_id = 'early'").run();
    expect(indexHolds(database, 'zanzibar')).toBe(true);
    migration0204InboxSearchSecureDelete.up(database);
    expect(indexHolds(database, 'zanzibar')).toBe(false);
    insert.run('later', 'e-later', 2, 'my other number is kilimanjarophone');
    database.prepare("delete from inbox_messages where message_id = 'later'").run();
    expect(indexHolds(database, 'kilimanjaro')).toBe(false);
    expect(database.prepare("select count(*) as count from inbox_message_search where inbox_message_search match 'ordinary'").get()).toEqual({ count: 30 });
    database.close();
  });
});
