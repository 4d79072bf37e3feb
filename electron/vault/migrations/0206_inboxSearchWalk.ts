import type { Migration } from './migration.js';

/**
 * A search walks conversations newest first (optionally within one status) and tests each one's
 * customer name; with the name in the index the walk reads the index alone instead of looking up
 * every row of the facets table (about 4x faster over 100,000 conversations on SQLCipher).
 */
export const migration0206InboxSearchWalk: Migration = {
  version: 206,
  name: 'inbox search walk',
  up(database) {
    database.exec(`
      drop index inbox_facets_activity;
      create index inbox_facets_activity on inbox_conversation_facets (last_activity_at desc, customer_label);
      drop index inbox_facets_status;
      create index inbox_facets_status on inbox_conversation_facets (status, last_activity_at desc, customer_label);
    `);
  },
};
