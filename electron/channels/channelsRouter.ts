import { configureMessengerInput, configureWhatsappInput, removeChannelInput, retrySendInput, sendTemplateInput } from '../../shared/schemas/channels.js';
import { router, tenantProcedure } from '../core/trpc.js';
import { RelayChannelsClient } from './relayChannelsClient.js';

/**
 * WhatsApp and Messenger for the unlocked tenant. Everything lives at the relay (webhooks arrive
 * there); this router forwards with the tenant's device token. Secrets are write-only: the relay
 * never returns them, so the desktop never stores or shows them.
 */
export const channelsRouter = router({
  status: tenantProcedure.query(async ({ ctx }) => {
    const client = RelayChannelsClient.forSession(ctx.session);
    const [status, outbound] = await Promise.all([client.status(), client.outbound()]);
    return { ...status, outbound };
  }),

  configureWhatsapp: tenantProcedure.input(configureWhatsappInput).mutation(({ ctx, input }) => RelayChannelsClient.forSession(ctx.session).configureWhatsapp(input)),

  configureMessenger: tenantProcedure.input(configureMessengerInput).mutation(({ ctx, input }) => RelayChannelsClient.forSession(ctx.session).configureMessenger(input)),

  remove: tenantProcedure.input(removeChannelInput).mutation(({ ctx, input }) => RelayChannelsClient.forSession(ctx.session).remove(input.channel)),

  retrySend: tenantProcedure.input(retrySendInput).mutation(({ ctx, input }) => RelayChannelsClient.forSession(ctx.session).retrySend(input.messageId)),

  templates: tenantProcedure.query(({ ctx }) => RelayChannelsClient.forSession(ctx.session).templates()),

  sendTemplate: tenantProcedure.input(sendTemplateInput).mutation(({ ctx, input }) => RelayChannelsClient.forSession(ctx.session).sendTemplate(input)),
});
