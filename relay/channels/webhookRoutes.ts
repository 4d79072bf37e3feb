import type { IncomingMessage, ServerResponse } from 'node:http';
import { metaChannelSchema, type MetaChannel } from '../../shared/schemas/channels.js';
import type { RelayServices } from '../relayServices.js';
import type { ChannelServices } from './channelServices.js';
import { ingestWebhook } from './channelIngest.js';
import { answerVerificationHandshake, verifyMetaSignature } from './meta/webhookSignature.js';
import { parseMessengerWebhook } from './messenger/messengerWebhook.js';
import { parseWhatsappWebhook } from './whatsapp/whatsappWebhook.js';

/** Meta batches up to about a thousand updates; a few MB is far above any real notification. */
const maximumWebhookBytes = 4 * 1024 * 1024;
const routePattern = /^\/webhooks\/(whatsapp|messenger)\/([0-9a-f]{32})$/;
const expectedObject: Record<MetaChannel, string> = { whatsapp: 'whatsapp_business_account', messenger: 'page' };

function answer(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

/** The exact bytes Meta signed: the body is never parsed before the signature is checked. */
async function readRawBody(request: IncomingMessage): Promise<Buffer | null> {
  if (Number(request.headers['content-length'] ?? 0) > maximumWebhookBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maximumWebhookBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * `GET|POST /webhooks/{whatsapp|messenger}/{connectionId}`. A POST is answered 200 only after its
 * events are committed; a storage failure answers 503 so Meta delivers it again later.
 */
export async function handleChannelWebhook(services: RelayServices, channels: ChannelServices, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  const match = routePattern.exec(url.pathname);
  if (!match) return false;
  const channel = metaChannelSchema.parse(match[1]);
  const connection = await channels.store.connectionById(match[2]!);
  if (!connection || connection.channel !== channel) {
    answer(response, 404, 'Unknown channel connection.');
    return true;
  }
  if (request.method === 'GET') {
    const challenge = answerVerificationHandshake(url.searchParams, connection.verifyToken);
    if (challenge === null) answer(response, 403, 'Verification failed.');
    else answer(response, 200, challenge);
    return true;
  }
  if (request.method !== 'POST') {
    answer(response, 405, 'Method not allowed.', { Allow: 'GET, POST' });
    return true;
  }
  const rawBody = await readRawBody(request);
  if (rawBody === null) {
    answer(response, 413, 'The notification is too large.');
    return true;
  }
  const { appSecret } = channels.connections.secrets(connection);
  if (!appSecret || !verifyMetaSignature(rawBody, request.headers['x-hub-signature-256'], [appSecret])) {
    await channels.store.recordWebhook(connection.connectionId, services.now(), false).catch(() => {});
    services.logger.warn('channels: webhook signature rejected', { channel, tenantId: connection.tenantId });
    answer(response, 401, 'Invalid or missing X-Hub-Signature-256.');
    return true;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch {
    answer(response, 400, 'The notification is not JSON.');
    return true;
  }
  if ((payload as { object?: unknown } | null)?.object !== expectedObject[channel]) {
    answer(response, 400, `Expected a notification for "${expectedObject[channel]}".`);
    return true;
  }
  const now = services.now();
  const parsed = channel === 'whatsapp' ? parseWhatsappWebhook(payload, now, String(connection.settings.phoneNumberId)) : parseMessengerWebhook(payload, now);
  try {
    const result = await ingestWebhook({ log: services.log, store: channels.store, connection, parsed });
    services.logger.debug('channels: webhook committed', { channel, tenantId: connection.tenantId, appended: result.appended, duplicates: result.duplicates, ignored: result.ignored });
    // Bookkeeping after the commit: losing it never loses a message.
    await channels.afterIngest(connection, result).catch((error: unknown) =>
      services.logger.warn('channels: bookkeeping after a webhook failed', { error: error instanceof Error ? error.message : String(error) }),
    );
  } catch (error) {
    services.logger.error('channels: webhook not committed', { channel, tenantId: connection.tenantId, error: error instanceof Error ? error.message : String(error) });
    answer(response, 503, 'Temporarily unavailable; deliver again later.', { 'Retry-After': '5' });
    return true;
  }
  answer(response, 200, 'EVENT_RECEIVED');
  return true;
}
