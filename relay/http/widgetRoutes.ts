import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import { widgetSendInput, widgetSessionInput } from '../../shared/schemas/relayWidget.js';
import type { RelayServices } from '../relayServices.js';
import { frameHtml, frameScript, frameStyles, widgetScript } from '../widget/widgetAssets.js';
import { bearerToken, readJsonBody, sendJson } from './httpHelpers.js';

const widgetBodyLimitBytes = 16 * 1024;
const afterSchema = z.coerce.number().int().nonnegative().default(0);

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AresError('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'The request is not valid.');
  return parsed.data;
}

function sendAsset(response: ServerResponse, type: string, content: string, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=300', ...headers }).end(content);
}

/**
 * The widget's routes. Returns false when the path is not the widget's. The script may be loaded
 * by any site (Cross-Origin-Resource-Policy: cross-origin); the frame may be framed by any site
 * (it shows only the visitor's own conversation); the JSON API is same-origin, called from the frame.
 */
export async function handleWidgetRequest(services: RelayServices, request: IncomingMessage, response: ServerResponse, url: URL, address: string): Promise<boolean> {
  const { pathname } = url;
  if (pathname === '/widget.js' && request.method === 'GET') {
    sendAsset(response, 'text/javascript; charset=utf-8', widgetScript, { 'Cross-Origin-Resource-Policy': 'cross-origin' });
    return true;
  }
  if (pathname === '/widget/frame' && request.method === 'GET') {
    response.removeHeader('X-Frame-Options');
    const businessName = await services.webChannel.businessName(url.searchParams.get('key') ?? '');
    sendAsset(response, 'text/html; charset=utf-8', frameHtml(businessName), {
      'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *",
      'Cache-Control': 'no-store',
    });
    return true;
  }
  if (pathname === '/widget/frame.js' && request.method === 'GET') {
    sendAsset(response, 'text/javascript; charset=utf-8', frameScript);
    return true;
  }
  if (pathname === '/widget/frame.css' && request.method === 'GET') {
    sendAsset(response, 'text/css; charset=utf-8', frameStyles);
    return true;
  }
  if (!pathname.startsWith('/widget/v1/')) return false;

  if (pathname === '/widget/v1/session' && request.method === 'POST') {
    const input = parse(widgetSessionInput, await readJsonBody(request, widgetBodyLimitBytes));
    sendJson(response, 200, await services.webChannel.startSession(input.widgetKey, address));
    return true;
  }
  if (pathname === '/widget/v1/messages') {
    const visitor = await services.webChannel.visitor(bearerToken(request), address);
    if (request.method === 'POST') {
      const input = parse(widgetSendInput, await readJsonBody(request, widgetBodyLimitBytes));
      const sent = await services.webChannel.send(visitor, input.clientMessageId, input.text);
      services.logger.debug('widget: message', { tenantId: visitor.tenantId, conversationId: visitor.conversationId, duplicate: sent.duplicate });
      sendJson(response, 200, sent);
      return true;
    }
    if (request.method === 'GET') {
      const afterSeq = parse(afterSchema, url.searchParams.get('after') ?? undefined);
      if (url.searchParams.get('wait') === '1') {
        const abort = new AbortController();
        response.on('close', () => abort.abort());
        sendJson(response, 200, await services.webChannel.waitForMessages(visitor, afterSeq, abort.signal));
      } else {
        const messages = await services.webChannel.messages(visitor, afterSeq);
        sendJson(response, 200, { messages, throughSeq: messages.at(-1)?.seq ?? afterSeq });
      }
      return true;
    }
  }
  throw new AresError('NOT_FOUND');
}
