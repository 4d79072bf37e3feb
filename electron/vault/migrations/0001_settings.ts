import type { Migration } from './migration.js';

export const migration0001Settings: Migration = {
  version: 1,
  name: 'settings',
  up(database) {
    database.exec(`
      create table settings (
        key text primary key,
        value text not null
      ) strict;
    `);
  },
};
