import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { AresCore } from '../../core/aresCore.js';
import { createCoreCaller } from '../../core/appRouter.js';

export const testPassphrase = 'correct horse battery staple';

export interface UnlockedTenant {
  dataDirectory: string;
  core: AresCore;
  caller: ReturnType<typeof createCoreCaller>;
}

/** Before each test, a fresh data folder with one unlocked tenant; after it, both are gone. */
export function useUnlockedTenant(): UnlockedTenant {
  const tenant = {} as UnlockedTenant;
  beforeEach(async () => {
    tenant.dataDirectory = await mkdtemp(join(tmpdir(), 'ares-knowledge-'));
    // Cheap key derivation: these tests are about the knowledge base, not the vault.
    tenant.core = new AresCore({ dataDirectory: tenant.dataDirectory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
    await tenant.core.createTenant('Test', testPassphrase);
    tenant.caller = createCoreCaller({ core: tenant.core });
  });
  afterEach(async () => {
    await tenant.core.dispose();
    await rm(tenant.dataDirectory, { recursive: true, force: true });
  });
  return tenant;
}
