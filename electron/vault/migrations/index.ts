import { migration0001Settings } from './0001_settings.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration of the tenant database; numbers follow the domain ranges in README.md beside this file. */
export const tenantMigrations: Migration[] = [migration0001Settings];
