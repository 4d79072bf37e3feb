import type { Command } from 'commander';
import { inboxFilterSchema } from '../../../shared/schemas/liveInbox.js';
import { channelNameSchema } from '../../../shared/schemas/sync.js';
import { printResult, withTenant, type CoreCaller, type GlobalOptions } from '../cliContext.js';
import { counted } from '../counted.js';

async function syncQuietly(caller: CoreCaller): Promise<void> {
  // Offline is fine: the change waits in the outbox and is pushed next time.
  await caller.sync.syncNow().catch(() => undefined);
}

type Action = 'takeOver' | 'handBack' | 'resolve' | 'reopen';

/** `ares inbox …`: the live inbox from a terminal, through the same router as the app. */
export function registerInboxCommands(program: Command, globals: () => GlobalOptions): void {
  const inbox = program.command('inbox').description('live inbox: list, take over, hand back, resolve, reopen, assign, notes, saved replies, dashboard');

  inbox
    .command('list')
    .description('sync, then list conversations (newest activity first)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .option('--filter <filter>', `one of ${inboxFilterSchema.options.join(', ')}`, 'all')
    .option('--channel <channel>', `one of ${channelNameSchema.options.join(', ')}`)
    .option('--search <text>', 'words in names or messages')
    .option('--limit <count>', 'at most this many', '50')
    .action(async (options: { tenant: string; filter: string; channel?: string; search?: string; limit: string }) => {
      const page = await withTenant(globals(), options.tenant, async (caller) => {
        await syncQuietly(caller);
        return caller.liveInbox.page({
          filter: inboxFilterSchema.parse(options.filter),
          channel: options.channel ? channelNameSchema.parse(options.channel) : null,
          search: options.search ?? '',
          limit: Math.min(500, Math.max(1, Number(options.limit) || 50)),
        });
      });
      const lines = page.rows.map((row) => `${row.conversationId}  ${row.status}${row.holder ? ` (${row.holder})` : ''}${row.unread ? `  ${row.unread} unread` : ''}  ${row.customerLabel}: ${row.lastMessagePreview}`);
      printResult(globals(), page, [page.totalCapped ? `${page.total}+ conversations` : counted(page.total, 'conversation'), ...lines].join('\n'));
    });

  const actions: { name: string; action: Action; description: string; done: string }[] = [
    { name: 'take-over', action: 'takeOver', description: 'take a conversation over from the AI (the AI stops at once)', done: 'Taken over.' },
    { name: 'hand-back', action: 'handBack', description: 'hand a conversation back to the AI (the customer is told)', done: 'Handed back to the AI.' },
    { name: 'resolve', action: 'resolve', description: 'mark a conversation resolved', done: 'Resolved.' },
    { name: 'reopen', action: 'reopen', description: 'reopen a resolved conversation for people', done: 'Reopened.' },
  ];
  for (const entry of actions) {
    inbox
      .command(entry.name)
      .description(entry.description)
      .requiredOption('--tenant <name>', 'tenant on this device')
      .requiredOption('--conversation <id>', 'conversation id (from "inbox list")')
      .action(async (options: { tenant: string; conversation: string }) => {
        const result = await withTenant(globals(), options.tenant, async (caller) => {
          await syncQuietly(caller);
          const written = await caller.liveInbox[entry.action]({ conversationId: options.conversation });
          await syncQuietly(caller);
          // The relay decides races: report what it says now (a lost take-over shows the winner).
          return { ...written, state: (await caller.liveInbox.conversation({ conversationId: options.conversation })) };
        });
        printResult(globals(), result, `${entry.done} State: ${result.state.status}${result.state.holder ? ` (${result.state.holder})` : ''}.`);
      });
  }

  inbox
    .command('assign')
    .description('give a conversation to a colleague')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--conversation <id>', 'conversation id')
    .requiredOption('--to <name>', "the colleague's name as in the relay account")
    .action(async (options: { tenant: string; conversation: string; to: string }) => {
      const result = await withTenant(globals(), options.tenant, async (caller) => {
        const written = await caller.liveInbox.assign({ conversationId: options.conversation, assigneeName: options.to });
        await syncQuietly(caller);
        return written;
      });
      printResult(globals(), result, `Assigned to ${options.to}.`);
    });

  inbox
    .command('note')
    .description('add a private note (staff only, never sent to the customer)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--conversation <id>', 'conversation id')
    .requiredOption('--text <text>', 'the note')
    .action(async (options: { tenant: string; conversation: string; text: string }) => {
      const result = await withTenant(globals(), options.tenant, async (caller) => {
        const written = await caller.liveInbox.note({ conversationId: options.conversation, text: options.text });
        await syncQuietly(caller);
        return written;
      });
      printResult(globals(), result, 'Note added.');
    });

  const saved = inbox.command('saved-replies').description('saved replies inserted with /shortcut');
  saved
    .command('list')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const replies = await withTenant(globals(), options.tenant, (caller) => caller.liveInbox.savedReplies());
      printResult(globals(), replies, replies.length === 0 ? 'No saved replies.' : replies.map((reply) => `/${reply.shortcut}  ${reply.text}`).join('\n'));
    });
  saved
    .command('add')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--shortcut <word>', 'typed after / in the composer')
    .requiredOption('--text <text>', 'the text it inserts')
    .action(async (options: { tenant: string; shortcut: string; text: string }) => {
      const reply = await withTenant(globals(), options.tenant, (caller) => caller.liveInbox.saveSavedReply({ shortcut: options.shortcut, text: options.text }));
      printResult(globals(), reply, `Saved /${reply.shortcut}.`);
    });

  inbox
    .command('dashboard')
    .description('conversations per day, AI share, hand-offs by reason, first response time, unanswered questions')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .option('--days <days>', 'period in days (1-90)', '14')
    .action(async (options: { tenant: string; days: string }) => {
      const statistics = await withTenant(globals(), options.tenant, async (caller) => {
        await syncQuietly(caller);
        return caller.liveInbox.dashboard({ days: Math.min(90, Math.max(1, Number(options.days) || 14)) });
      });
      const share = statistics.aiResolvedShare === null ? '—' : `${Math.round(statistics.aiResolvedShare * 100)}%`;
      const text = [
        `${counted(statistics.conversations, 'conversation')}; resolved by the AI alone: ${share}; first response (median): ${statistics.firstResponseMedianSeconds ?? '—'} s`,
        ...statistics.handOffs.map((row) => `hand-off ${row.reason}: ${row.count} (${Math.round(row.rate * 100)}%)`),
        ...statistics.unansweredQuestions.map((question) => `unanswered: ${question.question}`),
      ].join('\n');
      printResult(globals(), statistics, text);
    });
}
