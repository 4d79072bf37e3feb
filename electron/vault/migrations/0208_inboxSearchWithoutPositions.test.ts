import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { fullTextQuery } from '../../inbox/conversationSearch.js';
import { migration0200Sync } from './0200_sync.js';
import { migration0201Inbox } from './0201_inbox.js';
import { migration0202LiveInbox } from './0202_liveInbox.js';
import { migration0203InboxFacets } from './0203_inboxFacets.js';
import { migration0204InboxSearchSecureDelete } from './0204_inboxSearchSecureDelete.js';
import { migration0208InboxSearchWithoutPositions } from './0208_inboxSearchWithoutPositions.js';

const indexHolds = (database: Database.Database, word: string) =>
  (database.prepare('select block from inbox_message_search_data').all() as { block: Buffer }[]).some((row) => Buffer.from(row.block).toString('latin1').includes(word));
/** What the inbox search box finds for `typed`, through the app's own query builder. */
const matches = (database: Database.Database, typed: string) =>
  (
    database
      .prepare('select m.message_id as id from inbox_message_search s join inbox_messages m on m.rowid = s.rowid where inbox_message_search match ? order by m.message_id')
      .all(fullTextQuery(typed)) as { id: string }[]
  ).map((row) => row.id);

describe('migration 208 (inbox search without positions)', () => {
  it('keeps finding existing and new messages by word and prefix, and still erases words at once', () => {
    const database = new Database(':memory:');
    for (const migration of [migration0200Sync, migration0201Inbox, migration0202LiveInbox, migration0203InboxFacets, migration0204InboxSearchSecureDelete]) migration.up(database);
    const insert = database.prepare("insert into inbox_messages values (?, 'c', ?, ?, 'customer', 'Zoe', ?, 1, 'sent')");
    insert.run('before', 'e-before', 1, 'Is the Café open on Sunday?');
    migration0208InboxSearchWithoutPositions.up(database);
    insert.run('after', 'e-after', 2, 'Sunday opening hours, please');
    expect(matches(database, 'cafe')).toEqual(['before']);
    expect(matches(database, 'sund open')).toEqual(['after', 'before']);
    database.prepare("update inbox_messages set text = 'Opening hours on Monday?' where message_id = 'after'").run();
    expect(matches(database, 'Sunday')).toEqual(['before']);
    insert.run('erased', 'e-erased', 3, 'call me on zanzibarphone 5551234');
    expect(matches(database, 'zanzibarphone 555')).toEqual(['erased']);
    database.prepare("delete from inbox_messages where message_id = 'erased'").run();
    expect(indexHolds(database, 'zanzibar')).toBe(false);
    expect(database.prepare("select name from sqlite_master where name = 'inbox_message_search_docsize'").get()).toBeUndefined();
    database.close();
  });
});
