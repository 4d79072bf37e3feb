import { timeOrderedId } from '../../shared/timeOrderedId.js';
import type { MetaChannel } from '../../shared/schemas/channels.js';
import type { ConversationEvent, EventBody } from '../../shared/schemas/sync.js';
import type { ClaimedEvents, RelayLog } from '../sync/relayLog.js';
import type { ChannelConnectionRecord, ChannelStore } from './channelStore.js';
import type { ParsedWebhook } from './meta/channelInbound.js';

/** Delivery ranks: a status also claims every lower rank, so a late "delivered" after "read" finds its key taken. */
const statusRanks = ['sent', 'failed', 'delivered', 'read'] as const;
type PlatformStatus = (typeof statusRanks)[number];

export function statusClaim(channel: MetaChannel, platformMessageId: string, status: PlatformStatus): Pick<ClaimedEvents, 'channel' | 'externalId' | 'alsoClaim'> {
  const rank = statusRanks.indexOf(status);
  return {
    channel,
    externalId: `status:${platformMessageId}:${status}`,
    alsoClaim: statusRanks.slice(0, rank).map((lower) => `status:${platformMessageId}:${lower}`),
  };
}

const event = (conversationId: string, occurredAt: number, body: EventBody): ConversationEvent => ({ eventId: timeOrderedId(), conversationId, occurredAt, body });

export interface IngestResult {
  appended: number;
  duplicates: number;
  ignored: number;
  failedPlatformMessageIds: { platformMessageId: string; reason: string }[];
}

/**
 * Turns a verified webhook into log events, all in one transaction keyed by the platform's ids.
 * Lookups that map a platform message id to our reply happen before the transaction (reads only).
 */
export async function ingestWebhook(options: { log: RelayLog; store: ChannelStore; connection: ChannelConnectionRecord; parsed: ParsedWebhook }): Promise<IngestResult> {
  const { log, store, connection, parsed } = options;
  const channel = parsed.channel;
  const accountId = String(channel === 'whatsapp' ? connection.settings.phoneNumberId : connection.settings.pageId);
  const claimed: ClaimedEvents[] = [];
  const failedPlatformMessageIds: IngestResult['failedPlatformMessageIds'] = [];
  let ignored = 0;
  const target = (externalId: string) => `${channel}:${externalId}`;

  const addStatus = async (platformMessageId: string, conversationId: string, occurredAt: number, status: PlatformStatus, reason?: string) => {
    const job = await store.jobByPlatformMessageId(connection.tenantId, channel, platformMessageId);
    if (status === 'failed') failedPlatformMessageIds.push({ platformMessageId, reason: reason ?? 'The platform gave no reason.' });
    claimed.push({
      ...statusClaim(channel, platformMessageId, status),
      events: [event(job?.conversationId ?? conversationId, occurredAt, { type: 'message.status', targetMessageId: job?.messageId ?? target(platformMessageId), status, ...(reason ? { reason } : {}) })],
    });
  };

  for (const { accountId: addressedTo, item } of parsed.items) {
    // A WABA or app can serve several numbers and pages; only this connection's are ours.
    if (item.kind === 'ignored' || (addressedTo !== '' && addressedTo !== accountId)) {
      ignored += 1;
      continue;
    }
    switch (item.kind) {
      case 'message': {
        const message = item;
        claimed.push({
          channel,
          externalId: message.externalId,
          events: [
            event(message.conversationId, message.occurredAt, {
              type: 'customer.message',
              messageId: target(message.externalId),
              channel,
              customerLabel: message.customerLabel,
              text: message.text,
              content: message.content,
            }),
          ],
        });
        break;
      }
      case 'reaction': {
        const reaction = item;
        claimed.push({
          channel,
          externalId: `reaction:${reaction.externalId}`,
          events: [event(reaction.conversationId, reaction.occurredAt, { type: 'customer.reaction', targetMessageId: target(reaction.targetExternalId), emoji: reaction.emoji })],
        });
        break;
      }
      case 'edit': {
        const edit = item;
        claimed.push({
          channel,
          externalId: `edit:${edit.externalId}`,
          events: [event(edit.conversationId, edit.occurredAt, { type: 'customer.edit', targetMessageId: target(edit.targetExternalId), text: edit.text, content: edit.content })],
        });
        break;
      }
      case 'delete': {
        const deletion = item;
        claimed.push({
          channel,
          externalId: `delete:${deletion.externalId}`,
          events: [event(deletion.conversationId, deletion.occurredAt, { type: 'customer.delete', targetMessageId: target(deletion.targetExternalId) })],
        });
        break;
      }
      case 'status': {
        const status = item;
        await addStatus(status.platformMessageId, status.conversationId, status.occurredAt, status.status, status.reason);
        break;
      }
      case 'readWatermark': {
        const read = item;
        for (const job of await store.sentJobsUntil(connection.tenantId, read.conversationId, read.watermark)) {
          await addStatus(job.platformMessageId!, read.conversationId, read.occurredAt, 'read');
        }
        break;
      }
    }
  }
  const { logged, duplicates } = claimed.length > 0 ? await log.appendClaimed(connection.tenantId, claimed) : { logged: [], duplicates: 0 };
  return { appended: logged.length, duplicates, ignored, failedPlatformMessageIds };
}
