import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRelayConfig } from '../relayConfig.js';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ares-relay-tls-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function httpsGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    // The certificate is self-signed for this test only.
    const outgoing = request(url, { rejectUnauthorized: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('relay server configuration', () => {
  it('serves HTTPS with HSTS when given a certificate and key', async () => {
    const key = join(directory, 'key.pem');
    const cert = join(directory, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-days', '1'], { stdio: 'ignore' });
    let relay: TestRelay | null = null;
    try {
      relay = await startTestRelay({ tlsCertFile: cert, tlsKeyFile: key });
      expect(relay.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const response = await httpsGet(`${relay.url}/healthz`);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ status: 'ok' });
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(response.headers['x-frame-options']).toBe('DENY');
    } finally {
      await relay?.stop();
    }
  });

  it('reads settings from a file, then environment variables, then flags, in rising precedence', async () => {
    const file = join(directory, 'relay.json');
    await writeFile(file, JSON.stringify({ port: 1111, host: '127.0.0.2', logLevel: 'debug', publicUrl: 'https://relay.example.com' }));
    const config = loadRelayConfig({ config: file, port: '3333' }, { RELAY_PORT: '2222', RELAY_HOST: '127.0.0.3', RELAY_DATA_DIR: '/tmp/relay-data' });
    expect(config).toMatchObject({ port: 3333, host: '127.0.0.3', logLevel: 'debug', publicUrl: 'https://relay.example.com', dataDir: '/tmp/relay-data' });
    expect(() => loadRelayConfig({}, { RELAY_TLS_CERT: 'cert.pem' })).toThrow(/both/);
    expect(() => loadRelayConfig({ port: 'seventy' }, {})).toThrow(/^RELAY_PORT \(port\): .*number/);
    expect(() => loadRelayConfig({}, { DATABASE_URL: 'mysql://db' })).toThrow('DATABASE_URL (databaseUrl): must start with postgres://');
  });

  it("heads the chat frame with the business's name (escaped), and says so when the widget key is unknown", async () => {
    const relay = await startTestRelay();
    try {
      const owner = await relay.client().account.registerTenant.mutate({ businessName: 'Bäckerei <Ömer> & "Co"', ownerName: 'Ömer', email: 'o@b.test', password: 'a long enough password', deviceName: 'd' });
      const known = await (await fetch(`${relay.url}/widget/frame?key=${owner.widgetKey}`)).text();
      expect(known).toContain('<header id="title">Bäckerei &#60;Ömer&#62; &#38; &#34;Co&#34;</header>');
      expect(known).not.toContain('<Ömer>');
      expect(known).not.toContain('disabled');
      const unknown = await (await fetch(`${relay.url}/widget/frame?key=wk_mistyped`)).text();
      expect(unknown).toContain('This chat is not available: the website uses a widget key this relay does not know.');
      expect(unknown).toMatch(/<input [^>]*disabled>/);
      expect(unknown).toContain('<button type="submit" disabled>');
    } finally {
      await relay.stop();
    }
  });

  it('serves the widget script to any site but the API only as JSON with security headers', async () => {
    const relay = await startTestRelay();
    try {
      const script = await fetch(`${relay.url}/widget.js`);
      expect(script.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(script.headers.get('access-control-allow-origin')).toBeNull();
      const frame = await fetch(`${relay.url}/widget/frame?key=x`);
      expect(frame.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(frame.headers.get('x-frame-options')).toBeNull();
      const missing = await fetch(`${relay.url}/nothing`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-frame-options')).toBe('DENY');
      const tooBig = await fetch(`${relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(20_000) });
      expect(tooBig.status).toBe(413);
      expect(await tooBig.json()).toEqual({ error: { code: 'INVALID_INPUT', message: 'The request is too large.' } });
    } finally {
      await relay.stop();
    }
  });
});
