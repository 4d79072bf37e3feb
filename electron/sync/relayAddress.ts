import { isIP } from 'node:net';
import { AresError } from '../../shared/errors.js';

function isLoopback(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  return false;
}

/**
 * The relay's base URL, normalised. Device tokens and conversations travel to it, so plain HTTP is
 * refused except on this computer's loopback (development, tests, a local relay).
 */
export function parseRelayUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new AresError('INVALID_INPUT', 'The relay address is not a valid URL (for example https://relay.example.com).');
  }
  if (url.username || url.password) throw new AresError('INVALID_INPUT', 'The relay address must not contain a user name or password.');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) throw new AresError('RELAY_URL_INSECURE');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
