import { z } from 'zod';
import { closeAccountInput, relayRetentionRulesSchema } from '../../shared/schemas/relayPrivacy.js';
import { deviceProcedure, relayRouter as router } from '../api/relayTrpc.js';
import { relayPrivacyOf } from './relayPrivacy.js';

const actorOf = (device: { tenantId: string; operatorId: string; role: string }) => ({ tenantId: device.tenantId, operatorId: device.operatorId, role: device.role });

/**
 * Privacy rights on the relay: the tenant's retention rules, closing the account (owner only; now
 * or after a cancellable grace period of up to 30 days), and the audit trail without personal data.
 * Roles are checked in RelayPrivacy, so the rule is the same for every caller.
 */
export const relayPrivacyRouter = router({
  retention: deviceProcedure.query(({ ctx }) => relayPrivacyOf(ctx.services).retentionStatus(ctx.device.tenantId)),

  setRetention: deviceProcedure.input(relayRetentionRulesSchema).mutation(({ ctx, input }) => relayPrivacyOf(ctx.services).setRetention(actorOf(ctx.device), input)),

  closure: deviceProcedure.query(({ ctx }) => relayPrivacyOf(ctx.services).closure(ctx.device.tenantId)),

  closeAccount: deviceProcedure.input(closeAccountInput).mutation(({ ctx, input }) => relayPrivacyOf(ctx.services).closeAccount(actorOf(ctx.device), input.graceDays)),

  cancelClosure: deviceProcedure.mutation(({ ctx }) => relayPrivacyOf(ctx.services).cancelClosure(actorOf(ctx.device))),

  audit: deviceProcedure.input(z.object({ limit: z.number().int().min(1).max(500).default(50) }).optional()).query(async ({ ctx, input }) => {
    if (ctx.device.role === 'agent') return [];
    return relayPrivacyOf(ctx.services).audit(ctx.device.tenantId, input?.limit ?? 50);
  }),
});
