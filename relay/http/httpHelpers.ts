import type { IncomingMessage, ServerResponse } from 'node:http';
import { AresError, errorMessages } from '../../shared/errors.js';

/** Headers on every relay response. The chat frame relaxes framing; everything else may not be framed. */
export function applySecurityHeaders(response: ServerResponse, tls: boolean): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  response.setHeader('Cache-Control', 'no-store');
  if (tls) response.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

const statusOf: Partial<Record<string, number>> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, RATE_LIMITED: 429, INVALID_INPUT: 400, CONFLICT: 409 };

/** A readable error with a code, never a stack; unexpected errors become INTERNAL (and are logged by the caller). */
export function sendError(response: ServerResponse, error: unknown): { unexpected: boolean } {
  if (error instanceof AresError) {
    const retry = error.details?.retryAfterSeconds;
    if (typeof retry === 'number') response.setHeader('Retry-After', String(retry));
    const status = typeof error.details?.httpStatus === 'number' ? error.details.httpStatus : (statusOf[error.code] ?? 500);
    sendJson(response, status, { error: { code: error.code, message: error.message } });
    return { unexpected: false };
  }
  sendJson(response, 500, { error: { code: 'INTERNAL', message: errorMessages.INTERNAL } });
  return { unexpected: true };
}

/** 413 Payload Too Large, as the webhook routes and the tRPC API answer it. */
const tooLarge = () => new AresError('INVALID_INPUT', 'The request is too large.', { httpStatus: 413 });

/** Reads a JSON body, refusing anything larger than `limitBytes` before buffering it all. */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new AresError('INVALID_INPUT', 'The request body is not valid JSON.');
  }
}

/** The caller's address; X-Forwarded-For is believed only behind a proxy the operator configured. */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}
