import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** The error bodies the Graph API sends, for the failures the relay must handle. */
export const graphErrors = {
  windowClosed: {
    status: 400,
    body: {
      error: {
        message: 'Re-engagement message',
        type: 'OAuthException',
        code: 131047,
        error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
        fbtrace_id: 'simulated',
      },
    },
  },
  rateLimited: { status: 429, body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'simulated' } } },
  applicationRateLimit: { status: 400, body: { error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, fbtrace_id: 'simulated' } } },
  serverError: { status: 500, body: { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, fbtrace_id: 'simulated' } } },
  invalidToken: { status: 401, body: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190, fbtrace_id: 'simulated' } } },
  messengerOutsideWindow: {
    status: 400,
    body: { error: { message: '(#10) This message is sent outside of allowed window.', type: 'OAuthException', code: 10, error_subcode: 2018278, fbtrace_id: 'simulated' } },
  },
} as const;
export type GraphErrorName = keyof typeof graphErrors;

const whatsappBody = z.discriminatedUnion('type', [
  z.object({ messaging_product: z.literal('whatsapp'), recipient_type: z.literal('individual'), to: z.string().regex(/^\d+$/), type: z.literal('text'), text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).strict() }).strict(),
  z
    .object({
      messaging_product: z.literal('whatsapp'),
      recipient_type: z.literal('individual'),
      to: z.string().regex(/^\d+$/),
      type: z.literal('template'),
      template: z.object({
        name: z.string().min(1),
        language: z.object({ code: z.string().min(2) }),
        components: z.array(z.object({ type: z.literal('body'), parameters: z.array(z.object({ type: z.literal('text'), text: z.string() })) })).optional(),
      }),
    })
    .strict(),
]);

const messengerBody = z
  .object({
    recipient: z.object({ id: z.string().min(1) }).strict(),
    messaging_type: z.enum(['RESPONSE', 'UPDATE', 'MESSAGE_TAG']),
    tag: z.enum(['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE']).optional(),
    message: z.object({ text: z.string().min(1).max(2000) }).strict(),
  })
  .strict()
  .refine((body) => (body.messaging_type === 'MESSAGE_TAG') === (body.tag !== undefined), 'tag goes with messaging_type MESSAGE_TAG, and only with it');

export interface RecordedGraphRequest {
  path: string;
  accountId: string;
  token: string | null;
  body: unknown;
  answeredStatus: number;
}

/**
 * A local stand-in for graph.facebook.com on loopback: checks every send (path, version, token,
 * body shape for WhatsApp or Messenger) and answers like Meta, including scripted errors.
 */
export class GraphApiSimulator {
  readonly requests: RecordedGraphRequest[] = [];
  readonly #accounts = new Map<string, { token: string; channel: 'whatsapp' | 'messenger' }>();
  readonly #scripted: GraphErrorName[] = [];
  #server: Server | null = null;
  url = '';

  constructor(readonly version = 'v21.0') {}

  addAccount(accountId: string, channel: 'whatsapp' | 'messenger', token: string): void {
    this.#accounts.set(accountId, { token, channel });
  }

  /** The next `count` sends fail with `error` (in order with earlier scripted errors). */
  failNext(error: GraphErrorName, count = 1): void {
    for (let index = 0; index < count; index += 1) this.#scripted.push(error);
  }

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      void this.#handle(request).then(({ status, body }) => response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  async #handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const path = new URL(request.url ?? '/', 'http://graph.invalid').pathname;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : null;
    let body: unknown = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = null;
    }
    const match = new RegExp(`^/${this.version.replace('.', '\\.')}/([^/]+)/messages$`).exec(path);
    const record = (status: number, answer: unknown) => {
      this.requests.push({ path, accountId: match?.[1] ?? '', token, body, answeredStatus: status });
      return { status, body: answer };
    };
    const invalid = (message: string) => record(400, { error: { message: `(#100) ${message}`, type: 'OAuthException', code: 100, fbtrace_id: 'simulated' } });
    if (request.method !== 'POST' || !match) return record(404, { error: { message: `Unknown path ${path}`, code: 803 } });
    const account = this.#accounts.get(decodeURIComponent(match[1]!));
    if (!account) return invalid(`Unknown phone number or page id ${match[1]}`);
    if (token !== account.token) return record(401, graphErrors.invalidToken.body);
    const shape = account.channel === 'whatsapp' ? whatsappBody.safeParse(body) : messengerBody.safeParse(body);
    if (!shape.success) return invalid(`Invalid parameter: ${shape.error.issues[0]?.path.join('.')} ${shape.error.issues[0]?.message}`);
    const scripted = this.#scripted.shift();
    if (scripted) return record(graphErrors[scripted].status, graphErrors[scripted].body);
    if (account.channel === 'whatsapp') {
      const to = (body as { to: string }).to;
      return record(200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.sim${randomUUID().replace(/-/g, '')}` }] });
    }
    return record(200, { recipient_id: (body as { recipient: { id: string } }).recipient.id, message_id: `m_sim${randomUUID().replace(/-/g, '')}` });
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
