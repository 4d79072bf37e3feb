import { AresError } from '../../shared/errors.js';
import { closeAccountInput, relayRetentionRulesSchema, type AccountClosure, type RelayRetentionStatus } from '../../shared/schemas/relayPrivacy.js';
import { router, tenantProcedure } from '../core/trpc.js';
import { syncServiceFor } from '../sync/index.js';
import { RelayPrivacyClient } from './relayPrivacyClient.js';
import { readAccountNotice, writeAccountNotice, type AccountNotice } from './relaySync.js';

export interface RelayPrivacyStatus {
  connected: boolean;
  role: string | null;
  retention: RelayRetentionStatus | null;
  closure: AccountClosure | null;
  /** What the relay last announced through sync (closing on a date, cancelled). */
  notice: AccountNotice;
  /** Why the relay's answer is missing (unreachable); null when it answered. */
  problem: string | null;
}

/**
 * Privacy rights on the relay, from the desktop: retention there, closing the business account
 * (owner only, enforced by the relay) and cancelling it during the grace period.
 */
export const relayPrivacyRouter = router({
  status: tenantProcedure.query(async ({ ctx }): Promise<RelayPrivacyStatus> => {
    const database = ctx.session.database;
    const connection = syncServiceFor(ctx.session).store.connection();
    const notice = readAccountNotice(database);
    if (!connection) return { connected: false, role: null, retention: null, closure: null, notice, problem: null };
    const client = RelayPrivacyClient.forSession(ctx.session);
    try {
      const [retention, closure] = await Promise.all([client.retention(), client.closure()]);
      return { connected: true, role: connection.role, retention, closure, notice, problem: null };
    } catch (error) {
      if (error instanceof AresError && error.code === 'RELAY_ACCOUNT_CLOSED') {
        return { connected: true, role: connection.role, retention: null, closure: { state: 'closed', requestedAt: null, deleteAt: null }, notice, problem: error.message };
      }
      return { connected: true, role: connection.role, retention: null, closure: null, notice, problem: error instanceof Error ? error.message : String(error) };
    }
  }),

  setRetention: tenantProcedure.input(relayRetentionRulesSchema).mutation(({ ctx, input }) => RelayPrivacyClient.forSession(ctx.session).setRetention(input)),

  closeAccount: tenantProcedure.input(closeAccountInput).mutation(async ({ ctx, input }) => {
    const closure = await RelayPrivacyClient.forSession(ctx.session).closeAccount(input.graceDays);
    if (closure.state === 'closing') writeAccountNotice(ctx.session.database, { state: 'closing', deleteAt: closure.deleteAt, noticedAt: Date.now() });
    return closure;
  }),

  cancelClosure: tenantProcedure.mutation(async ({ ctx }) => {
    const closure = await RelayPrivacyClient.forSession(ctx.session).cancelClosure();
    writeAccountNotice(ctx.session.database, { state: 'open', deleteAt: null, noticedAt: Date.now() });
    return closure;
  }),

  audit: tenantProcedure.query(({ ctx }) => RelayPrivacyClient.forSession(ctx.session).audit()),
});
