import type { Migration } from './migration.js';

/**
 * FTS5 keeps a deleted message's words in its index segments until they are merged, so erasing a
 * customer would leave their words (a phone number, a name) inside the search index. With
 * `secure-delete` (SQLite 3.42+) a delete removes them at once; `optimize` purges what earlier
 * deletes left behind.
 */
export const migration0204InboxSearchSecureDelete: Migration = {
  version: 204,
  name: 'inbox search secure delete',
  up(database) {
    database.exec(`
      insert into inbox_message_search (inbox_message_search, rank) values ('secure-delete', 1);
      insert into inbox_message_search (inbox_message_search) values ('optimize');
    `);
  },
};
