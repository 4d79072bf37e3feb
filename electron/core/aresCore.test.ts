import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AresError } from '../../shared/errors.js';
import { strongPassphrase, temporaryDirectory, testKdfParameters } from '../vault/testSupport.js';
import { createCoreCaller } from './appRouter.js';
import { AresCore } from './aresCore.js';

describe('the desktop core', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let clock: number;
  let core: AresCore;

  beforeEach(async () => {
    directory = await temporaryDirectory();
    clock = Date.parse('2026-01-01T00:00:00Z');
    core = new AresCore({ dataDirectory: directory.path, kdfParameters: testKdfParameters, now: () => clock });
  });
  afterEach(async () => {
    await core.dispose();
    await directory.remove();
  });

  it('refuses tenant procedures while locked, with a readable code', async () => {
    const caller = createCoreCaller({ core });
    const error = await caller.vault.changePassphrase({ currentPassphrase: 'a', newPassphrase: 'b' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).cause).toBeInstanceOf(AresError);
    expect(((error as TRPCError).cause as AresError).code).toBe('TENANT_LOCKED');
  });

  it('locks after the configured idle time and wipes the session', async () => {
    const caller = createCoreCaller({ core });
    await caller.vault.createTenant({ name: 'Acme Bikes', passphrase: strongPassphrase });
    await caller.vault.updateSettings({ idleLockMinutes: 5 });
    const changes: string[] = [];
    core.onStateChange((change) => changes.push(change.reason));

    clock += 4 * 60_000;
    await core.checkIdleLock();
    expect((await caller.vault.state()).unlocked).toBe(true);

    clock += 60_000;
    await core.checkIdleLock();
    expect(await caller.vault.state()).toEqual({ unlocked: false });
    expect(changes).toEqual(['idle']);
  });

  it('counts every API call as activity', async () => {
    const caller = createCoreCaller({ core });
    await caller.vault.createTenant({ name: 'Acme Bikes', passphrase: strongPassphrase });
    clock += 14 * 60_000;
    await caller.vault.updateSettings({ idleLockMinutes: 15 });
    clock += 14 * 60_000;
    await core.checkIdleLock();
    expect((await caller.vault.state()).unlocked).toBe(true);
  });

  it('keeps the open tenant unlocked when a delete is attempted with a wrong passphrase', async () => {
    const caller = createCoreCaller({ core });
    await caller.vault.createTenant({ name: 'Acme Bikes', passphrase: strongPassphrase });
    await expect(caller.vault.deleteTenant({ name: 'Acme Bikes', confirmName: 'Acme Bikes', passphrase: 'not it at all' })).rejects.toThrow(
      /not correct/,
    );
    expect((await caller.vault.state()).unlocked).toBe(true);
    await caller.vault.deleteTenant({ name: 'Acme Bikes', confirmName: 'Acme Bikes', passphrase: strongPassphrase });
    expect(await caller.vault.state()).toEqual({ unlocked: false });
    expect(await caller.vault.listTenants()).toEqual([]);
  });

  it('runs every call in the unlocked tenant and switching tenants closes the previous one', async () => {
    const caller = createCoreCaller({ core });
    await caller.vault.createTenant({ name: 'First Shop', passphrase: strongPassphrase });
    const first = core.requireSession();
    await caller.vault.createTenant({ name: 'Second Shop', passphrase: 'violet lantern orbit cactus' });
    expect(first.closed).toBe(true);
    expect(await caller.vault.state()).toMatchObject({ unlocked: true, tenantName: 'Second Shop' });
  });

  it('reports invalid input as INVALID_INPUT with the field at fault', async () => {
    const caller = createCoreCaller({ core });
    const error = (await caller.vault.createTenant({ name: '   ', passphrase: strongPassphrase }).catch((caught: unknown) => caught)) as TRPCError;
    expect(error.code).toBe('BAD_REQUEST');
  });
});
