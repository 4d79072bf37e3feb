import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { keychainKeySlotSchema, passphraseKeySlotSchema } from './keyWrapping.js';

/**
 * tenant.json: the only plaintext file of a tenant. It holds the name (for the picker), the
 * wrapped data key and the unlock throttle; never anything the key protects.
 */
export const tenantRecordSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string().uuid(),
  name: z.string(),
  createdAt: z.string(),
  passphraseSlot: passphraseKeySlotSchema,
  keychainSlot: keychainKeySlotSchema.nullable(),
  unlockThrottle: z.object({ failures: z.number().int().min(0), nextAttemptAt: z.number() }),
});
export type TenantRecord = z.infer<typeof tenantRecordSchema>;

const recordFileName = 'tenant.json';

export function tenantsDirectory(dataDirectory: string): string {
  return join(dataDirectory, 'tenants');
}

export function tenantFolder(dataDirectory: string, tenantId: string): string {
  return join(tenantsDirectory(dataDirectory), tenantId);
}

export function newTenantId(): string {
  return randomUUID();
}

/** Names compare without case or surrounding space, so "Acme" and "acme " are one tenant. */
export function sameTenantName(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'accent' }) === 0;
}

export async function readTenantRecords(dataDirectory: string): Promise<TenantRecord[]> {
  let entries: string[];
  try {
    entries = await readdir(tenantsDirectory(dataDirectory));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: TenantRecord[] = [];
  for (const entry of entries) {
    try {
      const text = await readFile(join(tenantsDirectory(dataDirectory), entry, recordFileName), 'utf8');
      records.push(tenantRecordSchema.parse(JSON.parse(text)));
    } catch {
      // A folder without a valid record is a half-created or half-deleted tenant: not listed.
    }
  }
  return records.sort((a, b) => a.name.localeCompare(b.name));
}

/** Written to a temporary file, flushed, then renamed, so a crash leaves the old or the new record. */
export async function writeTenantRecord(dataDirectory: string, record: TenantRecord): Promise<void> {
  const folder = tenantFolder(dataDirectory, record.id);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const target = join(folder, recordFileName);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(record, null, 2), { mode: 0o600 });
  const handle = await open(temporary, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, target);
}

/**
 * Crypto-shredding: the wrapped keys are overwritten and flushed before any data file goes, so
 * even if removing the folder is interrupted, what is left cannot be decrypted.
 */
export async function destroyTenant(dataDirectory: string, record: TenantRecord): Promise<void> {
  const folder = tenantFolder(dataDirectory, record.id);
  const recordPath = join(folder, recordFileName);
  const handle = await open(recordPath, 'r+');
  try {
    const { size } = await handle.stat();
    await handle.write(Buffer.alloc(size), 0, size, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rm(recordPath);
  await rm(folder, { recursive: true, force: true });
}
