/**
 * A client for any OpenAI-compatible `/chat/completions` endpoint (Ollama, llama.cpp's server,
 * vLLM, cloud providers), streaming with server-sent events.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** Such as `http://127.0.0.1:11434/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey: string | null;
  messages: ChatMessage[];
  timeoutMilliseconds: number;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  fetch?: typeof fetch;
}

export interface ChatResult {
  text: string;
  /** The model the server says answered (may differ from the one asked for, e.g. an alias). */
  model: string;
}

/** Why a model call failed, in words staff can act on; never contains the API key. */
export class ChatError extends Error {
  readonly kind: 'timeout' | 'http' | 'network' | 'protocol' | 'cancelled';
  constructor(kind: ChatError['kind'], message: string) {
    super(message);
    this.name = 'ChatError';
    this.kind = kind;
  }
}

export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/** Guards against a misbehaving server filling memory with one endless answer. */
const maximumResponseCharacters = 64_000;

export async function streamChat(request: ChatRequest): Promise<ChatResult> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), request.timeoutMilliseconds);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
  const describeAbort = () =>
    request.signal?.aborted
      ? new ChatError('cancelled', 'The answer was cancelled.')
      : new ChatError('timeout', `The model did not finish within ${Math.round(request.timeoutMilliseconds / 1000)} s.`);
  try {
    let response: Response;
    try {
      response = await (request.fetch ?? fetch)(chatCompletionsUrl(request.baseUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(request.apiKey ? { authorization: `Bearer ${request.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: request.model, messages: request.messages, stream: true, temperature: 0.2 }),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw describeAbort();
      throw new ChatError('network', `The model server could not be reached (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : 'network error'}).`);
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 300);
      throw new ChatError('http', `The model server answered HTTP ${response.status}${body ? `: ${serverMessage(body)}` : ''}.`);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (contentType.includes('application/json')) return parseWholeResponse(await response.json(), request);
    return await readEventStream(response, request, signal, describeAbort);
  } finally {
    clearTimeout(timer);
  }
}

function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string };
    if (typeof parsed.error === 'string') return parsed.error;
    if (parsed.error?.message) return parsed.error.message;
  } catch {
    // not JSON: show the text as it came
  }
  return body.replace(/\s+/g, ' ').trim();
}

/** Some servers ignore `stream: true` and answer with one JSON object. */
function parseWholeResponse(body: unknown, request: ChatRequest): ChatResult {
  const parsed = body as { model?: string; choices?: { message?: { content?: string } }[] };
  const text = parsed.choices?.[0]?.message?.content;
  if (typeof text !== 'string') throw new ChatError('protocol', 'The model server sent an answer without a message.');
  request.onToken?.(text);
  return { text, model: parsed.model ?? request.model };
}

async function readEventStream(response: Response, request: ChatRequest, signal: AbortSignal, describeAbort: () => ChatError): Promise<ChatResult> {
  if (!response.body) throw new ChatError('protocol', 'The model server sent an empty answer.');
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let buffer = '';
  let text = '';
  let model = request.model;
  let finished = false;
  const handleEvent = (data: string) => {
    if (data === '[DONE]') {
      finished = true;
      return;
    }
    let chunk: { model?: string; error?: { message?: string }; choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[] };
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new ChatError('protocol', 'The model server sent a malformed stream.');
    }
    if (chunk.error) throw new ChatError('http', `The model server reported an error: ${chunk.error.message ?? 'unknown'}.`);
    if (chunk.model) model = chunk.model;
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content;
    if (delta) {
      text += delta;
      if (text.length > maximumResponseCharacters) throw new ChatError('protocol', 'The model answer was far too long.');
      request.onToken?.(delta);
    }
    if (choice?.finish_reason) finished = true;
  };
  try {
    while (!finished) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // Events end with a blank line; each `data:` line of an event carries one JSON chunk.
      let boundary: number;
      while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) handleEvent(data);
        if (finished) break;
      }
    }
  } catch (error) {
    if (error instanceof ChatError) throw error;
    if (signal.aborted) throw describeAbort();
    throw new ChatError('network', 'The connection to the model server broke during the answer.');
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (!finished && text === '') throw new ChatError('protocol', 'The model server closed the stream without an answer.');
  return { text, model };
}
