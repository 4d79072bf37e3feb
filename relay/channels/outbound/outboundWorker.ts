import { timeOrderedId } from '../../../shared/timeOrderedId.js';
import type { RelayLogger } from '../../relayLogger.js';
import type { RelayLog } from '../../sync/relayLog.js';
import { statusClaim } from '../channelIngest.js';
import type { ChannelConnections } from '../channelConnections.js';
import type { ChannelStore, OutboundJob } from '../channelStore.js';
import { decideSend } from './customerServiceWindow.js';
import { GraphApiError, type GraphApiClient } from './graphApiClient.js';

export interface RetryPolicy {
  /** First retry after this long; doubles each attempt (with jitter), capped at `maximumDelayMilliseconds`. */
  baseDelayMilliseconds: number;
  maximumDelayMilliseconds: number;
  maximumAttempts: number;
}

const conversationRecipient = (conversationId: string) => conversationId.split(':').slice(2).join(':');

/**
 * Sends queued replies through the Graph API, outside any request. A transient failure is retried
 * with exponential backoff; a permanent one (or the last attempt) marks the job failed and appends
 * a `message.status` failed event with the platform's reason, which every desktop shows.
 */
export class OutboundWorker {
  #running = false;

  constructor(
    private readonly options: {
      store: ChannelStore;
      connections: ChannelConnections;
      log: RelayLog;
      graph: GraphApiClient;
      retry: RetryPolicy;
      logger: RelayLogger;
      now: () => number;
    },
  ) {}

  /** One pass over due jobs; returns how many were attempted. Never runs twice at once in one process. */
  async runOnce(limit = 20): Promise<number> {
    if (this.#running) return 0;
    this.#running = true;
    try {
      const jobs = await this.options.store.claimDueJobs(this.options.now(), limit, 60_000);
      await Promise.all(jobs.map((job) => this.#attempt(job)));
      return jobs.length;
    } finally {
      this.#running = false;
    }
  }

  async #attempt(job: OutboundJob): Promise<void> {
    const { store, connections, graph, now } = this.options;
    const connection = await store.connection(job.tenantId, job.channel);
    if (!connection) return this.#fail(job, `The ${job.channel === 'whatsapp' ? 'WhatsApp number' : 'Facebook Page'} is no longer connected to this relay.`);
    const decision = decideSend(job.channel, job, await store.lastInbound(job.tenantId, job.conversationId), now());
    if (!decision.allowed) return this.#fail(job, decision.reason);
    const { accessToken } = connections.secrets(connection);
    if (!accessToken) return this.#fail(job, 'No access token is stored for this channel.');
    const recipient = conversationRecipient(job.conversationId);
    const body =
      job.channel === 'whatsapp'
        ? job.payload.kind === 'template'
          ? {
              messaging_product: 'whatsapp',
              recipient_type: 'individual',
              to: recipient,
              type: 'template',
              template: {
                name: job.payload.name,
                language: { code: job.payload.language },
                ...(job.payload.parameters.length > 0 ? { components: [{ type: 'body', parameters: job.payload.parameters.map((text) => ({ type: 'text', text })) }] } : {}),
              },
            }
          : { messaging_product: 'whatsapp', recipient_type: 'individual', to: recipient, type: 'text', text: { preview_url: false, body: job.payload.text } }
        : {
            recipient: { id: recipient },
            messaging_type: decision.messengerTag ? 'MESSAGE_TAG' : 'RESPONSE',
            ...(decision.messengerTag ? { tag: decision.messengerTag } : {}),
            message: { text: job.payload.kind === 'text' ? job.payload.text : job.payload.name },
          };
    const accountId = String(job.channel === 'whatsapp' ? connection.settings.phoneNumberId : connection.settings.pageId);
    try {
      const sent = await graph.send({ channel: job.channel, accountId, accessToken, body });
      const at = now();
      await store.saveJob({ ...job, status: 'sent', attempts: job.attempts + 1, platformMessageId: sent.platformMessageId, lastError: null, sentAt: at, updatedAt: at });
      await this.options.log.appendClaimed(job.tenantId, [
        { ...statusClaim(job.channel, sent.platformMessageId, 'sent'), events: [{ eventId: timeOrderedId(), conversationId: job.conversationId, occurredAt: at, body: { type: 'message.status', targetMessageId: job.messageId, status: 'sent' } }] },
      ]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const attempts = job.attempts + 1;
      if (error instanceof GraphApiError && error.retryable && attempts < this.options.retry.maximumAttempts) {
        const { baseDelayMilliseconds, maximumDelayMilliseconds } = this.options.retry;
        const delay = Math.round(Math.min(maximumDelayMilliseconds, baseDelayMilliseconds * 2 ** (attempts - 1)) * (0.75 + Math.random() * 0.5));
        this.options.logger.info('channels: send will be retried', { tenantId: job.tenantId, channel: job.channel, attempts, code: error.code });
        await store.saveJob({ ...job, status: 'queued', attempts, nextAttemptAt: now() + delay, lastError: reason, updatedAt: now() });
        return;
      }
      await this.#fail({ ...job, attempts }, reason);
    }
  }

  async #fail(job: OutboundJob, reason: string): Promise<void> {
    const at = this.options.now();
    await this.options.store.saveJob({ ...job, status: 'failed', lastError: reason, updatedAt: at });
    this.options.logger.warn('channels: send failed', { tenantId: job.tenantId, channel: job.channel, attempts: job.attempts });
    await this.options.log.appendClaimed(job.tenantId, [
      {
        channel: job.channel,
        externalId: `outbound-failed:${job.jobId}:${job.attempts}:${job.updatedAt}`,
        events: [{ eventId: timeOrderedId(), conversationId: job.conversationId, occurredAt: at, body: { type: 'message.status', targetMessageId: job.messageId, status: 'failed', reason: reason.slice(0, 500) } }],
      },
    ]);
  }
}
