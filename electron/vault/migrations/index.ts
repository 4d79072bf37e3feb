import { migration0001Settings } from './0001_settings.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** In order. Numbers are assigned per domain ranges in electron/vault/migrations/README.md. */
export const tenantMigrations: Migration[] = [migration0001Settings];
