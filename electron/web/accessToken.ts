import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const accessCookieName = 'ares_access';

export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

function constantTimeEqual(candidate: string, token: string): boolean {
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** The token arrives as a bearer header (scripts, tests) or as the cookie the browser got from the printed URL. */
export function requestCarriesToken(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') && constantTimeEqual(header.slice('Bearer '.length), token)) return true;
  const cookie = cookieValue(request, accessCookieName);
  return cookie !== undefined && constantTimeEqual(cookie, token);
}

/**
 * DNS rebinding defence: a page on another site that resolves its own name to 127.0.0.1 sends its
 * own Host header, which is refused here.
 */
export function hostIsLoopback(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}
