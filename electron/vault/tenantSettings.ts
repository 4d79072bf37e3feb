import type { z } from 'zod';
import type { TenantDatabase } from './tenantDatabase.js';

/** Small typed key/value settings kept inside the encrypted tenant database. */
export function readSetting<T>(database: TenantDatabase, key: string, schema: z.ZodType<T>, fallback: T): T {
  const row = database.prepare('select value from settings where key = ?').get(key) as { value: string } | undefined;
  if (!row) return fallback;
  const parsed = schema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : fallback;
}

export function writeSetting<T>(database: TenantDatabase, key: string, value: T): void {
  database
    .prepare('insert into settings (key, value) values (?, ?) on conflict (key) do update set value = excluded.value')
    .run(key, JSON.stringify(value));
}
