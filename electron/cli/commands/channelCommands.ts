import type { Command } from 'commander';
import type { ChannelConnectionView } from '../../../shared/schemas/channels.js';
import { printResult, withTenant, type GlobalOptions } from '../cliContext.js';

function describeConnection(connection: ChannelConnectionView): string {
  const name = connection.channel === 'whatsapp' ? 'WhatsApp' : 'Messenger';
  const last = connection.webhooks.lastReceivedAt ? new Date(connection.webhooks.lastReceivedAt).toISOString() : 'never';
  return [
    `${name}:`,
    `  Callback URL: ${connection.callbackUrl}`,
    `  Verify token: ${connection.verifyToken}`,
    `  Webhooks: ${connection.webhooks.receivedCount} received (last ${last}), ${connection.webhooks.rejectedCount} rejected`,
    `  Replies: ${connection.outbound.sent} sent, ${connection.outbound.queued} waiting, ${connection.outbound.failed} failed`,
  ].join('\n');
}

/** Secrets never come from argv (shell history, process lists): only from the environment. */
function secretFromEnvironment(name: string): string | undefined {
  const value = process.env[name];
  return value && value.trim() ? value.trim() : undefined;
}

export function registerChannelCommands(program: Command, globals: () => GlobalOptions): void {
  const channels = program.command('channels').description('WhatsApp and Messenger at the relay: status, connect, retry failed replies');

  channels
    .command('status')
    .description('callback URLs, verify tokens, whether webhooks are arriving, and failed replies')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .action(async (options: { tenant: string }) => {
      const status = await withTenant(globals(), options.tenant, (caller) => caller.channels.status());
      const failed = status.outbound.filter((send) => send.status === 'failed');
      const text = [
        status.connections.length ? status.connections.map(describeConnection).join('\n') : 'No WhatsApp number or Facebook Page is connected.',
        ...failed.map((send) => `Failed reply ${send.messageId} (${send.channel}): ${send.lastError ?? 'no reason'} — retry with: ares channels retry --tenant "${options.tenant}" --message ${send.messageId}`),
      ].join('\n');
      printResult(globals(), status, text);
    });

  channels
    .command('whatsapp')
    .description('connect or update a WhatsApp number (secrets: ARES_WHATSAPP_ACCESS_TOKEN, ARES_WHATSAPP_APP_SECRET)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--phone-number-id <id>', 'phone number id from Meta')
    .requiredOption('--business-account-id <id>', 'WhatsApp Business Account id')
    .option('--template <name:language:parameters...>', 'an approved template, e.g. order_update:en_US:1 (repeatable)')
    .action(async (options: { tenant: string; phoneNumberId: string; businessAccountId: string; template?: string[] }) => {
      const templates = (options.template ?? []).map((value) => {
        const [name = '', language = 'en_US', count = '0'] = value.split(':');
        return { name, language, bodyParameterCount: Number(count), description: '' };
      });
      const accessToken = secretFromEnvironment('ARES_WHATSAPP_ACCESS_TOKEN');
      const appSecret = secretFromEnvironment('ARES_WHATSAPP_APP_SECRET');
      const view = await withTenant(globals(), options.tenant, (caller) =>
        caller.channels.configureWhatsapp({
          phoneNumberId: options.phoneNumberId,
          businessAccountId: options.businessAccountId,
          templates,
          ...(accessToken ? { accessToken } : {}),
          ...(appSecret ? { appSecret } : {}),
        }),
      );
      printResult(globals(), view, describeConnection(view));
    });

  channels
    .command('messenger')
    .description('connect or update a Facebook Page (secrets: ARES_MESSENGER_PAGE_ACCESS_TOKEN, ARES_MESSENGER_APP_SECRET)')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--page-id <id>', 'Facebook Page id')
    .action(async (options: { tenant: string; pageId: string }) => {
      const pageAccessToken = secretFromEnvironment('ARES_MESSENGER_PAGE_ACCESS_TOKEN');
      const appSecret = secretFromEnvironment('ARES_MESSENGER_APP_SECRET');
      const view = await withTenant(globals(), options.tenant, (caller) =>
        caller.channels.configureMessenger({ pageId: options.pageId, ...(pageAccessToken ? { pageAccessToken } : {}), ...(appSecret ? { appSecret } : {}) }),
      );
      printResult(globals(), view, describeConnection(view));
    });

  channels
    .command('retry')
    .description('send a failed reply again')
    .requiredOption('--tenant <name>', 'tenant on this device')
    .requiredOption('--message <id>', 'the reply message id (from `ares channels status`)')
    .action(async (options: { tenant: string; message: string }) => {
      const send = await withTenant(globals(), options.tenant, (caller) => caller.channels.retrySend({ messageId: options.message }));
      printResult(globals(), send, `Reply ${send.messageId} is ${send.status} again.`);
    });
}
