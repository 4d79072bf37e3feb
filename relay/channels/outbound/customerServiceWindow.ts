import type { MetaChannel } from '../../../shared/schemas/channels.js';
import type { OutboundJob } from '../channelStore.js';

const hour = 60 * 60 * 1000;
/** Both platforms allow free-form replies for 24 hours after the customer's last message. */
export const customerServiceWindowMilliseconds = 24 * hour;
/** Messenger's HUMAN_AGENT tag lets a person answer for 7 days after the customer's last message. */
export const humanAgentWindowMilliseconds = 7 * 24 * hour;

export type SendDecision = { allowed: true; messengerTag: 'HUMAN_AGENT' | null } | { allowed: false; reason: string };

/** Whether a reply may go out now, and how (Meta's customer-service window and tag rules). */
export function decideSend(channel: MetaChannel, job: Pick<OutboundJob, 'payload' | 'authorKind'>, lastInboundAt: number | null, now: number): SendDecision {
  const since = lastInboundAt === null ? Number.POSITIVE_INFINITY : now - lastInboundAt;
  if (channel === 'whatsapp') {
    if (job.payload.kind === 'template') return { allowed: true, messengerTag: null };
    if (since <= customerServiceWindowMilliseconds) return { allowed: true, messengerTag: null };
    return { allowed: false, reason: 'The 24-hour customer service window is closed: the customer last wrote more than 24 hours ago. Send an approved template message instead.' };
  }
  if (since <= customerServiceWindowMilliseconds) return { allowed: true, messengerTag: null };
  if (job.authorKind === 'staff' && since <= humanAgentWindowMilliseconds) return { allowed: true, messengerTag: 'HUMAN_AGENT' };
  if (job.authorKind !== 'staff' && since <= humanAgentWindowMilliseconds) {
    return { allowed: false, reason: 'The 24-hour window is closed; only a person may answer on Messenger now (HUMAN_AGENT tag, up to 7 days).' };
  }
  return { allowed: false, reason: 'Messenger allows no reply more than 7 days after the customer last wrote.' };
}
