import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import {
  channelConnectionViewSchema,
  channelsStatusSchema,
  outboundSendViewSchema,
  whatsappTemplateSchema,
  type ConfigureMessengerInput,
  type ConfigureWhatsappInput,
} from '../../shared/schemas/channels.js';
import { syncServiceFor } from '../sync/index.js';
import { relayFailure } from '../sync/trpcRelayTransport.js';
import type { TenantSession } from '../vault/index.js';

/**
 * The relay's `channels.*` procedures, called with this tenant's device token (the same
 * authenticated connection the sync engine uses). Answers are validated: the desktop never trusts
 * the relay's output blindly.
 */
export class RelayChannelsClient {
  readonly #client;

  constructor(relayUrl: string, deviceToken: string) {
    this.#client = createTRPCUntypedClient({ links: [httpLink({ url: `${relayUrl}/trpc`, headers: () => ({ Authorization: `Bearer ${deviceToken}` }) })] });
  }

  static forSession(session: TenantSession): RelayChannelsClient {
    const connection = syncServiceFor(session).store.connection();
    if (!connection) throw new AresError('RELAY_UNREACHABLE', 'Connect this tenant to a relay first (Relay settings), then connect WhatsApp or Messenger.');
    return new RelayChannelsClient(connection.relayUrl, connection.deviceToken);
  }

  async #call<T>(kind: 'query' | 'mutation', path: string, input: unknown, schema: z.ZodType<T>): Promise<T> {
    let value: unknown;
    try {
      value = kind === 'query' ? await this.#client.query(path, input) : await this.#client.mutation(path, input);
    } catch (error) {
      throw relayFailure(error);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new AresError('RELAY_UNREACHABLE', 'The relay answered with something this app does not understand. Is it the same version?');
    return parsed.data;
  }

  status() {
    return this.#call('query', 'channels.status', undefined, channelsStatusSchema);
  }

  configureWhatsapp(input: ConfigureWhatsappInput) {
    return this.#call('mutation', 'channels.configureWhatsapp', input, channelConnectionViewSchema);
  }

  configureMessenger(input: ConfigureMessengerInput) {
    return this.#call('mutation', 'channels.configureMessenger', input, channelConnectionViewSchema);
  }

  remove(channel: 'whatsapp' | 'messenger') {
    return this.#call('mutation', 'channels.remove', { channel }, z.unknown()).then(() => undefined);
  }

  outbound() {
    return this.#call('query', 'channels.outbound', undefined, z.array(outboundSendViewSchema));
  }

  retrySend(messageId: string) {
    return this.#call('mutation', 'channels.retrySend', { messageId }, outboundSendViewSchema);
  }

  templates() {
    return this.#call('query', 'channels.templates', undefined, z.array(whatsappTemplateSchema));
  }

  sendTemplate(input: { conversationId: string; templateName: string; parameters: string[] }) {
    return this.#call('mutation', 'channels.sendTemplate', input, z.object({ messageId: z.string() }));
  }
}
