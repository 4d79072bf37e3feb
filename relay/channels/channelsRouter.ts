import { AresError } from '../../shared/errors.js';
import { configureMessengerInput, configureWhatsappInput, removeChannelInput, retrySendInput, sendTemplateInput } from '../../shared/schemas/channels.js';
import { adminProcedure, deviceProcedure, relayRouter as router } from '../api/relayTrpc.js';
import type { RelayServices } from '../relayServices.js';
import type { ChannelServices } from './channelServices.js';

function channelsOf(services: RelayServices): ChannelServices {
  if (!services.channels) throw new AresError('NOT_FOUND', 'This relay has no WhatsApp or Messenger support enabled.');
  return services.channels;
}

/** Connecting WhatsApp and Messenger (owners and admins), their status, and the outbound queue. */
export const channelsRouter = router({
  status: deviceProcedure.query(async ({ ctx }) => ({ connections: await channelsOf(ctx.services).connections.status(ctx.device.tenantId) })),

  configureWhatsapp: adminProcedure.input(configureWhatsappInput).mutation(async ({ ctx, input }) => {
    const view = await channelsOf(ctx.services).connections.configureWhatsapp(ctx.device.tenantId, input);
    ctx.services.logger.info('channels: WhatsApp configured', { tenantId: ctx.device.tenantId });
    return view;
  }),

  configureMessenger: adminProcedure.input(configureMessengerInput).mutation(async ({ ctx, input }) => {
    const view = await channelsOf(ctx.services).connections.configureMessenger(ctx.device.tenantId, input);
    ctx.services.logger.info('channels: Messenger configured', { tenantId: ctx.device.tenantId });
    return view;
  }),

  remove: adminProcedure.input(removeChannelInput).mutation(async ({ ctx, input }) => {
    await channelsOf(ctx.services).store.removeConnection(ctx.device.tenantId, input.channel);
    ctx.services.logger.info('channels: connection removed', { tenantId: ctx.device.tenantId, channel: input.channel });
  }),

  templates: deviceProcedure.query(({ ctx }) => channelsOf(ctx.services).connections.templates(ctx.device.tenantId)),

  outbound: deviceProcedure.query(({ ctx }) => channelsOf(ctx.services).outboundSends(ctx.device.tenantId)),

  retrySend: deviceProcedure.input(retrySendInput).mutation(({ ctx, input }) => channelsOf(ctx.services).retrySend(ctx.device.tenantId, input.messageId)),

  sendTemplate: deviceProcedure
    .input(sendTemplateInput)
    .mutation(({ ctx, input }) => channelsOf(ctx.services).sendTemplate(ctx.device.tenantId, ctx.device.operatorName, input)),
});
