import { createHmac, timingSafeEqual } from 'node:crypto';

const signaturePattern = /^sha256=([0-9a-f]{64})$/;

/** `sha256=<lowercase hex>` of HMAC-SHA256 over exactly these bytes, as Meta sends it in X-Hub-Signature-256. */
export function signMetaPayload(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Checks X-Hub-Signature-256 against the raw request bytes (never a re-serialised body: Meta signs
 * its own escaping). Strict about the format Meta sends (prefix, lowercase hex); the comparison is
 * constant-time so an attacker cannot learn the signature byte by byte.
 */
export function verifyMetaSignature(rawBody: Buffer, header: string | string[] | undefined, appSecrets: readonly string[]): boolean {
  if (typeof header !== 'string') return false;
  const match = signaturePattern.exec(header.trim());
  if (!match) return false;
  const received = Buffer.from(match[1]!, 'hex');
  let valid = false;
  // Every secret is tried (no early exit), so timing does not reveal which one matched.
  for (const secret of appSecrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (expected.length === received.length && timingSafeEqual(expected, received)) valid = true;
  }
  return valid;
}

/** Meta's subscription handshake: echo `hub.challenge` only for `subscribe` with our verify token. */
export function answerVerificationHandshake(query: URLSearchParams, verifyToken: string): string | null {
  if (query.get('hub.mode') !== 'subscribe') return null;
  const given = Buffer.from(query.get('hub.verify_token') ?? '');
  const expected = Buffer.from(verifyToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const challenge = query.get('hub.challenge');
  // The challenge is echoed as text/plain; refuse anything that is not a plain token.
  return challenge && /^[\w.-]{1,200}$/.test(challenge) ? challenge : null;
}
