import type { RelayServices } from '../relayServices.js';

/**
 * Sends the tenant's "we'll get back to you" reply, once, to conversations whose customer has
 * waited longer than the tenant's delay without any desktop collecting the message.
 */
export async function sendDueAutoReplies(services: RelayServices): Promise<number> {
  const candidates = await services.storage.autoReplyCandidates(services.now(), 100);
  let sent = 0;
  for (const candidate of candidates) {
    if (await services.log.appendAutoReply(candidate.tenantId, candidate.conversationId, candidate.autoReplyText)) sent += 1;
  }
  if (sent > 0) services.logger.info('auto-reply: sent', { count: sent });
  return sent;
}

export function startAutoReplier(services: RelayServices, intervalMilliseconds: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sendDueAutoReplies(services)
      .catch((error: unknown) => services.logger.error('auto-reply: failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = false;
      });
  }, intervalMilliseconds);
  timer.unref();
  return () => clearInterval(timer);
}
