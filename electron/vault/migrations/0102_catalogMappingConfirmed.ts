import type { Migration } from './migration.js';

/**
 * When a person confirmed (or chose) a catalog's column mapping. Until then the mapping is the
 * app's guess, and the Knowledge screen asks for it to be checked.
 */
export const migration0102CatalogMappingConfirmed: Migration = {
  version: 102,
  name: 'catalog mapping confirmed',
  up(database) {
    database.exec('alter table knowledge_sources add column column_mapping_confirmed_at text');
  },
};
