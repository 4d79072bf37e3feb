import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';

/**
 * scrypt parameters. N=2^17, r=8 costs 128 MiB and about half a second per guess, which is the
 * point: an attacker with a copy of the folder pays that for every passphrase they try.
 * They are stored beside each wrapped key so they can be raised later without breaking old tenants.
 */
export const defaultKdfParameters = { N: 2 ** 17, r: 8, p: 1 } as const;

export const passphraseKeySlotSchema = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string(),
  iv: z.string(),
  tag: z.string(),
  wrappedKey: z.string(),
});
export type PassphraseKeySlot = z.infer<typeof passphraseKeySlotSchema>;

export const keychainKeySlotSchema = z.object({
  sealedKey: z.string(),
});
export type KeychainKeySlot = z.infer<typeof keychainKeySlotSchema>;

export const dataKeyLength = 32;

export function generateDataKey(): Buffer {
  return randomBytes(dataKeyLength);
}

function deriveWrappingKey(passphrase: string, salt: Buffer, parameters: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...parameters, maxmem: 256 * parameters.N * parameters.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** The tenant name is bound as associated data, so a key slot copied to another tenant does not open. */
export async function wrapDataKey(
  dataKey: Buffer,
  passphrase: string,
  associatedData: string,
  parameters: { N: number; r: number; p: number } = defaultKdfParameters,
): Promise<PassphraseKeySlot> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const wrappingKey = await deriveWrappingKey(passphrase, salt, parameters);
  try {
    const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const wrappedKey = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return {
      kdf: 'scrypt',
      ...parameters,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      wrappedKey: wrappedKey.toString('base64'),
    };
  } finally {
    wrappingKey.fill(0);
  }
}

export async function unwrapDataKey(slot: PassphraseKeySlot, passphrase: string, associatedData: string): Promise<Buffer> {
  const wrappingKey = await deriveWrappingKey(passphrase, Buffer.from(slot.salt, 'base64'), slot);
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, Buffer.from(slot.iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(slot.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(slot.wrappedKey, 'base64')), decipher.final()]);
  } catch {
    // GCM authentication failure is the only signal of a wrong passphrase; nothing else is revealed.
    throw new AresError('WRONG_PASSPHRASE');
  } finally {
    wrappingKey.fill(0);
  }
}
