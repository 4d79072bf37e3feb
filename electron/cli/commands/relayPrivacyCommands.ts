import type { Command } from 'commander';
import { defaultRelayRetentionRules, type AccountClosure, type RelayRetentionStatus } from '../../../shared/schemas/relayPrivacy.js';
import { printResult, withTenant, type GlobalOptions } from '../cliContext.js';
import { describeDays, retentionDays } from '../retentionDays.js';
import { counted } from '../counted.js';

function describeRetention(status: RelayRetentionStatus): string {
  const last = status.lastRun
    ? `last run ${new Date(status.lastRun.ranAt).toISOString()}: ${counted(status.lastRun.conversations, 'conversation')}, ${counted(status.lastRun.events, 'event')} and the details of ${counted(status.lastRun.attachments, 'attachment')} deleted, log kept after seq ${status.lastRun.prunedThroughSeq}`
    : 'not run yet';
  return [
    `Conversations without activity: ${describeDays(status.rules.conversationDays)}`,
    `Content every device has collected: ${describeDays(status.rules.collectedEventDays)}`,
    `Attachment details (media id, file name, caption): ${describeDays(status.rules.attachmentDays)}`,
    `Relay retention ${last}.`,
  ].join('\n');
}

function describeClosure(closure: AccountClosure): string {
  if (closure.state === 'open') return 'The business account on the relay is open.';
  if (closure.state === 'closed') return 'The business account was closed on the relay; its data there is deleted.';
  return `The business account closes on ${new Date(closure.deleteAt ?? 0).toISOString()}; until then "ares relay cancel-close" keeps it.`;
}

/** Privacy rights on the relay: its retention rules and closing the business account (owner only). */
export function registerRelayPrivacyCommands(program: Command, globals: () => GlobalOptions): void {
  const relay = program.commands.find((command) => command.name() === 'relay') ?? program.command('relay').description('the relay connection and account');

  relay
    .command('retention')
    .description('show the relay retention rules; with options, set them (owners and admins) and apply them now')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .option('--conversation-days <days>', 'delete conversations on the relay after this many days without activity ("off" keeps them)')
    .option('--collected-days <days>', 'drop event content every signed-in device has collected after this many days ("off" keeps it)')
    .option('--attachment-days <days>', 'delete attachment details (media id, file name, caption) of messages older than this many days ("off" keeps them)')
    .action(async (options: { tenant: string; conversationDays?: string; collectedDays?: string; attachmentDays?: string }) => {
      const status = await withTenant(globals(), options.tenant, async (caller) => {
        if (options.conversationDays === undefined && options.collectedDays === undefined && options.attachmentDays === undefined) {
          const current = await caller.portability.relay.status();
          if (!current.retention) throw new Error(current.problem ?? 'This tenant is not connected to a relay.');
          return current.retention;
        }
        const current = (await caller.portability.relay.status()).retention?.rules ?? defaultRelayRetentionRules;
        return caller.portability.relay.setRetention({
          conversationDays: options.conversationDays === undefined ? current.conversationDays : retentionDays(options.conversationDays),
          collectedEventDays: options.collectedDays === undefined ? current.collectedEventDays : retentionDays(options.collectedDays),
          attachmentDays: options.attachmentDays === undefined ? current.attachmentDays : retentionDays(options.attachmentDays),
        });
      });
      printResult(globals(), status, describeRetention(status));
    });

  relay
    .command('close-account')
    .description('owner only: delete the business account and all its data from the relay, now or after a grace period')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--grace-days <days>', 'days until the data is deleted (0 = now, at most 30; cancellable until then)')
    .requiredOption('--confirm <word>', 'type CLOSE')
    .action(async (options: { tenant: string; graceDays: string; confirm: string }) => {
      const closure = await withTenant(globals(), options.tenant, (caller) =>
        caller.portability.relay.closeAccount({ graceDays: Number(options.graceDays), confirm: options.confirm as 'CLOSE' }),
      );
      printResult(globals(), closure, describeClosure(closure));
    });

  relay
    .command('cancel-close')
    .description('owner only: keep the business account that is waiting to be closed')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const closure = await withTenant(globals(), options.tenant, (caller) => caller.portability.relay.cancelClosure());
      printResult(globals(), closure, describeClosure(closure));
    });

  relay
    .command('account')
    .description('whether the business account on the relay is open, closing (and when) or closed')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const status = await withTenant(globals(), options.tenant, (caller) => caller.portability.relay.status());
      const closure = status.closure ?? { state: 'open' as const, requestedAt: null, deleteAt: null };
      printResult(globals(), status, status.connected ? (status.closure ? describeClosure(closure) : `The relay did not answer: ${status.problem}`) : 'This tenant is not connected to a relay.');
    });
}
