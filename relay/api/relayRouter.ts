import { tracked } from '@trpc/server';
import { AresError } from '../../shared/errors.js';
import { acceptInvitationInput, idInput, inviteInput, loginInput, registerTenantInput, tenantSettingsInput } from '../../shared/schemas/relayAccounts.js';
import { acknowledgeInput, leaseInput, liveInput, pullInput, pushInput } from '../../shared/schemas/sync.js';
import { adminProcedure, deviceProcedure, publicRelayProcedure, relayRouter as router } from './relayTrpc.js';
import { channelsRouter } from '../channels/channelsRouter.js';
import { maybeRelayPrivacyOf } from '../privacy/relayPrivacy.js';
import { relayPrivacyRouter } from '../privacy/privacyRouter.js';

const accountRouter = router({
  registerTenant: publicRelayProcedure.input(registerTenantInput).mutation(async ({ ctx, input }) => {
    const signedIn = await ctx.services.accounts.registerTenant(input, ctx.address);
    ctx.services.logger.info('account: tenant registered', { tenantId: signedIn.tenantId, deviceId: signedIn.deviceId });
    return signedIn;
  }),

  login: publicRelayProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const signedIn = await ctx.services.accounts.login(input, ctx.address);
    ctx.services.logger.info('account: signed in', { tenantId: signedIn.tenantId, deviceId: signedIn.deviceId });
    return signedIn;
  }),

  acceptInvitation: publicRelayProcedure.input(acceptInvitationInput).mutation(({ ctx, input }) => ctx.services.accounts.acceptInvitation(input, ctx.address)),

  me: deviceProcedure.query(({ ctx }) => {
    const { tenant: _tenant, ...session } = ctx.device;
    return session;
  }),

  invite: adminProcedure.input(inviteInput).mutation(({ ctx, input }) => ctx.services.accounts.invite(ctx.device, input)),

  operators: deviceProcedure.query(({ ctx }) => ctx.services.accounts.operators(ctx.device)),

  removeOperator: adminProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await ctx.services.accounts.removeOperator(ctx.device, input.id);
    // Their devices are revoked and cannot renew the agent lease: free it now rather than when it expires.
    const lease = await ctx.services.storage.lease(ctx.device.tenantId, ctx.services.now());
    const holder = lease.holderDeviceId;
    if (holder && (await ctx.services.storage.devices(ctx.device.tenantId)).some((device) => device.deviceId === holder && device.operatorId === input.id)) {
      await ctx.services.storage.releaseLease(ctx.device.tenantId, holder);
    }
    ctx.services.logger.info('account: operator removed', { tenantId: ctx.device.tenantId, operatorId: input.id });
  }),

  devices: deviceProcedure.query(async ({ ctx }) =>
    (await ctx.services.accounts.devices(ctx.device)).map((device) => ({
      deviceId: device.deviceId,
      operatorId: device.operatorId,
      name: device.name,
      createdAt: device.createdAt,
      lastSeenAt: device.lastSeenAt,
      revoked: device.revokedAt !== null,
      current: device.deviceId === ctx.device.deviceId,
    })),
  ),

  revokeDevice: deviceProcedure.input(idInput).mutation(async ({ ctx, input }) => {
    await ctx.services.accounts.revokeDevice(ctx.device, input.id);
    // A revoked device cannot renew the agent lease: another desktop takes over the AI at once.
    await ctx.services.storage.releaseLease(ctx.device.tenantId, input.id);
    ctx.services.logger.info('account: device revoked', { tenantId: ctx.device.tenantId, deviceId: input.id });
  }),

  signOut: deviceProcedure.mutation(async ({ ctx }) => {
    await ctx.services.storage.revokeDevice(ctx.device.tenantId, ctx.device.deviceId, ctx.services.now());
    await ctx.services.storage.releaseLease(ctx.device.tenantId, ctx.device.deviceId);
  }),

  settings: deviceProcedure.query(({ ctx }) => ({
    autoReplyAfterSeconds: ctx.device.tenant.autoReplyAfterSeconds,
    autoReplyText: ctx.device.tenant.autoReplyText,
    widgetKey: ctx.device.tenant.widgetKey,
  })),

  updateSettings: adminProcedure.input(tenantSettingsInput).mutation(({ ctx, input }) => ctx.services.storage.updateTenantSettings(ctx.device.tenantId, input)),
});

const syncRouter = router({
  push: deviceProcedure.input(pushInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.services.log.push(ctx.device.tenantId, { deviceId: ctx.device.deviceId, operatorName: ctx.device.operatorName, role: ctx.device.role }, input);
    ctx.services.logger.debug('sync: push', { tenantId: ctx.device.tenantId, deviceId: ctx.device.deviceId, mutations: input.mutations.length, gap: result.gapAfterMutationId ?? null });
    // A customer erasure is applied before the push is answered (a crash in between is caught by the privacy schedule).
    await maybeRelayPrivacyOf(ctx.services)?.afterPush(ctx.device.tenantId, input, result);
    return result;
  }),

  pull: deviceProcedure.input(pullInput).query(async ({ ctx, input }) => {
    // Pulling from a cursor says the device applied everything up to it: that is "collected".
    if (input.cursor.seq > 0) await ctx.services.storage.recordCollected(ctx.device.tenantId, ctx.device.deviceId, input.cursor.seq);
    return ctx.services.log.pull(ctx.device.tenantId, input.cursor, input.limit);
  }),

  /** Backlog then live pages, each tracked by its `throughSeq` so a reconnecting client resumes after it. */
  live: deviceProcedure.input(liveInput).subscription(async function* ({ ctx, input, signal }) {
    const resumeSeq = input.lastEventId ? Number(input.lastEventId) : Number.NaN;
    const cursor = Number.isInteger(resumeSeq) && resumeSeq >= input.cursor.seq ? { epoch: input.cursor.epoch, seq: resumeSeq } : input.cursor;
    ctx.services.logger.debug('sync: live subscription', { tenantId: ctx.device.tenantId, deviceId: ctx.device.deviceId, fromSeq: cursor.seq });
    // A device revoked while subscribed (or whose person was removed) gets no further page: its token is
    // checked again whenever this relay revoked anything, and at least every 5 s for other instances.
    const accounts = ctx.services.accounts;
    let checked = { at: performance.now(), revocations: accounts.revocations };
    for await (const page of ctx.services.log.live(ctx.device.tenantId, cursor, signal)) {
      if (accounts.revocations !== checked.revocations || performance.now() - checked.at > 5000) {
        checked = { at: performance.now(), revocations: accounts.revocations };
        await accounts.authenticate(ctx.deviceToken);
      }
      yield tracked(page.kind === 'events' ? String(page.throughSeq) : `resync-${page.restartFrom.seq}`, page);
    }
  }),

  acknowledge: deviceProcedure.input(acknowledgeInput).mutation(async ({ ctx, input }) => {
    const head = await ctx.services.storage.head(ctx.device.tenantId);
    if (input.cursor.epoch !== head.epoch) return;
    await ctx.services.storage.recordCollected(ctx.device.tenantId, ctx.device.deviceId, Math.min(input.cursor.seq, head.headSeq));
    await ctx.services.storage.touchDevice(ctx.device.tenantId, ctx.device.deviceId, ctx.services.now());
  }),

  head: deviceProcedure.query(({ ctx }) => ctx.services.storage.head(ctx.device.tenantId)),

  /** The relay's view of every conversation of the tenant (the same fold the desktops run). */
  conversations: deviceProcedure.query(({ ctx }) => ctx.services.storage.conversations(ctx.device.tenantId)),

  /** One agent runner per tenant: a renewable lease, so a customer never gets two AI answers. */
  acquireLease: deviceProcedure.input(leaseInput).mutation(({ ctx, input }) =>
    ctx.services.storage.acquireLease(ctx.device.tenantId, ctx.device.deviceId, ctx.services.now(), input.ttlSeconds * 1000),
  ),

  releaseLease: deviceProcedure.mutation(({ ctx }) => ctx.services.storage.releaseLease(ctx.device.tenantId, ctx.device.deviceId)),

  lease: deviceProcedure.query(({ ctx }) => ctx.services.storage.lease(ctx.device.tenantId, ctx.services.now())),

  /** Owners only: starts a new epoch with an empty log; every desktop then resyncs in full. */
  resetLog: adminProcedure.mutation(async ({ ctx }) => {
    if (ctx.device.role !== 'owner') throw new AresError('FORBIDDEN', 'Only the owner can reset the log.');
    const epoch = await ctx.services.log.resetLog(ctx.device.tenantId);
    ctx.services.logger.warn('sync: log reset', { tenantId: ctx.device.tenantId, epoch });
    return { epoch };
  }),
});

export const relayAppRouter = router({ account: accountRouter, sync: syncRouter, channels: channelsRouter, privacy: relayPrivacyRouter });
export type RelayRouter = typeof relayAppRouter;
