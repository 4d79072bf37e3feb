import { randomBytes } from 'node:crypto';
import { AresError } from '../../shared/errors.js';
import type { ChannelConnectionView, ConfigureMessengerInput, ConfigureWhatsappInput, MetaChannel, WhatsappTemplate } from '../../shared/schemas/channels.js';
import type { ChannelConnectionRecord, ChannelStore } from './channelStore.js';
import type { SecretBox } from './meta/secretBox.js';

export interface ChannelSecrets {
  accessToken: string | null;
  appSecret: string | null;
}

const associatedData = (tenantId: string, channel: MetaChannel) => `ares-channel-secrets:${tenantId}:${channel}`;

/** Connecting a WhatsApp number or a Facebook Page: settings in the clear, secrets sealed, never read back out. */
export class ChannelConnections {
  readonly #store: ChannelStore;
  readonly #secretBox: SecretBox;
  readonly #publicUrl: () => string;
  readonly #now: () => number;

  constructor(options: { store: ChannelStore; secretBox: SecretBox; publicUrl: () => string; now: () => number }) {
    this.#store = options.store;
    this.#secretBox = options.secretBox;
    this.#publicUrl = options.publicUrl;
    this.#now = options.now;
  }

  secrets(record: ChannelConnectionRecord): ChannelSecrets {
    return JSON.parse(this.#secretBox.open(record.sealedSecrets, associatedData(record.tenantId, record.channel))) as ChannelSecrets;
  }

  async #save(tenantId: string, channel: MetaChannel, settings: Record<string, unknown>, secrets: Partial<ChannelSecrets>): Promise<ChannelConnectionRecord> {
    const existing = await this.#store.connection(tenantId, channel);
    const previous = existing ? this.secrets(existing) : { accessToken: null, appSecret: null };
    const merged: ChannelSecrets = { accessToken: secrets.accessToken ?? previous.accessToken, appSecret: secrets.appSecret ?? previous.appSecret };
    if (!merged.appSecret) throw new AresError('INVALID_INPUT', 'Enter the app secret: without it the relay cannot check that webhooks come from Meta.');
    if (!merged.accessToken) throw new AresError('INVALID_INPUT', 'Enter the access token: without it the relay cannot send replies.');
    const now = this.#now();
    const record: ChannelConnectionRecord = {
      tenantId,
      channel,
      connectionId: existing?.connectionId ?? randomBytes(16).toString('hex'),
      verifyToken: existing?.verifyToken ?? `ares-${randomBytes(18).toString('base64url')}`,
      settings,
      sealedSecrets: this.#secretBox.seal(JSON.stringify(merged), associatedData(tenantId, channel)),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastWebhookAt: existing?.lastWebhookAt ?? null,
      webhookCount: existing?.webhookCount ?? 0,
      rejectedCount: existing?.rejectedCount ?? 0,
    };
    await this.#store.saveConnection(record);
    return record;
  }

  async configureWhatsapp(tenantId: string, input: ConfigureWhatsappInput): Promise<ChannelConnectionView> {
    const record = await this.#save(
      tenantId,
      'whatsapp',
      { phoneNumberId: input.phoneNumberId, businessAccountId: input.businessAccountId, templates: input.templates },
      { accessToken: input.accessToken ?? null, appSecret: input.appSecret ?? null },
    );
    return this.view(record);
  }

  async configureMessenger(tenantId: string, input: ConfigureMessengerInput): Promise<ChannelConnectionView> {
    const record = await this.#save(tenantId, 'messenger', { pageId: input.pageId }, { accessToken: input.pageAccessToken ?? null, appSecret: input.appSecret ?? null });
    return this.view(record);
  }

  callbackUrl(record: Pick<ChannelConnectionRecord, 'channel' | 'connectionId'>): string {
    return `${this.#publicUrl().replace(/\/+$/, '')}/webhooks/${record.channel}/${record.connectionId}`;
  }

  async view(record: ChannelConnectionRecord): Promise<ChannelConnectionView> {
    const secrets = this.secrets(record);
    return {
      channel: record.channel,
      callbackUrl: this.callbackUrl(record),
      verifyToken: record.verifyToken,
      settings: record.settings,
      secretsStored: { accessToken: Boolean(secrets.accessToken), appSecret: Boolean(secrets.appSecret) },
      webhooks: { lastReceivedAt: record.lastWebhookAt, receivedCount: record.webhookCount, rejectedCount: record.rejectedCount },
      outbound: await this.#store.jobCounts(record.tenantId, record.channel),
      updatedAt: record.updatedAt,
    };
  }

  async status(tenantId: string): Promise<ChannelConnectionView[]> {
    return Promise.all((await this.#store.connections(tenantId)).map((record) => this.view(record)));
  }

  async templates(tenantId: string): Promise<WhatsappTemplate[]> {
    const record = await this.#store.connection(tenantId, 'whatsapp');
    return (record?.settings.templates as WhatsappTemplate[] | undefined) ?? [];
  }
}
