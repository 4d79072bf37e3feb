import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AresCore } from '../core/aresCore.js';
import { temporaryDirectory, testKdfParameters } from '../vault/testSupport.js';
import { startWebServer, type RunningWebServer } from './webServer.js';

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('web mode', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let core: AresCore;
  let server: RunningWebServer;

  beforeEach(async () => {
    directory = await temporaryDirectory();
    const rendererDirectory = join(directory.path, 'renderer');
    await mkdir(rendererDirectory);
    await writeFile(join(rendererDirectory, 'index.html'), '<!doctype html><title>Ares</title>');
    core = new AresCore({ dataDirectory: join(directory.path, 'data'), kdfParameters: testKdfParameters });
    server = await startWebServer({ core, port: 0, rendererDirectory });
  });
  afterEach(async () => {
    await server.close();
    await core.dispose();
    await directory.remove();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('refuses the page and the API without the token', async () => {
    expect((await get(server.port, '/')).status).toBe(401);
    expect((await get(server.port, '/trpc/vault.listTenants')).status).toBe(401);
    expect((await get(server.port, '/trpc/vault.listTenants', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get(server.port, '/?token=wrong')).status).toBe(401);
  });

  it('swaps the token in the link for a strict cookie and drops it from the address', async () => {
    const first = await get(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get(server.port, '/', { cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('answers the API with a bearer token', async () => {
    const response = await get(server.port, '/trpc/vault.listTenants', { authorization: `Bearer ${server.token}` });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ result: { data: [] } });
  });

  it('refuses a request whose Host is not loopback (DNS rebinding)', async () => {
    const response = await get(server.port, '/trpc/vault.listTenants', { authorization: `Bearer ${server.token}`, host: 'evil.example:80' });
    expect(response.status).toBe(421);
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    const attempt = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${server.port}/trpc`, { headers });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('error', () => resolve('refused'));
      });
    expect(await attempt({})).toBe('refused');
    expect(await attempt({ authorization: `Bearer ${server.token}`, origin: 'http://evil.example' })).toBe('refused');
    expect(await attempt({ authorization: `Bearer ${server.token}` })).toBe('open');
  });
});
