import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible `/v1/chat/completions` server for tests: it records every request
 * (so a test can check the prompt the agent sent) and answers as the current `behaviour` says —
 * streaming SSE chunks, an HTTP error, a stall, or a broken stream.
 */

export interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
  body: { model: string; stream?: boolean; messages: { role: string; content: string }[] };
}

export type ServerBehaviour =
  | { kind: 'stream'; text: string; chunkSize?: number; delayMilliseconds?: number; model?: string }
  | { kind: 'json'; text: string }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'stall' }
  | { kind: 'broken' }
  /** Computes the answer from the request, e.g. to echo what the prompt contained. */
  | { kind: 'respond'; answer: (request: ReceivedRequest) => string };

export interface ChatCompletionServer {
  baseUrl: string;
  requests: ReceivedRequest[];
  behaviour: ServerBehaviour;
  close(): Promise<void>;
}

function chunk(model: string, content: string | null, finish: string | null): string {
  const body = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] };
  return `data: ${JSON.stringify(body)}\n\n`;
}

async function streamText(response: ServerResponse, text: string, model: string, chunkSize: number, delayMilliseconds: number): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let index = 0; index < text.length; index += chunkSize) {
    if (response.destroyed) return;
    response.write(chunk(model, text.slice(index, index + chunkSize), null));
    if (delayMilliseconds > 0) await new Promise((resolve) => setTimeout(resolve, delayMilliseconds));
  }
  response.write(chunk(model, null, 'stop'));
  response.end('data: [DONE]\n\n');
}

export async function startChatCompletionServer(behaviour: ServerBehaviour = { kind: 'stream', text: 'Hello [1]' }): Promise<ChatCompletionServer> {
  const requests: ReceivedRequest[] = [];
  const open = new Set<ServerResponse>();
  const state: ChatCompletionServer = { baseUrl: '', requests, behaviour, close: async () => undefined };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (part: string) => (raw += part));
    request.on('end', () => {
      void (async () => {
        if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
          response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
          return;
        }
        const received: ReceivedRequest = { path: request.url, authorization: request.headers.authorization, body: JSON.parse(raw) };
        requests.push(received);
        open.add(response);
        response.on('close', () => open.delete(response));
        const current = state.behaviour;
        const model = current.kind === 'stream' ? (current.model ?? received.body.model) : received.body.model;
        switch (current.kind) {
          case 'stream':
            return streamText(response, current.text, model, current.chunkSize ?? 7, current.delayMilliseconds ?? 2);
          case 'respond':
            return streamText(response, current.answer(received), model, 7, 1);
          case 'json':
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ model, choices: [{ index: 0, message: { role: 'assistant', content: current.text }, finish_reason: 'stop' }] }));
            return;
          case 'error':
            response.writeHead(current.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: current.message } }));
            return;
          case 'stall':
            // Headers and one token, then silence: the client's timeout must end it.
            response.writeHead(200, { 'content-type': 'text/event-stream' });
            response.write(chunk(model, 'Let me', null));
            return;
          case 'broken':
            response.writeHead(200, { 'content-type': 'text/event-stream' });
            response.write(chunk(model, 'Half an', null));
            setTimeout(() => response.destroy(), 20);
            return;
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = async () => {
    for (const response of open) response.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
