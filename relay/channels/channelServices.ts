import { randomUUID } from 'node:crypto';
import { timeOrderedId } from '../../shared/timeOrderedId.js';
import { AresError } from '../../shared/errors.js';
import type { OutboundSendView } from '../../shared/schemas/channels.js';
import type { RelayLogger } from '../relayLogger.js';
import type { RelayServices } from '../relayServices.js';
import { ChannelConnections } from './channelConnections.js';
import type { IngestResult } from './channelIngest.js';
import type { ChannelConnectionRecord, ChannelStore, OutboundJob } from './channelStore.js';
import { SecretBox } from './meta/secretBox.js';
import { GraphApiClient } from './outbound/graphApiClient.js';
import { OutboundDispatcher, templateMessagePrefix } from './outbound/outboundDispatcher.js';
import { WebhookCounter } from './webhookCounter.js';
import { OutboundWorker, type RetryPolicy } from './outbound/outboundWorker.js';

const kickCoalesceMilliseconds = 25;

export interface ChannelOptions {
  store: ChannelStore;
  masterKey: Buffer;
  publicUrl: () => string;
  graphApiBaseUrl: string;
  graphApiVersion: string;
  retry: RetryPolicy;
  /** How often the background loop looks for due sends when nothing woke it. */
  pollMilliseconds: number;
}

/** The WhatsApp and Messenger channels of one relay process: connections, webhooks, and the outbound loop. */
export class ChannelServices {
  readonly store: ChannelStore;
  readonly connections: ChannelConnections;
  readonly dispatcher: OutboundDispatcher;
  readonly worker: OutboundWorker;
  readonly #services: RelayServices;
  readonly #logger: RelayLogger;
  readonly #pollMilliseconds: number;
  readonly #subscriptions = new Map<string, () => void>();
  readonly #webhookCounter: WebhookCounter;
  #timer: NodeJS.Timeout | null = null;
  #kickTimer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(services: RelayServices, options: ChannelOptions) {
    this.#services = services;
    this.#logger = services.logger;
    this.#pollMilliseconds = options.pollMilliseconds;
    this.store = options.store;
    this.#webhookCounter = new WebhookCounter(options.store);
    this.connections = new ChannelConnections({ store: options.store, secretBox: new SecretBox(options.masterKey), publicUrl: options.publicUrl, now: services.now });
    this.dispatcher = new OutboundDispatcher({ storage: services.storage, store: options.store, now: services.now });
    this.worker = new OutboundWorker({
      store: options.store,
      connections: this.connections,
      log: services.log,
      graph: new GraphApiClient({ baseUrl: options.graphApiBaseUrl, version: options.graphApiVersion }),
      retry: options.retry,
      logger: services.logger,
      now: services.now,
    });
  }

  start(): void {
    const loop = () => {
      if (this.#stopped) return;
      this.kick();
      this.#timer = setTimeout(loop, this.#pollMilliseconds);
      this.#timer.unref();
    };
    loop();
  }

  /**
   * Runs one dispatch + send pass soon. Calls within a few milliseconds coalesce into one pass (a
   * burst of webhooks must not cost a pass each); calls while a pass runs schedule exactly one more.
   */
  kick(): void {
    if (this.#stopped || this.#kickTimer) return;
    this.#kickTimer = setTimeout(() => {
      this.#kickTimer = null;
      this.#pass();
    }, kickCoalesceMilliseconds);
    this.#kickTimer.unref();
  }

  #pass(): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = this.#tick()
      .catch((error: unknown) => this.#logger.warn('channels: outbound pass failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        this.#ticking = null;
        if (this.#again) {
          this.#again = false;
          this.#pass();
        }
      });
  }

  async #tick(): Promise<void> {
    const tenants = await this.store.tenantsWithConnections();
    for (const tenantId of tenants) {
      // New log entries (a reply pushed by a desktop, on any instance) wake the loop at once.
      if (!this.#subscriptions.has(tenantId)) this.#subscriptions.set(tenantId, this.#services.log.notifier.subscribe(tenantId, () => this.kick()));
      await this.dispatcher.dispatchTenant(tenantId);
    }
    while ((await this.worker.runOnce()) > 0 && !this.#stopped);
  }

  async afterIngest(connection: ChannelConnectionRecord, result: IngestResult): Promise<void> {
    const now = this.#services.now();
    await this.#webhookCounter.accepted(connection.connectionId, now);
    for (const failure of result.failedPlatformMessageIds) {
      const job = await this.store.jobByPlatformMessageId(connection.tenantId, connection.channel, failure.platformMessageId);
      if (job && job.status === 'sent') await this.store.saveJob({ ...job, status: 'failed', lastError: failure.reason, updatedAt: now });
    }
    // No kick here: new log entries wake the loop through the log notifier (coalesced).
  }

  async outboundSends(tenantId: string, limit = 100): Promise<OutboundSendView[]> {
    return (await this.store.jobs(tenantId, limit)).map((job) => ({
      messageId: job.messageId,
      conversationId: job.conversationId,
      channel: job.channel,
      status: job.status,
      attempts: job.attempts,
      lastError: job.lastError,
      updatedAt: job.updatedAt,
    }));
  }

  /** The desktop's "retry": a failed send goes back to the queue, and the log says so (status `queued`). */
  async retrySend(tenantId: string, messageId: string): Promise<OutboundSendView> {
    const job = await this.store.jobByMessageId(tenantId, messageId);
    if (!job) throw new AresError('NOT_FOUND', 'No reply with this id was sent on WhatsApp or Messenger.');
    if (job.status !== 'failed') throw new AresError('CONFLICT', 'Only a failed send can be retried.');
    const now = this.#services.now();
    const queued: OutboundJob = { ...job, status: 'queued', attempts: 0, nextAttemptAt: now, lastError: null, platformMessageId: null, updatedAt: now };
    await this.store.saveJob(queued);
    await this.#services.log.appendClaimed(tenantId, [
      {
        channel: job.channel,
        externalId: `retry:${job.jobId}:${now}`,
        events: [{ eventId: timeOrderedId(), conversationId: job.conversationId, occurredAt: now, body: { type: 'message.status', targetMessageId: job.messageId, status: 'queued' } }],
      },
    ]);
    this.kick();
    return (await this.outboundSends(tenantId)).find((send) => send.messageId === messageId)!;
  }

  /** A WhatsApp template (the only thing allowed outside the 24-hour window), written to the log as a staff message. */
  async sendTemplate(tenantId: string, authorName: string, input: { conversationId: string; templateName: string; parameters: string[] }): Promise<{ messageId: string }> {
    if (!input.conversationId.startsWith('whatsapp:')) throw new AresError('INVALID_INPUT', 'Templates are for WhatsApp conversations.');
    const template = (await this.connections.templates(tenantId)).find((candidate) => candidate.name === input.templateName);
    if (!template) throw new AresError('NOT_FOUND', `No template named "${input.templateName}" is configured for this WhatsApp number.`);
    if (input.parameters.length !== template.bodyParameterCount) {
      throw new AresError('INVALID_INPUT', `The template "${template.name}" takes ${template.bodyParameterCount} parameter(s); ${input.parameters.length} given.`);
    }
    const messageId = `${templateMessagePrefix}${timeOrderedId()}`;
    const now = this.#services.now();
    const eventId = timeOrderedId();
    const text = `[Template ${template.name}]${input.parameters.length ? ` ${input.parameters.join(' | ')}` : ''}`;
    await this.#services.log.appendClaimed(tenantId, [
      { channel: 'whatsapp', externalId: messageId, events: [{ eventId, conversationId: input.conversationId, occurredAt: now, body: { type: 'staff.message', messageId, authorName, text } }] },
    ]);
    await this.store.enqueue({
      jobId: randomUUID(),
      tenantId,
      channel: 'whatsapp',
      conversationId: input.conversationId,
      eventId,
      messageId,
      authorKind: 'staff',
      payload: { kind: 'template', name: template.name, language: template.language, parameters: input.parameters },
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      platformMessageId: null,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
    });
    this.kick();
    return { messageId };
  }

  async close(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#kickTimer) clearTimeout(this.#kickTimer);
    for (const unsubscribe of this.#subscriptions.values()) unsubscribe();
    await this.#ticking;
    await this.store.close();
  }
}
