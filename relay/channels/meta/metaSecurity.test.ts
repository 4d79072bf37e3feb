import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey, SecretBox } from './secretBox.js';
import { answerVerificationHandshake, signMetaPayload, verifyMetaSignature } from './webhookSignature.js';

describe('X-Hub-Signature-256 with our own signed payloads', () => {
  const secret = 'our-own-app-secret';
  // Meta signs its escaped form (\u00e9); the decoded characters are different bytes.
  const escaped = Buffer.from('{"text":"Caf\\u00e9"}');
  const decoded = Buffer.from('{"text":"Café"}');

  it('accepts the signature of the exact bytes and nothing else', () => {
    const header = signMetaPayload(escaped, secret);
    expect(verifyMetaSignature(escaped, header, [secret])).toBe(true);
    expect(verifyMetaSignature(decoded, header, [secret])).toBe(false);
    expect(verifyMetaSignature(escaped, header, ['another-secret'])).toBe(false);
    expect(verifyMetaSignature(escaped, undefined, [secret])).toBe(false);
    expect(verifyMetaSignature(escaped, [header, header], [secret])).toBe(false);
    expect(verifyMetaSignature(escaped, `${header}00`, [secret])).toBe(false);
    expect(verifyMetaSignature(escaped, 'sha1=47d70f4ddde1fd7d148c934090de450ddba27a1d', [secret])).toBe(false);
    expect(verifyMetaSignature(escaped, header, [])).toBe(false);
  });

  it('answers the handshake only for subscribe with the exact verify token', () => {
    const query = (values: Record<string, string>) => new URLSearchParams(values);
    expect(answerVerificationHandshake(query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'token-1', 'hub.challenge': '42' }), 'token-1')).toBe('42');
    expect(answerVerificationHandshake(query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'token-2', 'hub.challenge': '42' }), 'token-1')).toBeNull();
    expect(answerVerificationHandshake(query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'token-1', 'hub.challenge': '<script>' }), 'token-1')).toBeNull();
  });
});

describe('channel secrets at rest', () => {
  it('seals with AES-256-GCM bound to tenant and channel, and refuses a value moved to another row', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const sealed = box.seal('EAAG-secret-token', 'tenant-a:whatsapp');
    expect(sealed).not.toContain('EAAG');
    expect(box.open(sealed, 'tenant-a:whatsapp')).toBe('EAAG-secret-token');
    expect(() => box.open(sealed, 'tenant-b:whatsapp')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'tenant-a:whatsapp')).toThrow();
  });

  it('creates a key file readable only by its owner on first start and reuses it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'ares-master-key-'));
    try {
      const first = loadMasterKey({ dataDirectory: directory });
      expect((await stat(join(directory, 'channel-master.key'))).mode & 0o777).toBe(0o600);
      expect(loadMasterKey({ dataDirectory: directory }).equals(first)).toBe(true);
      expect(loadMasterKey({ dataDirectory: directory, configuredKey: 'ab'.repeat(32) }).equals(Buffer.alloc(32, 0xab))).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
