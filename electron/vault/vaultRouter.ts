import { on } from 'node:events';
import { EventEmitter } from 'node:events';
import {
  changePassphraseInput,
  createTenantInput,
  deleteTenantInput,
  rememberInput,
  tenantSettingsInput,
  unlockRememberedInput,
  unlockTenantInput,
} from '../../shared/schemas/tenant.js';
import { publicProcedure, router, tenantProcedure } from '../core/trpc.js';

export const vaultRouter = router({
  listTenants: publicProcedure.query(({ ctx }) => ctx.core.vault.list()),

  keychainStatus: publicProcedure.query(({ ctx }) => ctx.core.vault.keychain.status()),

  state: publicProcedure.query(({ ctx }) => ctx.core.state()),

  createTenant: publicProcedure.input(createTenantInput).mutation(async ({ ctx, input }) => {
    await ctx.core.createTenant(input.name, input.passphrase);
    return ctx.core.state();
  }),

  unlock: publicProcedure.input(unlockTenantInput).mutation(async ({ ctx, input }) => {
    await ctx.core.unlock(input.name, input.passphrase);
    return ctx.core.state();
  }),

  unlockRemembered: publicProcedure.input(unlockRememberedInput).mutation(async ({ ctx, input }) => {
    await ctx.core.unlockRemembered(input.name);
    return ctx.core.state();
  }),

  lock: publicProcedure.mutation(async ({ ctx }) => {
    await ctx.core.lock('user');
    return ctx.core.state();
  }),

  changePassphrase: tenantProcedure.input(changePassphraseInput).mutation(async ({ ctx, input }) => {
    await ctx.core.vault.changePassphrase(ctx.session, input.currentPassphrase, input.newPassphrase);
  }),

  setRemembered: tenantProcedure.input(rememberInput).mutation(async ({ ctx, input }) => {
    await ctx.core.vault.setRemembered(ctx.session, input.remember);
    return ctx.core.state();
  }),

  updateSettings: tenantProcedure.input(tenantSettingsInput).mutation(({ ctx, input }) => {
    ctx.core.setIdleLockMinutes(input.idleLockMinutes);
    return ctx.core.state();
  }),

  deleteTenant: publicProcedure.input(deleteTenantInput).mutation(async ({ ctx, input }) => {
    await ctx.core.deleteTenant(input.name, input.confirmName, input.passphrase);
  }),

  /** Tells the UI when the tenant was locked behind its back (idle, OS sleep) or unlocked elsewhere. */
  onStateChange: publicProcedure.subscription(async function* ({ ctx, signal }) {
    const relay = new EventEmitter();
    const stop = ctx.core.onStateChange((change) => relay.emit('change', change));
    try {
      for await (const [change] of on(relay, 'change', { signal })) {
        yield change as { reason: string };
      }
    } finally {
      stop();
    }
  }),
});
