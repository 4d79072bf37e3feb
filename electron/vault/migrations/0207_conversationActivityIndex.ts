import type { Migration } from './migration.js';

/**
 * The conversation list is read newest first through the facets table's activity index (203, 206).
 * The older index on `inbox_conversations` (201) served only that query, yet every applied message
 * rewrote it: one more B-tree, i.e. one more encrypted page, in every sync commit.
 */
export const migration0207ConversationActivityIndex: Migration = {
  version: 207,
  name: 'conversation activity index',
  up(database) {
    database.exec('drop index inbox_conversations_activity');
  },
};
