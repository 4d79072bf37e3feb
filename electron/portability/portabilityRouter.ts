import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  correctCustomerInput,
  customerIdInput,
  eraseCustomerInput,
  exportCustomerInput,
  findCustomersInput,
  jobIdInput,
  retentionRulesSchema,
  startExportInput,
  startRestoreInput,
} from '../../shared/schemas/portability.js';
import { publicProcedure, router, tenantProcedure } from '../core/trpc.js';
import { correctCustomer, customerRecord, eraseCustomer, exportCustomer, findCustomers } from './customers/customerData.js';
import { exportTenant } from './exportTenant.js';
import { portabilityJobs } from './portabilityJobs.js';
import { readAudit } from './privacyAudit.js';
import { restoreTenant } from './restoreTenant.js';
import { retentionScheduler, retentionStatus, writeRetentionRules } from './retention/retention.js';
import { requirePrivacyRole, sendPendingPrivacyEvents } from './relaySync.js';
import { relayPrivacyRouter } from './relayPrivacyRouter.js';
import { syncServiceFor } from '../sync/index.js';

/** A file name from the tenant name and today's date, in the user's Downloads folder when there is one. */
function suggestedPath(tenantName: string, extension: string): string {
  const downloads = join(homedir(), 'Downloads');
  const folder = existsSync(downloads) ? downloads : homedir();
  const safeName = tenantName.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'tenant';
  return join(folder, `${safeName}-${new Date().toISOString().slice(0, 10)}.${extension}`);
}

/**
 * Export, backup and restore; a customer's access, correction and erasure; retention. Paths are
 * on the computer running the core (the Electron app, or web mode on 127.0.0.1).
 */
export const portabilityRouter = router({
  suggestedExportPath: tenantProcedure.query(({ ctx }) => ({
    archive: suggestedPath(ctx.session.tenantName, 'zip'),
    backup: suggestedPath(ctx.session.tenantName, 'aresbackup'),
  })),

  startExport: tenantProcedure.input(startExportInput).mutation(({ ctx, input }) => {
    const session = ctx.session;
    const jobId = portabilityJobs(ctx.core).start('export', async ({ signal, update }) => {
      const result = await exportTenant(session, {
        destination: input.destination,
        includeVectors: input.includeVectors,
        ...(input.backupPassphrase !== undefined ? { backupPassphrase: input.backupPassphrase } : {}),
        signal,
        onProgress: update,
      });
      return { path: result.path, bytes: result.bytes, counts: result.counts };
    });
    return { jobId };
  }),

  /** Needs no unlocked tenant: a restore creates a new one (from the tenant picker too). */
  startRestore: publicProcedure.input(startRestoreInput).mutation(({ ctx, input }) => {
    const jobId = portabilityJobs(ctx.core).start('restore', async ({ signal, update }) => {
      const result = await restoreTenant(ctx.core.vault, {
        source: input.source,
        tenantName: input.tenantName,
        passphrase: input.passphrase,
        ...(input.backupPassphrase !== undefined ? { backupPassphrase: input.backupPassphrase } : {}),
        signal,
        onProgress: (progress) => update({ ...progress, bytesWritten: progress.done }),
      });
      return { tenantName: result.tenantName, counts: result.counts };
    });
    return { jobId };
  }),

  job: publicProcedure.input(jobIdInput).query(({ ctx, input }) => portabilityJobs(ctx.core).get(input.jobId)),

  cancelJob: publicProcedure.input(jobIdInput).mutation(({ ctx, input }) => portabilityJobs(ctx.core).cancel(input.jobId)),

  findCustomers: tenantProcedure.input(findCustomersInput).query(({ ctx, input }) => findCustomers(ctx.session.database, input.query, input.limit)),

  customer: tenantProcedure.input(customerIdInput).query(({ ctx, input }) => customerRecord(ctx.session.database, input.customerId)),

  exportCustomer: tenantProcedure.input(exportCustomerInput).mutation(({ ctx, input }) => exportCustomer(ctx.session.database, input.customerId, input.format, Date.now())),

  correctCustomer: tenantProcedure.input(correctCustomerInput).mutation(({ ctx, input }) => {
    const sync = syncServiceFor(ctx.session);
    requirePrivacyRole(sync, 'correct');
    const corrected = correctCustomer(ctx.session.database, input.customerId, input.displayName, Date.now());
    // Connected to a relay: the correction goes into the sync outbox now (else when the tenant connects).
    sendPendingPrivacyEvents(sync);
    return corrected;
  }),

  eraseCustomer: tenantProcedure.input(eraseCustomerInput).mutation(({ ctx, input }) => {
    const sync = syncServiceFor(ctx.session);
    requirePrivacyRole(sync, 'erase');
    const erased = eraseCustomer(ctx.session.database, input.customerId, Date.now());
    sendPendingPrivacyEvents(sync);
    return erased;
  }),

  retention: tenantProcedure.query(({ ctx }) => {
    retentionScheduler(ctx.session);
    return retentionStatus(ctx.session.database);
  }),

  setRetention: tenantProcedure.input(retentionRulesSchema).mutation(({ ctx, input }) => {
    // Started before the new rules are written: its first run would otherwise apply them, and the
    // run below would report nothing deleted.
    const scheduler = retentionScheduler(ctx.session);
    writeRetentionRules(ctx.session.database, input);
    scheduler.runNow();
    return retentionStatus(ctx.session.database);
  }),

  audit: tenantProcedure.query(({ ctx }) => readAudit(ctx.session.database, 50)),

  /** The relay's side: retention there, closing the account (see relayPrivacyRouter.ts). */
  relay: relayPrivacyRouter,
});
