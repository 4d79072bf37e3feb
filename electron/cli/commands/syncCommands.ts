import type { Command } from 'commander';
import type { RelayStatus } from '../../../shared/schemas/relaySync.js';
import { printResult, withTenant, type CoreCaller, type GlobalOptions } from '../cliContext.js';
import { readPassphrase } from '../passphraseInput.js';
import { counted } from '../counted.js';

/** The relay password never comes from argv: ARES_RELAY_PASSWORD, a hidden prompt, or line 2 of piped input. */
const readRelayPassword = () => readPassphrase({ environmentVariable: 'ARES_RELAY_PASSWORD', lineIndex: 1, prompt: 'Relay password: ' });

function describeStatus(status: RelayStatus): string {
  if (!status.connected) return `Not connected to a relay. ${counted(status.pendingOutbox, 'change')} waiting to be sent.`;
  const synced = status.sync.lastSyncedAt ? new Date(status.sync.lastSyncedAt).toISOString() : 'never';
  return [
    `Relay: ${status.relayUrl} (${status.tenantName}, signed in as ${status.operatorName}, ${status.role})`,
    `Sync: ${status.sync.state}; ${counted(status.sync.pendingOutbox, 'change')} waiting; last synced ${synced}${status.sync.lastError ? `; last error: ${status.sync.lastError}` : ''}`,
    `Widget snippet: ${status.widgetSnippet}`,
  ].join('\n');
}

/** One sync round before reading or after writing, so a command sees (and sends) the latest; failures are reported in the status. */
async function syncQuietly(caller: CoreCaller): Promise<void> {
  const status = await caller.sync.status();
  if (status.connected) await caller.sync.syncNow().catch(() => {});
}

export function registerSyncCommands(program: Command, globals: () => GlobalOptions): void {
  const relay = program.command('relay').description('connect a tenant to a relay, see its sync state, disconnect');

  relay
    .command('connect')
    .description('sign in to a relay (tenant passphrase: ARES_PASSPHRASE or line 1 of stdin; relay password: ARES_RELAY_PASSWORD or line 2)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--url <url>', 'relay address (https://…, or http://127.0.0.1:… on this computer)')
    .requiredOption('--email <email>', 'relay account email')
    .option('--device-name <name>', 'how this device is listed at the relay')
    .action(async (options: { tenant: string; url: string; email: string; deviceName?: string }) => {
      const status = await withTenant(globals(), options.tenant, async (caller) => {
        const password = await readRelayPassword();
        const connected = await caller.sync.connect({ relayUrl: options.url, email: options.email, password, deviceName: options.deviceName });
        await syncQuietly(caller);
        return connected.connected ? caller.sync.status() : connected;
      });
      printResult(globals(), status, describeStatus(status));
    });

  relay
    .command('register')
    .description('create a relay account for this tenant, with you as its owner')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--url <url>', 'relay address')
    .requiredOption('--business <name>', 'business name at the relay')
    .requiredOption('--owner <name>', 'your name')
    .requiredOption('--email <email>', 'your email')
    .action(async (options: { tenant: string; url: string; business: string; owner: string; email: string }) => {
      const status = await withTenant(globals(), options.tenant, async (caller) => {
        const password = await readRelayPassword();
        await caller.sync.register({ relayUrl: options.url, businessName: options.business, ownerName: options.owner, email: options.email, password });
        await syncQuietly(caller);
        return caller.sync.status();
      });
      printResult(globals(), status, describeStatus(status));
    });

  relay
    .command('status')
    .description('sync once, then show the connection and sync state')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const status = await withTenant(globals(), options.tenant, async (caller) => {
        await syncQuietly(caller);
        return caller.sync.status();
      });
      printResult(globals(), status, describeStatus(status));
    });

  relay
    .command('disconnect')
    .description('sign this device out of the relay and forget its credentials (conversations stay)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const status = await withTenant(globals(), options.tenant, (caller) => caller.sync.disconnect());
      printResult(globals(), status, 'Disconnected from the relay.');
    });

  const conversations = program.command('conversations').description('conversations synced from the relay');

  conversations
    .command('list')
    .description('sync, then list conversations (newest activity first)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const list = await withTenant(globals(), options.tenant, async (caller) => {
        await syncQuietly(caller);
        return caller.inbox.conversations();
      });
      const text =
        list.length === 0
          ? 'No conversations yet.'
          : list.map((c) => `${c.conversationId}  ${c.status}${c.holder ? ` (${c.holder})` : ''}  ${c.customerLabel}: ${c.lastMessagePreview}`).join('\n');
      printResult(globals(), list, text);
    });

  conversations
    .command('show')
    .description('sync, then print the messages of one conversation')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--conversation <id>', 'conversation id (from "conversations list")')
    .action(async (options: { tenant: string; conversation: string }) => {
      const messages = await withTenant(globals(), options.tenant, async (caller) => {
        await syncQuietly(caller);
        return caller.inbox.messages({ conversationId: options.conversation });
      });
      printResult(globals(), messages, messages.map((m) => `[${m.kind}${m.authorName ? ` ${m.authorName}` : ''}${m.delivery !== 'sent' ? `, ${m.delivery}` : ''}] ${m.text}`).join('\n'));
    });

  program
    .command('reply')
    .description('reply to a conversation as staff; sent now if the relay is reachable, otherwise kept in the outbox')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--conversation <id>', 'conversation id')
    .requiredOption('--text <text>', 'the reply')
    .action(async (options: { tenant: string; conversation: string; text: string }) => {
      const result = await withTenant(globals(), options.tenant, async (caller) => {
        await syncQuietly(caller);
        const written = await caller.inbox.reply({ conversationId: options.conversation, text: options.text });
        await syncQuietly(caller);
        const status = await caller.sync.status();
        return { ...written, pendingOutbox: status.connected ? status.sync.pendingOutbox : status.pendingOutbox };
      });
      printResult(globals(), result, result.pendingOutbox === 0 ? 'Reply sent.' : `Reply saved; ${counted(result.pendingOutbox, 'change')} will be sent when the relay is reachable.`);
    });
}
