import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer secrets (device tokens, visitor tokens, invitation codes): 256 random bits, stored only as
 * a SHA-256 hash. A fast hash is enough here because the secret itself has full entropy.
 */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
