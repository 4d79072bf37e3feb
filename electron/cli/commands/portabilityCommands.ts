import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AresError } from '../../../shared/errors.js';
import { describeAuditEntry } from '../../../shared/privacyLog.js';
import type { PortabilityJobState, RetentionStatus } from '../../../shared/schemas/portability.js';
import { describeFailure, printResult, withCore, withTenant, type CoreCaller, type GlobalOptions } from '../cliContext.js';
import { readPassphrase, readTenantPassphrase } from '../passphraseInput.js';
import { describeDays, retentionDays } from '../retentionDays.js';
import { counted } from '../counted.js';

/** The backup passphrase: ARES_BACKUP_PASSPHRASE, a hidden prompt, or line 2 of piped standard input. */
const readBackupPassphrase = () => readPassphrase({ environmentVariable: 'ARES_BACKUP_PASSPHRASE', lineIndex: 1, prompt: 'Backup passphrase: ' });

/** Polls a job until it ends, drawing progress on stderr (stdout stays for the result). */
async function waitForJob(caller: CoreCaller, jobId: string, options: GlobalOptions): Promise<PortabilityJobState> {
  const interactive = process.stderr.isTTY && !options.json;
  for (;;) {
    const state = await caller.portability.job({ jobId });
    if (interactive) {
      const percent = state.total > 0 ? Math.min(100, Math.floor((state.done / state.total) * 100)) : 0;
      process.stderr.write(`\r${state.phase.padEnd(40).slice(0, 40)} ${String(percent).padStart(3)}%  ${(state.bytesWritten / 1_048_576).toFixed(1)} MB`);
    }
    if (state.status !== 'running') {
      if (interactive) process.stderr.write('\n');
      if (state.error) throw new AresError(state.error.code as never, state.error.message);
      return state;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
}

function describeRetention(status: RetentionStatus): string {
  const deleted = status.lastDeleted;
  const last = status.lastRunAt
    ? `last run ${new Date(status.lastRunAt).toISOString()}${deleted ? `: ${counted(deleted.conversations, 'conversation')}, ${counted(deleted.messages, 'message')} and the details of ${counted(deleted.attachments, 'attachment')} deleted` : ''}`
    : 'not run yet';
  return [`Conversations without activity: ${describeDays(status.rules.conversationDays)}`, `Attachment details: ${describeDays(status.rules.attachmentDays)}`, `Retention ${last}.`].join('\n');
}

export function registerPortabilityCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('privacy-log')
    .description("the tenant's privacy log: exports, restores, customer requests and retention runs, newest first (the last 50)")
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (options: { tenant: string }) => {
      const entries = await withTenant(globals(), options.tenant, (caller) => caller.portability.audit());
      const lines = entries.map((entry) => {
        const { action, detail } = describeAuditEntry(entry);
        return `${new Date(entry.occurredAt).toISOString()}  ${action}${detail ? ` (${detail})` : ''}`;
      });
      printResult(globals(), entries, lines.length === 0 ? 'Nothing in the privacy log yet.' : lines.join('\n'));
    });

  program
    .command('retention')
    .description("show this tenant's retention rules; with options, set them and apply them now")
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--conversation-days <days>', 'delete conversations after this many days without activity ("off" keeps them)')
    .option('--attachment-days <days>', 'delete attachment details of messages older than this many days ("off" keeps them)')
    .action(async (options: { tenant: string; conversationDays?: string; attachmentDays?: string }) => {
      const status = await withTenant(globals(), options.tenant, async (caller) => {
        const current = await caller.portability.retention();
        if (options.conversationDays === undefined && options.attachmentDays === undefined) return current;
        return caller.portability.setRetention({
          conversationDays: options.conversationDays === undefined ? current.rules.conversationDays : retentionDays(options.conversationDays),
          attachmentDays: options.attachmentDays === undefined ? current.rules.attachmentDays : retentionDays(options.attachmentDays),
        });
      });
      printResult(globals(), status, describeRetention(status));
    });

  program
    .command('export')
    .description('export everything a tenant owns into one .zip (or an encrypted backup with --encrypt)')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--out <file>', 'where to write the archive (must not exist yet)')
    .option('--encrypt', 'seal the archive with a backup passphrase (ARES_BACKUP_PASSPHRASE or line 2 of standard input)')
    .option('--vectors', 'include the embedding vectors of the chunks')
    .action(async (options: { tenant: string; out: string; encrypt?: boolean; vectors?: boolean }) => {
      // Both passphrases are read before the work starts, in the order a person is asked for them.
      const passphrase = await readTenantPassphrase();
      const backupPassphrase = options.encrypt ? await readBackupPassphrase() : undefined;
      const state = await withCore(globals(), async (caller) => {
        await caller.vault.unlock({ name: options.tenant, passphrase });
        const { jobId } = await caller.portability.startExport({
          destination: resolve(options.out),
          includeVectors: options.vectors ?? false,
          ...(backupPassphrase !== undefined ? { backupPassphrase } : {}),
        });
        return waitForJob(caller, jobId, globals());
      });
      const result = state.result!;
      printResult(globals(), result, `Exported "${options.tenant}" to ${result.path} (${((result.bytes ?? 0) / 1_048_576).toFixed(1)} MB${options.encrypt ? ', encrypted' : ''}): ${describeCounts(result.counts)}.`);
    });

  program
    .command('restore')
    .description('restore an export or an encrypted backup into a NEW tenant (its passphrase from ARES_PASSPHRASE or line 1 of standard input)')
    .requiredOption('--in <file>', 'the .zip or backup to restore')
    .requiredOption('--name <name>', 'name of the new tenant')
    .action(async (options: { in: string; name: string }) => {
      const passphrase = await readTenantPassphrase();
      const source = resolve(options.in);
      const state = await withCore(globals(), async (caller) => {
        let jobId: string;
        try {
          ({ jobId } = await caller.portability.startRestore({ source, tenantName: options.name, passphrase }));
          return await waitForJob(caller, jobId, globals());
        } catch (error) {
          if (describeFailure(error).code !== 'BACKUP_PASSPHRASE_REQUIRED') throw error;
        }
        const backupPassphrase = await readBackupPassphrase();
        ({ jobId } = await caller.portability.startRestore({ source, tenantName: options.name, passphrase, backupPassphrase }));
        return waitForJob(caller, jobId, globals());
      });
      printResult(globals(), state.result, `Restored into the new tenant "${state.result!.tenantName}": ${describeCounts(state.result!.counts)}.`);
    });

  const customer = program.command('customer').description("a customer's data: find, show, export, correct, erase");

  customer
    .command('find')
    .description('find customers by name, label or something they wrote (a phone number, an order id)')
    .requiredOption('--tenant <name>', 'tenant name')
    .argument('[query]', 'text to look for', '')
    .action(async (query: string, options: { tenant: string }) => {
      const customers = await withTenant(globals(), options.tenant, (caller) => caller.portability.findCustomers({ query, limit: 50 }));
      const text = customers.length === 0 ? 'No customer matches.' : customers.map((c) => `${c.customerId}  ${c.displayName}  (${c.channel ?? 'unknown channel'}, ${c.conversationCount} conversations)`).join('\n');
      printResult(globals(), customers, text);
    });

  customer
    .command('show')
    .description('everything held about one customer')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--id <customerId>', 'customer id from "ares customer find"')
    .action(async (options: { tenant: string; id: string }) => {
      const record = await withTenant(globals(), options.tenant, (caller) => caller.portability.customer({ customerId: options.id }));
      const lines = [`${record.customer.displayName} (${record.customer.channel ?? 'unknown channel'})`];
      for (const conversation of record.conversations) {
        lines.push(`- conversation ${conversation.conversationId} (${conversation.status})`);
        for (const message of conversation.messages) lines.push(`    ${new Date(message.createdAt).toISOString()} ${message.from}: ${message.text}`);
      }
      printResult(globals(), record, lines.join('\n'));
    });

  customer
    .command('export')
    .description("write a customer's data (access request) as JSON or CSV")
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--id <customerId>', 'customer id')
    .requiredOption('--out <file>', 'file to write')
    .option('--format <format>', 'json or csv', 'json')
    .action(async (options: { tenant: string; id: string; out: string; format: string }) => {
      const format = options.format === 'csv' ? 'csv' : 'json';
      const file = await withTenant(globals(), options.tenant, (caller) => caller.portability.exportCustomer({ customerId: options.id, format }));
      await writeFile(resolve(options.out), file.content, { flag: 'wx', mode: 0o600 });
      printResult(globals(), { path: resolve(options.out) }, `Wrote ${resolve(options.out)}.`);
    });

  customer
    .command('correct')
    .description("correct the name shown for a customer")
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--id <customerId>', 'customer id')
    .requiredOption('--display-name <name>', 'the corrected name')
    .action(async (options: { tenant: string; id: string; displayName: string }) => {
      const summary = await withTenant(globals(), options.tenant, (caller) => caller.portability.correctCustomer({ customerId: options.id, displayName: options.displayName }));
      printResult(globals(), summary, `Corrected. The customer's id is now ${summary.customerId}.`);
    });

  customer
    .command('erase')
    .description('erase a customer here and, through sync, on the relay and the other desktops')
    .requiredOption('--tenant <name>', 'tenant name')
    .requiredOption('--id <customerId>', 'customer id')
    .requiredOption('--confirm <word>', 'type ERASE: this cannot be undone')
    .action(async (options: { tenant: string; id: string; confirm: string }) => {
      const result = await withTenant(globals(), options.tenant, (caller) => caller.portability.eraseCustomer({ customerId: options.id, confirm: options.confirm as 'ERASE' }));
      printResult(globals(), result, `Erased ${result.conversations} conversations and ${result.messages} messages (erasure ${result.erasureId}).`);
    });
}
